import type { NextFunction, Request, RequestHandler, Response } from 'express';

type HeaderValue = string | number | readonly string[];

/**
 * The headers `middleware` sets on a response to a plain `GET` with no `Origin`, captured
 * once by running it against a stand-in request and response. It must set them
 * synchronously and read nothing else of the request (helmet's headers are fixed; cors'
 * depend only on the Origin and the method).
 */
export function capturedHeaders(middleware: RequestHandler): [string, HeaderValue][] {
  const headers = new Map<string, [string, HeaderValue]>();
  const res = {
    setHeader: (name: string, value: HeaderValue) => headers.set(name.toLowerCase(), [name, value]),
    getHeader: (name: string) => headers.get(name.toLowerCase())?.[1],
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  const req = { method: 'GET', headers: {}, url: '/', path: '/' };
  let called = false;
  middleware(req as unknown as Request, res as unknown as Response, () => (called = true));
  if (!called) throw new Error('a header middleware to capture must call next() synchronously');
  return [...headers.values()];
}

/**
 * helmet and cors as one middleware: the headers they set on an ordinary request are
 * computed once at start-up and set in one loop (helmet's 13 middlewares ran one after
 * another for every request, building the same values each time). Preflights and requests
 * with an `Origin` still go through cors itself, so what a browser sees is unchanged.
 */
export function staticHeaders(helmetMiddleware: RequestHandler, corsMiddleware: RequestHandler): RequestHandler {
  const fixed = capturedHeaders(helmetMiddleware);
  const withoutOrigin = capturedHeaders(corsMiddleware);
  const all = [...fixed, ...withoutOrigin];
  return function setStaticHeaders(req: Request, res: Response, next: NextFunction): void {
    if (req.headers.origin === undefined && req.method !== 'OPTIONS') {
      for (const [name, value] of all) res.setHeader(name, value);
      next();
      return;
    }
    for (const [name, value] of fixed) res.setHeader(name, value);
    corsMiddleware(req, res, next);
  };
}
