import { z } from 'zod';
import * as cars from '../controllers/car.controller';
import { CarFacetsSchema, CarSchema } from '../docs/components';
import { cachingHeaders, pagingHeaders } from '../docs/headers';
import { catalogueCache } from '../middleware/catalogue-cache';
import * as schemas from '../schemas/car.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['cars'];

const notModified = { description: 'Not modified: `If-None-Match` holds the current ETag. No body.', headers: cachingHeaders };

const FILTERS =
  '`make`, `model` and `category` each take one value or a comma-separated list (any of them matches), ignoring case; `category` matches one of ' +
  "a car's comma-separated categories. `year` is exact, `year_min`/`year_max` inclusive (`year_min` after `year_max` is 400). Filters combine with AND. " +
  '`q` (up to 100 characters) is split into words; every word must match the make, the model or (a 4-digit number) the year, ignoring case, accents ' +
  'and punctuation (`toyota camry`, `Camry 2020`, `mercedes benz`, `f150`, `vw golf`); a word of one or two characters matches the start of a word. ' +
  '`%` and `_` are punctuation, never wildcards. When no car matches every word, the most similar models are returned instead (pg_trgm), most similar first.';

/** The catalogue: every read answers with an ETag, and a matching `If-None-Match` gets 304 before any query runs. */
export const carEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/cars',
    access: 'user',
    tags,
    summary: 'The car catalogue, paged, filtered and searched',
    description:
      `${FILTERS} ` +
      '`sort` is `id`, `year`, `make` or `model`, `-` for descending; without it the order is by relevance when `q` is given (make and model ' +
      'matching the words exactly first), else by `id`. `page` from 1, `limit` default 20, max 100; a page past the end is `[]`. ' +
      '`X-Total-Count` counts what is returned (the similar cars, for a typo).',
    request: schemas.list,
    responses: { 200: json(z.array(CarSchema), 'A page of cars.', { ...pagingHeaders, ...cachingHeaders }), 304: notModified },
    middleware: [catalogueCache],
    handler: cars.list,
  }),
  defineEndpoint({
    method: 'get',
    path: '/cars/facets',
    access: 'user',
    tags,
    summary: 'Counts for dropdowns and filter chips',
    description:
      `Takes the filters of \`/cars\` (no paging or sort). ${FILTERS} ` +
      "Each list counts the cars matching every given filter except that list's own field (choosing a make still lists the other makes), so a " +
      'count equals the `X-Total-Count` of `/cars` with that value. `makes` and `categories` are sorted by value, `years` newest first; `models` ' +
      'lists the models of the given `make`(s) and is `[]` without one.',
    request: schemas.facets,
    responses: { 200: json(CarFacetsSchema, 'The four lists.', cachingHeaders), 304: notModified },
    middleware: [catalogueCache],
    handler: cars.facets,
  }),
  defineEndpoint({
    method: 'get',
    path: '/cars/:id',
    access: 'user',
    tags,
    summary: 'A car',
    request: schemas.getOne,
    responses: { 200: json(CarSchema, 'The car.', cachingHeaders), 304: notModified, 404: problem },
    middleware: [catalogueCache],
    handler: cars.getOne,
  }),
];
