import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import type { ErrorStatus } from '../docs/components';
import type { AccountLimiters } from '../middleware/account-limits';
import type { AuthLimiters } from '../middleware/rate-limit';
import type { RequestBudgets } from '../middleware/request-budget';
import type { RequestSchemas, ValidatedInput } from '../middleware/validate';

/**
 * Who may call an endpoint. `optional`: no token is checked before the handler, which decides
 * (POST /email/verify needs one for a typed code, none for the link's token). `admin` lets
 * superadmins in too.
 */
export type Access = 'public' | 'optional' | 'user' | 'admin' | 'superadmin';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A problem+json error answer (contract §1): documented by the shared component of its status. */
export const problem = { problem: true } as const;

/** A success answer: a JSON body that must match `schema`, or another media type (`content`, checked by status only). */
export interface Success {
  description: string;
  schema?: ZodType;
  content?: ResponseConfig['content'];
  headers?: ResponseConfig['headers'];
}

export type ResponseSpec = Success | typeof problem;

/** `json(UserSchema, 'The caller.')`: a JSON body, with its headers (paging, caching) if any. */
export function json(schema: ZodType, description: string, headers?: ResponseConfig['headers']): Success {
  return { description, schema, ...(headers ? { headers } : {}) };
}

/** The brute-force limiters (they wrap the handler and count its outcome) and the per-caller budgets of contract §9. */
export type RateLimitName = keyof AuthLimiters | keyof AccountLimiters;
export type BudgetName = keyof RequestBudgets;

/** A controller: the validated input comes typed from the endpoint's own request schemas. */
export type Handler<S extends RequestSchemas> = (req: Request, res: Response, input: ValidatedInput<S>) => Promise<void> | void;

interface Declaration<S extends RequestSchemas> {
  method: Method;
  /** Express syntax: `/users/:id/role`. */
  path: string;
  access: Access;
  summary: string;
  description?: string;
  tags: [string];
  request?: S;
  /**
   * Success answers and the errors this endpoint's own rules give (403, 404, 409…). The errors
   * every endpoint of its kind can give are added by `impliedErrors`.
   */
  responses: Partial<Record<number, ResponseSpec>>;
  /** After authentication, before validation (a verified email, a multipart body). */
  guards?: RequestHandler[];
  /** After validation, before the handler (the catalogue's ETag check). */
  middleware?: RequestHandler[];
  /** A limiter that wraps the handler and counts its outcome (adds 429). */
  rateLimit?: RateLimitName;
  /** A per-caller budget, spent after validation (adds 429). */
  budget?: BudgetName;
  /** The documented request body when it is not the JSON `request.body` (the avatar's multipart form). */
  documentedRequest?: RouteConfig['request'];
  handler: Handler<S>;
}

export interface Endpoint extends Omit<Declaration<RequestSchemas>, 'request' | 'handler'> {
  request: RequestSchemas;
  handler: Handler<RequestSchemas>;
}

/**
 * One endpoint, declared once: the Express route, its authentication and role check,
 * validation, the handler's typed input, the OpenAPI operation and (in tests) the check of
 * every response all come from this (src/routes/mount.ts).
 */
export function defineEndpoint<S extends RequestSchemas = Record<never, never>>(declaration: Declaration<S>): Endpoint {
  // The mount runs `validate(request)` before the handler, so its input has the declared types.
  const handler = declaration.handler as unknown as Handler<RequestSchemas>;
  return { ...declaration, request: declaration.request ?? {}, handler };
}

export const needsToken = (access: Access): boolean => access === 'user' || access === 'admin' || access === 'superadmin';

/** Errors that follow from the endpoint's kind rather than from its rules. */
export function impliedErrors(endpoint: Endpoint): ErrorStatus[] {
  const statuses: ErrorStatus[] = [400];
  if (endpoint.request.body || endpoint.documentedRequest?.body) statuses.push(413, 415);
  if (needsToken(endpoint.access) || endpoint.access === 'optional') statuses.push(401);
  if (endpoint.access === 'admin' || endpoint.access === 'superadmin') statuses.push(403);
  if (endpoint.rateLimit || endpoint.budget) statuses.push(429);
  statuses.push(500, 503);
  return statuses;
}

/** Every answer the endpoint may give, by status: the declared ones and the implied errors. */
export function responsesOf(endpoint: Endpoint): Map<number, ResponseSpec> {
  const all = new Map<number, ResponseSpec>(impliedErrors(endpoint).map((status) => [status, problem]));
  for (const [status, spec] of Object.entries(endpoint.responses)) if (spec) all.set(Number(status), spec);
  return new Map([...all].sort(([a], [b]) => a - b));
}

/** `/users/:id/role` → `/users/{id}/role`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
