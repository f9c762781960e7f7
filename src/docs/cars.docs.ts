import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/car.schemas';
import { AUTH, CarFacetsSchema, CarSchema, SECURITY, SERVER, errors, json } from './components';
import { pagingHeaders } from './paging';
import { requestOf } from './request';

const tags = ['cars'];

/** ETag and Cache-Control of every catalogue read (docs/catalogue.md). */
const cachingHeaders = {
  ETag: {
    description: 'Changes whenever the catalogue changes (an import that writes rows). Send it back as `If-None-Match` to get a 304.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`private, max-age=60`.', schema: { type: 'string' } },
} satisfies ResponseConfig['headers'];

const notModified: ResponseConfig = { description: 'Not modified: `If-None-Match` holds the current ETag. No body.', headers: cachingHeaders };

const FILTERS =
  '`make`, `model` and `category` each take one value or a comma-separated list (any of them matches), ignoring case; `category` matches one of ' +
  "a car's comma-separated categories. `year` is exact, `year_min`/`year_max` inclusive (`year_min` after `year_max` is 400). Filters combine with AND. " +
  '`q` (up to 100 characters) is split into words; every word must match the make, the model or (a 4-digit number) the year, ignoring case, accents ' +
  'and punctuation (`toyota camry`, `Camry 2020`, `mercedes benz`, `f150`, `vw golf`); a word of one or two characters matches the start of a word. ' +
  '`%` and `_` are punctuation, never wildcards. When no car matches every word, the most similar models are returned instead (pg_trgm), most similar first.';

export function registerCarDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/cars',
    tags,
    security: SECURITY,
    summary: 'The car catalogue, paged, filtered and searched',
    description:
      `${FILTERS} ` +
      '`sort` is `id`, `year`, `make` or `model`, `-` for descending; without it the order is by relevance when `q` is given (make and model ' +
      'matching the words exactly first), else by `id`. `page` from 1, `limit` default 20, max 100; a page past the end is `[]`. ' +
      '`X-Total-Count` counts what is returned (the similar cars, for a typo).',
    request: requestOf(schemas.list),
    responses: {
      200: { ...json(z.array(CarSchema), 'A page of cars.'), headers: { ...pagingHeaders, ...cachingHeaders } },
      304: notModified,
      ...errors(400, ...AUTH, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/cars/facets',
    tags,
    security: SECURITY,
    summary: 'Counts for dropdowns and filter chips',
    description:
      `Takes the filters of \`/cars\` (no paging or sort). ${FILTERS} ` +
      "Each list counts the cars matching every given filter except that list's own field (choosing a make still lists the other makes), so a " +
      'count equals the `X-Total-Count` of `/cars` with that value. `makes` and `categories` are sorted by value, `years` newest first; `models` ' +
      'lists the models of the given `make`(s) and is `[]` without one.',
    request: requestOf(schemas.facets),
    responses: {
      200: { ...json(CarFacetsSchema, 'The four lists.'), headers: cachingHeaders },
      304: notModified,
      ...errors(400, ...AUTH, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/cars/{id}',
    tags,
    security: SECURITY,
    summary: 'A car',
    request: requestOf(schemas.getOne),
    responses: { 200: { ...json(CarSchema, 'The car.'), headers: cachingHeaders }, 304: notModified, ...errors(400, ...AUTH, 404, ...SERVER) },
  });
}
