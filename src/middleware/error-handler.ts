import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ConnectionError, DatabaseError, ForeignKeyConstraintError, TimeoutError, UniqueConstraintError, ValidationError } from 'sequelize';
import { AppError } from '../errors';
import { logger } from '../logger';

/** The shape of errors from body-parser, raw-body and the router (http-errors). */
interface HttpError {
  type?: unknown;
  status?: unknown;
}

function asHttpError(err: unknown): HttpError | undefined {
  return typeof err === 'object' && err !== null ? (err as HttpError) : undefined;
}

const BODY_ERRORS: Record<string, () => AppError> = {
  'entity.parse.failed': () => new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON'),
  'entity.too.large': () => new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 100 kB'),
  'encoding.unsupported': () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding'),
  'charset.unsupported': () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding'),
  'request.aborted': () => new AppError(400, 'VALIDATION_ERROR', 'The request body was not received completely'),
};

/** Errors raised while reading the request itself (body, path), before any handler ran. */
function fromHttpError(err: unknown): AppError | undefined {
  const http = asHttpError(err);
  if (!http) return undefined;
  const known = typeof http.type === 'string' ? BODY_ERRORS[http.type] : undefined;
  if (known) return known();
  if (http.status !== 400) return undefined;
  // The router could not decode a percent-encoded path parameter.
  if (err instanceof URIError)
    return AppError.validation([{ path: 'path', message: 'Invalid percent-encoding in the path', location: 'params' }], 'Invalid request params');
  // A body that could not be read, e.g. corrupt gzip/deflate/br data.
  return new AppError(400, 'MALFORMED_JSON', 'The request body could not be decoded');
}

const UNAVAILABLE_PG_CODES = new Set(['57014', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']);

function isDatabaseDown(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  if (err instanceof DatabaseError) {
    const code = (err.parent as { code?: string } | undefined)?.code;
    if (code !== undefined) return UNAVAILABLE_PG_CODES.has(code);
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|Query read timeout/i.test(message);
}

/** Maps any thrown value to the AppError a client should see. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const httpError = fromHttpError(err);
  if (httpError) return httpError;
  // The caller's own row vanished under an authenticated request (its account was deleted
  // an instant ago): the token stands for nobody any more.
  if (err instanceof ForeignKeyConstraintError && /UserId/.test(`${String(err.index)} ${JSON.stringify(err.fields ?? null)} ${err.message}`)) {
    return AppError.invalidToken('The account no longer exists');
  }
  // UniqueConstraintError extends ValidationError, so it is checked first.
  if (err instanceof UniqueConstraintError) {
    // Expression indexes report their expression, e.g. `lower(username::text)`: name the field.
    const fields = Object.keys(err.fields ?? {}).map((f) => /^lower\((\w+)/.exec(f)?.[1] ?? f);
    return AppError.conflict(
      'The resource already exists',
      fields.map((path) => ({ path, message: 'Already taken', location: 'body' })),
    );
  }
  if (err instanceof ValidationError) {
    return AppError.validation(err.errors.map((e) => ({ path: e.path ?? 'body', message: e.message, location: 'body' })));
  }
  if (isDatabaseDown(err)) return new AppError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable, try again shortly');
  return new AppError(500, 'INTERNAL', 'An unexpected error occurred');
}

export function problemBody(error: AppError, instance?: string) {
  return {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function sendProblem(res: Response, error: AppError): void {
  if (error.headers) res.set(error.headers);
  if (error.status === 503) res.set('Retry-After', '5');
  res
    .status(error.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(error)));
}

/** The only place errors become responses. Internals are logged with the request id, never sent. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const error = toAppError(err);
  const log = req.log ?? logger;
  if (error.status >= 500) log.error({ err, code: error.code }, 'request failed');
  else log.info({ code: error.code, status: error.status }, 'request rejected');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendProblem(res, error);
}

export function notFound(req: Request): never {
  throw AppError.notFound(`No route for ${req.method} ${req.path}`);
}
