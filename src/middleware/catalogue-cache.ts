import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { catalogueVersion } from '../services/catalogue/catalogue-version.cache';

export const CATALOGUE_CACHE_CONTROL = 'private, max-age=60';

/** Headers a catalogue answer carries besides its ETag (a list's paging headers), kept with its body. */
const KEPT_HEADERS = ['X-Total-Count', 'Link'] as const;

interface CachedAnswer {
  body: string;
  headers: [string, string][];
}

/**
 * Catalogue answers as sent, by catalogue version and URL: the catalogue is the same for
 * every user and a version never changes, so an answer computed once is the answer until the
 * next write (whose new version makes every older key unreachable; they age out). Bounded by
 * the bytes of the bodies. A hit costs the version read and one write: no query, no JSON.
 */
const answers = new LRUCache<string, CachedAnswer>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (a) => a.body.length + 200 });

/** ETag part for a URL: a short hash of it (cached; the hot URLs repeat). */
const urlTags = new LRUCache<string, string>({ max: 20_000 });

function urlTag(url: string): string {
  let tag = urlTags.get(url);
  if (tag === undefined) {
    tag = createHash('sha1').update(url).digest('base64url').slice(0, 12);
    urlTags.set(url, tag);
  }
  return tag;
}

function writeAnswer(res: Response, etag: string, answer: CachedAnswer): void {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', CATALOGUE_CACHE_CONTROL);
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // One string: Node sets Content-Length and writes headers and body in one go.
  res.end(answer.body);
}

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
  const etag = `"${version}-${urlTag(req.originalUrl)}"`;
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.set({ ETag: etag, 'Cache-Control': CATALOGUE_CACHE_CONTROL }).status(304).end();
    return;
  }
  const key = `${version}\u0000${req.originalUrl}`;
  const cached = answers.get(key);
  if (cached) return writeAnswer(res, etag, cached);
  res.locals.catalogue = { version, etag, key } satisfies CatalogueRead;
  next();
}

interface CatalogueRead {
  version: string;
  etag: string;
  /** where the answer is kept for the next request of the same URL at the same version */
  key: string;
}

function catalogueReadOf(res: Response): CatalogueRead {
  const read: unknown = res.locals.catalogue;
  if (typeof read !== 'object' || read === null || !('version' in read) || !('etag' in read) || !('key' in read)) {
    throw new Error('catalogueCache must run before this handler');
  }
  return read as CatalogueRead;
}

/** The catalogue version `catalogueCache` read for this request: the answer is computed at it. */
export function catalogueVersionOf(res: Response): string {
  return catalogueReadOf(res).version;
}

/** A successful catalogue answer, with its ETag and caching headers (errors carry neither), kept for the next request. */
export function sendCatalogue(res: Response, body: unknown): void {
  const { etag, key } = catalogueReadOf(res);
  const headers: [string, string][] = [];
  for (const name of KEPT_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers.push([name, String(value)]);
  }
  const answer = { body: JSON.stringify(body), headers };
  answers.set(key, answer);
  writeAnswer(res, etag, answer);
}
