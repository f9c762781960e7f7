import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { declaredEndpoints } from '../routes';
import { openApiPath, responsesOf, type Endpoint, type ResponseSpec } from '../routes/endpoint';
import { ProblemSchema, SECURITY, errorResponse, registerComponents } from './components';

const DESCRIPTION = [
  'REST API of the car community: members, a Back4App car catalogue, favorites and chat history.',
  'Authenticate with the `access_token` header (or `Authorization: Bearer`). Every error is `application/problem+json` (RFC 9457) with a stable `code`.',
  'Unknown body fields and query parameters are rejected with 400. Live chat and presence run over Socket.IO on the same port (path `/socket.io`), described by /asyncapi.json and docs/socket.md.',
].join('\n\n');

type OpenAPIObject = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The `request` of an operation, straight from the endpoint's validation schemas (a body that `{}` satisfies is optional). */
function requestOf({ request, documentedRequest }: Endpoint): RouteConfig['request'] {
  if (documentedRequest) return documentedRequest;
  const { params, query, body } = request;
  return {
    ...(params ? { params: params as NonNullable<RouteConfig['request']>['params'] } : {}),
    ...(query ? { query: query as NonNullable<RouteConfig['request']>['query'] } : {}),
    ...(body ? { body: { required: !body.safeParse({}).success, content: { 'application/json': { schema: body } } } } : {}),
  };
}

function responseOf(status: number, spec: ResponseSpec): ResponseConfig | { $ref: string } {
  if ('problem' in spec) return errorResponse(status);
  const content = spec.content ?? (spec.schema ? { 'application/json': { schema: spec.schema } } : undefined);
  return { description: spec.description, ...(spec.headers ? { headers: spec.headers } : {}), ...(content ? { content } : {}) };
}

function operationOf(endpoint: Endpoint): RouteConfig {
  const { method, path, access, summary, description, tags } = endpoint;
  const security = access === 'public' ? undefined : access === 'optional' ? [{}, ...SECURITY] : SECURITY;
  return {
    method,
    path: openApiPath(path),
    tags,
    summary,
    ...(description ? { description } : {}),
    ...(security ? { security } : {}),
    request: requestOf(endpoint),
    responses: Object.fromEntries([...responsesOf(endpoint)].map(([status, spec]) => [status, responseOf(status, spec)])),
  };
}

/** `/metrics` is served by its own router with its own bearer token (METRICS_TOKEN), not a user's: not a declared endpoint. */
function registerMetrics(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics (only when METRICS_TOKEN is set; `Authorization: Bearer <METRICS_TOKEN>`)',
    responses: {
      200: { description: 'Prometheus text format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } },
      401: errorResponse(401),
      404: errorResponse(404),
    },
  });
}

let cached: OpenAPIObject | undefined;

/** The OpenAPI 3.1 document, generated once from the endpoint declarations. */
export function openApiDocument(): OpenAPIObject {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  for (const endpoint of declaredEndpoints) registry.registerPath(operationOf(endpoint));
  registerMetrics(registry);
  // The error responses reference Problem by $ref, so it is passed in to be emitted as a component.
  cached = new OpenApiGeneratorV31([...registry.definitions, { type: 'schema', schema: ProblemSchema }]).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Car Community API', version: '1.0.0', description: DESCRIPTION },
    tags: [
      { name: 'auth', description: 'Accounts, tokens and sessions' },
      { name: 'accounts', description: 'Password reset, email verification, sessions (devices) and avatars' },
      { name: 'users', description: 'Profiles and roles' },
      { name: 'cars', description: 'The car catalogue' },
      { name: 'favorites', description: 'My favorite cars' },
      { name: 'chat', description: 'Chat history and presence (live events over Socket.IO)' },
      { name: 'moderation', description: 'Blocks, reports and mutes' },
      { name: 'operations', description: 'Health, readiness and these docs' },
    ],
  });
  return cached;
}
