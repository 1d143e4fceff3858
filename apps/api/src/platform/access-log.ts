import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';

/**
 * One access-log line per request, written when the response closes: request id, method, URL,
 * status and time, at info (2xx/3xx), warn (4xx) or error (5xx, or the client went away before
 * the answer was complete). Replaces pino-http, which builds two child loggers (`req.log`,
 * `res.log`) for every request that nothing here reads: ~8 % of what the hold path allocated
 * (bench/README.md, "Request-stack allocation"; what made request objects survive young-generation
 * GCs was Express's per-request prototype change, see platform/server.ts). Service code logs through the app
 * logger, whose mixin adds the request id from AsyncLocalStorage (logger.ts).
 */
export function accessLog(logger: Logger, ignore: ReadonlySet<string> = new Set()): RequestHandler {
  return (req, res, next) => {
    if (ignore.has(req.url)) return next();
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const complete = res.writableFinished;
      const status = res.statusCode;
      const level = !complete || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          requestId: (req as { id?: string }).id,
          req: { method: req.method, url: req.originalUrl },
          res: { statusCode: status },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        complete ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
