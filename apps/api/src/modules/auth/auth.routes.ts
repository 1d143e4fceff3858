import { Router, type Request } from 'express';
import { LoginInput, RegisterInput, type User } from '@ticketing/shared';
import type { AuthLimiters } from '../../platform/rate-limit.js';
import { parsed, validate } from '../../platform/http.js';
import { UnauthenticatedError } from '../../platform/errors.js';
import type { AuthService } from './auth.service.js';

/** What signing in needs from the waiting room: the visitor's places move to the account. */
export interface AuthPorts {
  waitingRoom: { adoptSession(oldSessionId: string, userId: string): Promise<unknown> };
}

/**
 * Start a fresh session for `user` (a new id defeats session fixation). Waiting-room places
 * the visitor took under the old, anonymous session id move to the account.
 */
async function startSession(ports: AuthPorts, req: Request, user: User): Promise<void> {
  const previousId = req.session.visitor ? req.sessionID : null;
  await new Promise<void>((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = user.id;
      req.session.role = user.role;
      req.session.save((e) => (e ? reject(e) : resolve()));
    });
  });
  if (previousId) await ports.waitingRoom.adoptSession(previousId, user.id);
}

export function authRoutes(auth: AuthService, ports: AuthPorts, limiters: AuthLimiters): Router {
  const r = Router();

  r.post('/register', limiters.registerPerIp, validate({ body: RegisterInput }), async (req, res) => {
    const user = await auth.register(parsed<unknown, unknown, RegisterInput>(res).body);
    await startSession(ports, req, user);
    res.status(201).json(user);
  });

  r.post('/login', limiters.loginPerIp, validate({ body: LoginInput }), limiters.loginPerAccount, async (req, res) => {
    const user = await auth.login(parsed<unknown, unknown, LoginInput>(res).body);
    await limiters.loginSucceeded(req);
    await startSession(ports, req, user);
    res.json(user);
  });

  r.post('/logout', async (req, res) => {
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie('tk.sid', { path: '/' });
    res.status(204).end();
  });

  r.get('/me', async (req, res) => {
    const id = req.session.userId;
    const user = id ? await auth.getUser(id) : null;
    if (!user) throw new UnauthenticatedError('Not signed in.');
    res.setHeader('Cache-Control', 'no-store');
    res.json(user);
  });

  return r;
}
