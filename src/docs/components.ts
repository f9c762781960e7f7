import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * Response shapes, written from the contract and the views that produce them. Endpoints name
 * them in their declarations (src/routes/*.routes.ts): the OpenAPI document shows them, and
 * in tests every answer is checked against them (src/routes/response-check.ts). Strict, so a
 * field that should not be there (a password hash) fails the test that received it.
 */
const timestamp = z.iso.datetime().meta({ example: '2026-01-31T12:00:00.000Z' });
const id = z.number().int().min(1);

export const ROLES = ['user', 'admin', 'superadmin'] as const;

const avatarUrl = z
  .string()
  .nullable()
  .meta({ description: 'null, or the versioned path of the avatar (GET, no token needed).', example: '/users/7/avatar?v=3' });

export const UserSchema = z
  .strictObject({
    id,
    username: z.string(),
    email: z.email(),
    emailVerified: z.boolean().meta({ description: 'false after registration and after an email change, until POST /email/verify.' }),
    address: z.string().nullable(),
    quotes: z.string().nullable(),
    role: z.enum(ROLES),
    avatarUrl: avatarUrl,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User', description: 'A user; never carries a password, a hash or a token.' });

export const PublicProfileSchema = z
  .strictObject({ id, username: z.string(), quotes: z.string().nullable(), avatarUrl, createdAt: timestamp })
  .meta({ id: 'PublicProfile', description: "Another user's public profile." });

const tokenFields = {
  access_token: z.string().meta({ description: 'Short-lived HS256 JWT; send it as the `access_token` header or `Authorization: Bearer`.' }),
  refresh_token: z.string().meta({ description: 'Opaque, single use: rotated by POST /token/refresh.' }),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().meta({ description: 'Seconds until the access token expires.' }),
  user: UserSchema,
};

export const TokensSchema = z.strictObject(tokenFields).meta({ id: 'Tokens' });

export const CredentialUpdatedSchema = z
  .strictObject({ message: z.literal('success to update credential'), ...tokenFields })
  .meta({ id: 'CredentialUpdated', description: 'Fresh tokens for a new session; every earlier session of the user is revoked.' });

export const CarSchema = z
  .strictObject({
    id,
    objectId: z.string().meta({ description: 'The Back4App source id.' }),
    make: z.string(),
    model: z.string(),
    year: z.number().int(),
    category: z.string().meta({ description: 'Comma-separated categories, e.g. "SUV, Pickup".' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Car' });

const facetValue = <T extends z.ZodType>(value: T) => z.strictObject({ value, count: z.number().int().min(1) });

export const CarFacetsSchema = z
  .strictObject({
    makes: z.array(facetValue(z.string())).meta({ description: 'Sorted by value.' }),
    models: z.array(facetValue(z.string())).meta({ description: 'Models of the given make(s), sorted by value; [] when no make is given.' }),
    years: z.array(facetValue(z.number().int())).meta({ description: 'Newest first.' }),
    categories: z.array(facetValue(z.string())).meta({ description: 'Each of the comma-separated categories, sorted by value.' }),
  })
  .meta({ id: 'CarFacets', description: "Each list counts the cars matching every given filter except that list's own field." });

export const FavoriteSchema = z
  .strictObject({ id, UserId: id, CarId: id, createdAt: timestamp, updatedAt: timestamp, Car: CarSchema })
  .meta({ id: 'Favorite' });

const UserRef = z.strictObject({ id, username: z.string(), avatarUrl });

export const ChatMessageSchema = z
  .strictObject({
    id,
    seq: id.meta({ description: 'Equal to id at insert; every edit or delete gives the message a new, larger seq (one counter).' }),
    text: z.string(),
    room: z.string().meta({ example: 'global' }),
    UserId: id.nullable().meta({ description: 'null once the author deleted their account.' }),
    User: UserRef.nullable(),
    clientId: z.string().nullable(),
    createdAt: timestamp,
    editedAt: timestamp.nullable().meta({ description: 'null until an edit.' }),
  })
  .meta({ id: 'ChatMessage' });

export const PresenceSchema = z
  .strictObject({ UserId: id, status: z.enum(['on', 'off']), updatedAt: timestamp, User: UserRef })
  .meta({ id: 'Presence' });

export const RoomSummarySchema = z
  .strictObject({
    room: z.string().meta({ example: 'car:42' }),
    unread: z.number().int().min(0).max(999).meta({ description: 'Messages after my read marker not written by me, at most 999.' }),
    lastMessage: ChatMessageSchema.nullable(),
  })
  .meta({ id: 'RoomSummary' });

export const SessionSchema = z
  .strictObject({
    id: z.uuid(),
    current: z.boolean().meta({ description: 'The session of the access token making this request.' }),
    userAgent: z.string().nullable().meta({ description: 'The User-Agent of the login.' }),
    ip: z.string().nullable().meta({ description: 'The address of the login.' }),
    createdAt: timestamp,
    lastUsedAt: timestamp.meta({ description: 'The last refresh or authenticated request, to the minute.' }),
  })
  .meta({ id: 'Session', description: 'One login (one device).' });

export const messageSchema = <T extends string>(text: T) => z.strictObject({ message: z.literal(text) });

export const ProblemSchema = z
  .strictObject({
    type: z.string().meta({ example: 'about:blank' }),
    title: z.string().meta({ example: 'Bad Request' }),
    status: z.number().int().meta({ example: 400 }),
    code: z.enum([
      'VALIDATION_ERROR',
      'MALFORMED_JSON',
      'INVALID_CODE',
      'UNAUTHENTICATED',
      'INVALID_TOKEN',
      'TOKEN_EXPIRED',
      'INVALID_CREDENTIALS',
      'FORBIDDEN',
      'EMAIL_NOT_VERIFIED',
      'NOT_FOUND',
      'CONFLICT',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
      'INTERNAL',
    ]),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), location: z.enum(['body', 'query', 'params', 'headers']) }))
      .optional()
      .meta({ description: 'One entry per offending field, for validation errors.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; every error has this shape and `Content-Type: application/problem+json`.' });

/** Error responses by status, registered once as components and referenced from each operation. */
const ERROR_RESPONSES = {
  400: [
    'BadRequest',
    'VALIDATION_ERROR (missing, invalid or unknown field, bad id or query parameter), MALFORMED_JSON, or INVALID_CODE (a wrong, used or expired code or link token).',
  ],
  401: ['Unauthorized', 'UNAUTHENTICATED (no token), INVALID_TOKEN, TOKEN_EXPIRED or INVALID_CREDENTIALS.'],
  403: ['Forbidden', 'FORBIDDEN: authenticated but not allowed; EMAIL_NOT_VERIFIED: needs a verified email (REQUIRE_VERIFIED_EMAIL=true).'],
  404: ['NotFound', 'NOT_FOUND: no such resource, or it belongs to someone else.'],
  409: [
    'Conflict',
    'CONFLICT: email or username taken, the car is already a favorite, already blocked or reported, or the last superadmin would go.',
  ],
  413: ['PayloadTooLarge', 'PAYLOAD_TOO_LARGE: the body is over 100 kB (an avatar over 2 MB).'],
  415: ['UnsupportedMediaType', 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json (an avatar that is not JPEG, PNG or WebP).'],
  429: ['TooManyRequests', 'RATE_LIMITED: too many attempts; see Retry-After.'],
  500: ['InternalError', 'INTERNAL: logged server-side with the request id.'],
  503: ['ServiceUnavailable', 'SERVICE_UNAVAILABLE: the database is unreachable; answered fast. Retry after Retry-After seconds.'],
} as const;

export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** Either header works: `access_token: <JWT>` or `Authorization: Bearer <JWT>`. */
export const SECURITY: Record<string, string[]>[] = [{ accessToken: [] }, { bearerAuth: [] }];

export function registerComponents(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'accessToken', {
    type: 'apiKey',
    in: 'header',
    name: 'access_token',
    description: 'The access token (a JWT) from POST /login or POST /token/refresh. Tokens never travel in URLs.',
  });
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The same access token as `Authorization: Bearer <JWT>`.',
  });
  for (const [status, [name, description]] of Object.entries(ERROR_RESPONSES)) {
    const headers: Record<string, { description: string; schema: { type: 'string' | 'integer' } }> = {
      'X-Request-Id': { description: 'The request id, also in the server logs.', schema: { type: 'string' } },
    };
    if (status === '429' || status === '503')
      headers['Retry-After'] = { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } };
    registry.registerComponent('responses', name, {
      description,
      headers,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }
}

/** The shared problem+json response of an error status, by reference. */
export function errorResponse(status: number): { $ref: string } {
  if (!(status in ERROR_RESPONSES)) throw new Error(`No shared error response for status ${status}`);
  return { $ref: `#/components/responses/${ERROR_RESPONSES[status as ErrorStatus][0]}` };
}
