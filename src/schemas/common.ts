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

/** C0 control characters other than tab, line feed and carriage return (PostgreSQL cannot store NUL). */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Trimmed text of at most `max` characters without control characters; `name` prefixes the messages. */
export const text = (max: number, name?: string) => {
  const must = name ? `${name} must` : 'Must';
  return z
    .string()
    .trim()
    .max(max, `${must} be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), `${must} not contain control characters`);
};

/** Optional free text: trimmed, `null` clears the stored value. */
export const optionalText = (max: number) => text(max).nullable().optional();
