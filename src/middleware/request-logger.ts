import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';

/** An incoming X-Request-Id is kept when it looks like an id (no spaces, no control characters). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The path as the client sent it (Express rewrites `req.url` inside mounted routers), without the query. */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}

function levelFor(_req: IncomingMessage, res: ServerResponse, err?: Error) {
  return err || res.statusCode >= 500 ? 'error' : 'info';
}

interface Completion {
  responseTime: number;
}

/**
 * One line per request: `reqId`, method, path (never the query string, never headers),
 * status and time. Every line logged through `req.log` carries the same `reqId`. Errors and
 * their stacks are logged once, by the error middleware, not again here.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    quietReqLogger: true,
    customLogLevel: levelFor,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOf(req)} ${res.writableEnded ? res.statusCode : 'aborted'} ${ms}ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorObject: (_req, res, _err, val: Completion) => ({ res, responseTime: val.responseTime }),
  });
}
