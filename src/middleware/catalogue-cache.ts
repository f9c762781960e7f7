import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { catalogueVersion } from '../services/catalogue/catalogue-version.cache';

export const CATALOGUE_CACHE_CONTROL = 'private, max-age=60';

/** True when one of the entity tags of an `If-None-Match` header is `etag` (weak comparison, RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * Catalogue reads: the ETag is the catalogue version (bumped by every write to the cars,
 * on any instance) and the request URL, so it changes exactly when the answer can. A
 * matching `If-None-Match` is answered 304 before any catalogue query runs. Runs after
 * validation: a bad request is a 400 whatever its headers.
 */
export async function catalogueCache(req: Request, res: Response, next: NextFunction): Promise<void> {
  const version = await catalogueVersion();
  const url = createHash('sha1').update(req.originalUrl).digest('base64url').slice(0, 12);
  const etag = `"${version}-${url}"`;
  if (matchesIfNoneMatch(req.get('If-None-Match'), etag)) {
    res.set({ ETag: etag, 'Cache-Control': CATALOGUE_CACHE_CONTROL }).status(304).end();
    return;
  }
  res.locals.catalogue = { version, etag } satisfies CatalogueRead;
  next();
}

interface CatalogueRead {
  version: string;
  etag: string;
}

function catalogueReadOf(res: Response): CatalogueRead {
  const read: unknown = res.locals.catalogue;
  if (typeof read !== 'object' || read === null || !('version' in read) || !('etag' in read)) {
    throw new Error('catalogueCache must run before this handler');
  }
  return read as CatalogueRead;
}

/** The catalogue version `catalogueCache` read for this request: the answer is computed at it. */
export function catalogueVersionOf(res: Response): string {
  return catalogueReadOf(res).version;
}

/** A successful catalogue answer, with its ETag and caching headers (errors carry neither). */
export function sendCatalogue(res: Response, body: unknown): void {
  res.set({ ETag: catalogueReadOf(res).etag, 'Cache-Control': CATALOGUE_CACHE_CONTROL }).json(body);
}
