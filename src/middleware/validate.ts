import type { NextFunction, Request, Response } from 'express';
import { z, type ZodType } from 'zod';
import { AppError, type ErrorLocation, type FieldError } from '../errors';

export interface RequestSchemas {
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
}

export type ValidatedInput<S extends RequestSchemas> = {
  [K in keyof S]: S[K] extends ZodType ? z.output<S[K]> : never;
};

const LOCATIONS = ['params', 'query', 'body'] as const satisfies readonly ErrorLocation[];

/** Routes that take no query parameters or body still reject unknown ones (an absent body is `{}`). */
const NOTHING = z.object({}).strict();
const EMPTY = Object.freeze({});

export function issuesToErrors(issues: z.core.$ZodIssue[], location: ErrorLocation): FieldError[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: issue.keys.join(','), message: `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`, location };
    }
    return { path: issue.path.map(String).join('.') || location, message: issue.message, location };
  });
}

/**
 * Parses params, query and body against the endpoint's schemas and keeps the result in
 * `res.locals.input`, which the mount hands to the handler (Express 5's `req.query` is a
 * getter and is never reassigned).
 * Every offending field is listed, from every location at once.
 */
export function validate<S extends RequestSchemas>(schemas: S) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const errors: FieldError[] = [];
    const input: Record<string, unknown> = {};
    for (const location of LOCATIONS) {
      const schema = schemas[location] ?? (location === 'params' ? undefined : NOTHING);
      if (!schema) continue;
      const raw: unknown = location === 'body' ? (req.body ?? EMPTY) : req[location];
      // Most reads have no body: nothing to parse against "no body".
      if (schema === NOTHING && raw === EMPTY) {
        input[location] = {};
        continue;
      }
      const result = schema.safeParse(raw);
      if (result.success) input[location] = result.data;
      else errors.push(...issuesToErrors(result.error.issues, location));
    }
    if (errors.length > 0) {
      const where = [...new Set(errors.map((e) => e.location))].join(' and ');
      throw AppError.validation(errors, `Invalid request ${where}`);
    }
    res.locals.input = input;
    next();
  };
}
