import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodPipe, ZodType } from 'zod';

type RouteParameter = ZodObject | ZodPipe;

export interface EndpointSchemas {
  params?: RouteParameter;
  query?: RouteParameter;
  body?: ZodType;
}

/** The `request` of an operation, straight from the endpoint's validation schemas. */
export function requestOf(schemas: EndpointSchemas, options: { bodyRequired?: boolean } = {}): RouteConfig['request'] {
  return {
    ...(schemas.params ? { params: schemas.params } : {}),
    ...(schemas.query ? { query: schemas.query } : {}),
    ...(schemas.body ? { body: { required: options.bodyRequired ?? true, content: { 'application/json': { schema: schemas.body } } } } : {}),
  };
}
