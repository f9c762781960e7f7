import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errors, json } from './components';

const tags = ['operations'];

export function registerHealthDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    tags,
    summary: 'Liveness: 200 while the process runs',
    responses: { 200: json(z.object({ status: z.literal('ok') }), 'Up.'), ...errors(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags,
    summary: 'Readiness: 200 when the database answers a ping within a second',
    responses: { 200: json(z.object({ status: z.literal('ready') }), 'Ready.'), ...errors(400, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags,
    summary: 'Prometheus metrics (only when METRICS_TOKEN is set; `Authorization: Bearer <METRICS_TOKEN>`)',
    responses: {
      200: { description: 'Prometheus text format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } },
      ...errors(401, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags,
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/asyncapi.json',
    tags,
    summary: 'The AsyncAPI 3 document of the Socket.IO events',
    responses: { 200: { description: 'The AsyncAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/docs',
    tags,
    summary: 'Swagger UI for this document',
    responses: { 200: { description: 'An HTML page.', content: { 'text/html': { schema: { type: 'string' } } } } },
  });
}
