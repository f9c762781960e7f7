import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction } from 'express';
import type { Logger } from '../logger';

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id: the client's X-Request-Id when it looks like one, else a UUID. */
    id: string;
    /** A logger whose lines carry this request's `reqId` (made on first use). */
    log: Logger;
  }
}

/** An incoming X-Request-Id is kept when it looks like an id (no spaces, no control characters). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const STARTED = Symbol('requestStarted');
const CHILD = Symbol('requestLogger');
const BASE = Symbol('baseLogger');

interface Tracked {
  [STARTED]?: number;
  [CHILD]?: Logger;
  [BASE]?: Logger;
  originalUrl?: string;
}

/** The path as the client sent it (Express rewrites `req.url` inside mounted routers), without the query. */
function pathOf(req: IncomingMessage & Tracked): string {
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The completion line: info for an answered request, error for a 5xx (its error was logged by the error middleware). */
function logCompletion(this: ServerResponse & Tracked): void {
  const log = this[BASE];
  const req = this.req as IncomingMessage & Tracked;
  if (!log) return;
  const failed = this.statusCode >= 500;
  if (!log.isLevelEnabled(failed ? 'error' : 'info')) return;
  const responseTime = Math.round(performance.now() - (this[STARTED] ?? 0));
  const path = pathOf(req);
  const fields = { reqId: req.id, req: { method: req.method, url: path }, res: { statusCode: this.statusCode }, responseTime };
  if (failed) log.error(fields, `${req.method} ${path} ${this.statusCode}`);
  else log.info(fields, `${req.method} ${path} ${this.writableEnded ? this.statusCode : 'aborted'} ${responseTime}ms`);
}

/** `req.log`, defined once on the app's request prototype: a child logger only for requests that log. */
function installLazyLog(proto: object, logger: Logger): void {
  Object.defineProperty(proto, 'log', {
    configurable: true,
    get(this: IncomingMessage & Tracked): Logger {
      return (this[CHILD] ??= logger.child({ reqId: this.id }));
    },
  });
}

/**
 * One line per request: `reqId`, method, path (never the query string, never headers),
 * status and time. Every line logged through `req.log` carries the same `reqId`. Errors and
 * their stacks are logged once, by the error middleware, not again here.
 *
 * What a request costs when its line is not logged (LOG_LEVEL=warn): its id, one header and
 * one listener, no child logger and no object built (pino-http made two children per
 * request and serialized both objects whatever the level).
 */
export function requestLogger(logger: Logger) {
  const prototypes = new WeakSet<object>();
  return function logRequest(req: IncomingMessage & Tracked, res: ServerResponse & Tracked, next: NextFunction): void {
    const proto: object = Object.getPrototypeOf(req);
    if (!prototypes.has(proto)) {
      installLazyLog(proto, logger);
      prototypes.add(proto);
    }
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    res[STARTED] = performance.now();
    res[BASE] = logger;
    res.once('close', logCompletion);
    next();
  };
}
