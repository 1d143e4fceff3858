import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';

/**
 * The level of a request's access-log line. `error` means someone must act, so it is kept for
 * 5xx answers. A fan closing a Server-Sent Events stream is how every stream ends: debug. A 429
 * is logged by its limiter once per key and window (platform/rate-limit.ts): debug here, so a
 * flood does not write one line per refused request. Any other answer cut short (the client went
 * away mid-answer; an error after the answer started is logged by the error handler) is a warn.
 */
export function accessLogLevel(status: number, complete: boolean, contentType: string | undefined): 'debug' | 'info' | 'warn' | 'error' {
  if (status >= 500) return 'error';
  if (!complete) return contentType?.startsWith('text/event-stream') ? 'debug' : 'warn';
  if (status === 429) return 'debug';
  return status >= 400 ? 'warn' : 'info';
}

/**
 * One access-log line per request, written when the response closes: request id, method, URL,
 * status and time, at the level `accessLogLevel` gives. Replaces pino-http, which builds two child loggers (`req.log`,
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
      const contentType = res.getHeader('content-type');
      const stream = typeof contentType === 'string' && contentType.startsWith('text/event-stream');
      const level = accessLogLevel(status, complete, typeof contentType === 'string' ? contentType : undefined);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          requestId: (req as { id?: string }).id,
          req: { method: req.method, url: req.originalUrl },
          res: { statusCode: status },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        complete ? 'request completed' : stream ? 'stream closed by the client' : 'request aborted',
      );
    });
    next();
  };
}
