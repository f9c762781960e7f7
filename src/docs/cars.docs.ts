import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/car.schemas';
import { AUTH, CarSchema, SECURITY, SERVER, errors, json } from './components';
import { pagingHeaders } from './paging';
import { requestOf } from './request';

const tags = ['cars'];

export function registerCarDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/cars',
    tags,
    security: SECURITY,
    summary: 'The car catalogue, paged and filtered',
    description:
      '`make`, `model`, `category` match ignoring case (`category` matches one of the comma-separated categories); `year` is exact; ' +
      '`q` searches make and model (`%` and `_` are literal); `sort` is `id`, `year`, `make` or `model`, `-` for descending. ' +
      '`page` from 1, `limit` default 20, max 100; a page past the end is `[]`.',
    request: requestOf(schemas.list),
    responses: { 200: { ...json(z.array(CarSchema), 'A page of cars.'), headers: pagingHeaders }, ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/cars/{id}',
    tags,
    security: SECURITY,
    summary: 'A car',
    request: requestOf(schemas.getOne),
    responses: { 200: json(CarSchema, 'The car.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
}
