import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';
import { activeTraceIds } from './spans.js';

export type { Logger };

/** Per-request context carried through async calls (request id for logs). */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function createLogger(level: string, instance: string): Logger {
  return pino({
    level,
    base: { instance },
    // Never log secrets even if someone passes them in by mistake.
    redact: {
      paths: ['password', '*.password', 'payment', '*.payment', 'cardNumber', '*.cardNumber', 'cvc', '*.cvc', 'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    // The request id, and with tracing on the active trace and span ids (platform/spans.ts), so a
    // log line leads to its trace and back.
    mixin() {
      const ctx = requestContext.getStore();
      const ids = activeTraceIds();
      if (!ids) return ctx ? { requestId: ctx.requestId } : {};
      return ctx ? { requestId: ctx.requestId, ...ids } : ids;
    },
  });
}
