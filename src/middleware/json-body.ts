import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors';

export const BODY_LIMIT = '100kb';

const parseJson = express.json({ limit: BODY_LIMIT, strict: false, type: () => true });

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJsonType(req: Request): boolean {
  return Boolean(req.is(['application/json', 'application/*+json']));
}

/** Routes whose body is multipart/form-data, read by their own middleware after authentication. */
const MULTIPART_ROUTES = new Set(['PUT /user/avatar']);

/**
 * Accepts only JSON bodies (multipart only where MULTIPART_ROUTES says): anything else with a body is 415, unparseable JSON is 400
 * MALFORMED_JSON and a body over 100 kB is 413 (the error middleware maps the last two).
 */
export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req)) return next();
  if (MULTIPART_ROUTES.has(`${req.method} ${req.path}`) && req.is('multipart/form-data')) return next();
  if (!isJsonType(req)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
  parseJson(req, res, next);
}
