import bcrypt from 'bcrypt';
import type { LoginInput, RegisterInput, User } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, ConflictError } from '../../platform/errors.js';
import { findUserByEmail, findUserById, insertUser, toUser } from './auth.repo.js';
import { LoginThrottle } from './login-throttle.js';

/** Accounts: registration, password check, lookup. Sessions are the routes' business. */
export class AuthService {
  /** A hash to compare against when the e-mail is unknown, so timing does not reveal which accounts exist. */
  private readonly dummyHash: Promise<string>;

  /** Progressive per-account delay of login attempts after repeated failures. */
  readonly throttle: LoginThrottle;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'env' | 'redis' | 'logger' | 'metrics'>,
    opts: { sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.dummyHash = bcrypt.hash('not-a-real-password-0', deps.env.BCRYPT_ROUNDS);
    this.throttle = new LoginThrottle(deps, opts.sleep);
  }

  async register(input: RegisterInput): Promise<User> {
    const passwordHash = await bcrypt.hash(input.password, this.deps.env.BCRYPT_ROUNDS);
    const row = await insertUser(this.deps.db, { email: input.email, name: input.name, passwordHash });
    if (!row) throw new ConflictError('An account with this e-mail already exists.', 'email_taken');
    return toUser(row);
  }

  /** Check a password; an account with many recent failures waits first (LoginThrottle), never refused outright. */
  async login(input: LoginInput): Promise<User> {
    await this.throttle.beforeAttempt(input.email);
    const row = await findUserByEmail(this.deps.db, input.email);
    const ok = await bcrypt.compare(input.password, row?.password_hash ?? (await this.dummyHash));
    if (!row || !ok) {
      await this.throttle.failed(input.email);
      throw new AppError(401, 'invalid_credentials', 'E-mail or password is wrong.');
    }
    await this.throttle.succeeded(input.email);
    return toUser(row);
  }

  async getUser(id: string): Promise<User | null> {
    const row = await findUserById(this.deps.db, id);
    return row ? toUser(row) : null;
  }
}
