import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DatabaseError as PgDatabaseError } from 'pg';
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

/**
 * SQLSTATEs that mean "the database cannot serve now", not "this statement is wrong":
 * connection exceptions (class 08), insufficient resources (class 53), a statement
 * cancelled by statement_timeout (57014) and the server shutting down, restarting or
 * dropping the database (57P01–57P05).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || code === '57014' || /^57P0[1-5]$/.test(code);
}

/** Socket-level errors of a connection to the database (node's `err.code`). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether a failure is the database being down, hung or out of connections (503), from
 * Sequelize or from `pg` directly (the prepared statements of db/prepared): a pg
 * `DatabaseError` carries the SQLSTATE, a lost or unreachable connection a node error code
 * or pg's own message.
 */
function isDatabaseDown(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  const code = codeOf(err instanceof DatabaseError ? err.parent : err);
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (code !== undefined && (err instanceof DatabaseError || err instanceof PgDatabaseError)) return isUnavailableSqlState(code);
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|Query read timeout|not queryable/i.test(message);
}

/** A foreign key to Users refused, from Sequelize or from a prepared statement (pg's 23503). */
function referencesMissingUser(err: unknown): boolean {
  if (err instanceof ForeignKeyConstraintError) return /UserId/.test(`${String(err.index)} ${JSON.stringify(err.fields ?? null)} ${err.message}`);
  return err instanceof PgDatabaseError && err.code === '23503' && /UserId/.test(`${err.constraint ?? ''} ${err.detail ?? ''}`);
}

/** Maps any thrown value to the AppError a client should see. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const httpError = fromHttpError(err);
  if (httpError) return httpError;
  // The caller's own row vanished under an authenticated request (its account was deleted
  // an instant ago): the token stands for nobody any more.
  if (referencesMissingUser(err)) return AppError.invalidToken('The account no longer exists');
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
