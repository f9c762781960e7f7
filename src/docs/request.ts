import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodPipe, ZodType } from 'zod';
import { jsonBody } from './components';

type RouteParameter = ZodObject | ZodPipe;

export interface EndpointSchemas {
  params?: RouteParameter;
  query?: RouteParameter;
  body?: ZodType;
}

/** The `request` of an operation, straight from the endpoint's validation schemas. */
export function requestOf(schemas: EndpointSchemas): RouteConfig['request'] {
  return {
    ...(schemas.params ? { params: schemas.params } : {}),
    ...(schemas.query ? { query: schemas.query } : {}),
    ...(schemas.body ? { body: jsonBody(schemas.body) } : {}),
  };
}
