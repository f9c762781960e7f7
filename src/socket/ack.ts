import type { z, ZodType } from 'zod';
import { AppError } from '../errors';
import { logger } from '../logger';
import { issuesToErrors } from '../middleware/validate';
import { toAppError } from '../middleware/error-handler';
import type { AckErrorCode, AckFailure } from './events';

type Reply = (reply: object) => void;

/**
 * Socket.IO hands over whatever the client emitted: the ack may be missing, or sit in the
 * payload's place (`emit('room:leave', cb)`). A missing ack is a no-op, never a crash.
 */
export function splitArgs(payload: unknown, ack: unknown): { payload: unknown; reply: Reply } {
  if (typeof ack === 'function') return { payload, reply: ack as Reply };
  if (typeof payload === 'function') return { payload: undefined, reply: payload as Reply };
  return { payload, reply: () => undefined };
}

/** Validates a payload with its schema; anything that is not the expected object is a VALIDATION_ERROR. */
export function parsePayload<S extends ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.output<S>;
  throw AppError.validation(issuesToErrors(result.error.issues, 'body'), 'Invalid payload');
}

const ACK_CODES: ReadonlySet<string> = new Set<AckErrorCode>(['VALIDATION_ERROR', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'EMAIL_NOT_VERIFIED']);

function isAckCode(code: string): code is AckErrorCode {
  return ACK_CODES.has(code);
}

/** The same mapping as REST (toAppError), in the ack's shape; a database outage is UNAVAILABLE. */
export function failure(err: unknown, context: Record<string, unknown>): AckFailure {
  const error = toAppError(err);
  if (error.status >= 500) logger.error({ err, ...context }, 'socket event failed');
  else logger.debug({ code: error.code, ...context }, 'socket event rejected');
  const code: AckErrorCode = error.status === 503 ? 'UNAVAILABLE' : isAckCode(error.code) ? error.code : 'INTERNAL';
  const errors = error.errors?.map(({ path, message }) => ({ path, message }));
  return { ok: false, error: { code, message: error.message, ...(errors ? { errors } : {}) } };
}
