import { asyncApiDocument } from '../docs/asyncapi';
import { openApiDocument } from '../docs/openapi';
import { SWAGGER_HTML } from '../docs/swagger-page';
import { defineEndpoint } from './endpoint';

const tags: [string] = ['operations'];
const document = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' as const } } } });

/** `GET /openapi.json`, `GET /asyncapi.json` and Swagger UI at `GET /docs`. */
export const docsEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/openapi.json',
    access: 'public',
    tags,
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: document('The OpenAPI document.') },
    handler: (_req, res) => {
      res.json(openApiDocument());
    },
  }),
  defineEndpoint({
    method: 'get',
    path: '/asyncapi.json',
    access: 'public',
    tags,
    summary: 'The AsyncAPI 3 document of the Socket.IO events',
    responses: { 200: document('The AsyncAPI document.') },
    handler: (_req, res) => {
      res.json(asyncApiDocument());
    },
  }),
  defineEndpoint({
    method: 'get',
    path: '/docs',
    access: 'public',
    tags,
    summary: 'Swagger UI for this document',
    responses: { 200: { description: 'An HTML page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    handler: (_req, res) => {
      res.type('html').send(SWAGGER_HTML);
    },
  }),
];
