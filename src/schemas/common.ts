import { z } from 'zod';

/** The largest id PostgreSQL's `integer` holds. */
export const MAX_ID = 2_147_483_647;

/** A positive 32-bit integer id given as text (path or query). */
export const idString = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(MAX_ID, 'Must be a positive integer'));

/** A positive integer id in a JSON body. */
export const idNumber = z.number().int('Must be a positive integer').min(1, 'Must be a positive integer').max(MAX_ID, 'Must be a positive integer');

export const idParams = z.object({ id: idString }).strict();

const positiveInt = (name: string, max?: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a positive integer`)
    .transform(Number)
    .pipe(
      max
        ? z.number().int().min(1, `${name} must be at least 1`).max(max, `${name} must be at most ${max}`)
        : z.number().int().min(1, `${name} must be at least 1`),
    );

export const pageQuery = {
  page: positiveInt('page').default(1),
  limit: positiveInt('limit', 100).default(20),
};

// The text rule lives in ./text (one rule for REST and Socket.IO); re-exported for the existing imports.
export { optionalText, text } from './text';
