import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAccountDocs } from './accounts.docs';
import { registerAuthDocs } from './auth.docs';
import { registerCarDocs } from './cars.docs';
import { ProblemSchema, registerComponents } from './components';
import { registerFavoriteDocs } from './favorites.docs';
import { registerHealthDocs } from './health.docs';
import { registerModerationDocs } from './moderation.docs';
import { registerSocketDocs } from './socket.docs';
import { registerUserDocs } from './users.docs';

const DESCRIPTION = [
  'REST API of the car community: members, a Back4App car catalogue, favorites and chat history.',
  'Authenticate with the `access_token` header (or `Authorization: Bearer`). Every error is `application/problem+json` (RFC 9457) with a stable `code`.',
  'Unknown body fields and query parameters are rejected with 400. Live chat and presence run over Socket.IO on the same port (path `/socket.io`), described by /asyncapi.json and docs/socket.md.',
].join('\n\n');

type OpenAPIObject = ReturnType<OpenApiGeneratorV31['generateDocument']>;

let cached: OpenAPIObject | undefined;

/** The OpenAPI 3.1 document, generated once from the request schemas and the response shapes. */
export function openApiDocument(): OpenAPIObject {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  registerHealthDocs(registry);
  registerAuthDocs(registry);
  registerAccountDocs(registry);
  registerUserDocs(registry);
  registerCarDocs(registry);
  registerFavoriteDocs(registry);
  registerSocketDocs(registry);
  registerModerationDocs(registry);
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
