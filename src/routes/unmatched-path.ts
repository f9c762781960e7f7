import type { NextFunction, Request, Response } from 'express';
import { authenticate } from '../middleware/authenticate';
import { needsToken, type Endpoint } from './endpoint';

const segmentsOf = (path: string): string[] => path.split('/').filter(Boolean);

const matches = (pattern: string[], segments: string[]): boolean =>
  pattern.length === segments.length && pattern.every((p, i) => p.startsWith(':') || p === segments[i]);

/**
 * Whether a path that no endpoint answers lies inside an area where every endpoint needs a
 * token. Its longest prefix that the declarations know decides: the endpoints at exactly
 * that path if there are any (`/cars/1` of `GET /cars/1/owners` is `GET /cars/:id`), else
 * those below it (`/socket` of `/socket/nope`). `/email/nope` is not (`/email/verify` takes
 * no token), nor is any path outside every declared one (`/garage`).
 */
type Declared = { e: Endpoint; pattern: string[] }[];

function insideTokenArea(patterns: Declared, path: string): boolean {
  const segments = segmentsOf(path);
  for (let length = segments.length; length > 0; length -= 1) {
    const prefix = segments.slice(0, length);
    const exact = patterns.filter(({ pattern }) => matches(pattern, prefix));
    const below = patterns.filter(({ pattern }) => pattern.length > length && matches(pattern.slice(0, length), prefix));
    const known = exact.length > 0 ? exact : below;
    if (known.length > 0) return known.every(({ e }) => needsToken(e.access));
  }
  return false;
}

/**
 * After every endpoint: a request that matched none is 404, but inside a token-only area
 * only once its token is valid (401 first), so routes there are not revealed to callers
 * without one. Elsewhere no token is asked for.
 */
export function unmatchedPath(endpoints: readonly Endpoint[]) {
  // Split once at start-up, not for every request that matches nothing.
  const patterns: Declared = endpoints.map((e) => ({ e, pattern: segmentsOf(e.path) }));
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (insideTokenArea(patterns, req.path)) await authenticate(req, res, next);
    else next();
  };
}
