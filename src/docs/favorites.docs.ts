import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/favorite.schemas';
import { AUTH, BODY, FavoriteSchema, SECURITY, SERVER, errors, json, messageSchema } from './components';
import { requestOf } from './request';

const tags = ['favorites'];
const security = SECURITY;

export function registerFavoriteDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/favorites',
    tags,
    security,
    summary: 'My favorites, each with its Car',
    request: requestOf(schemas.list),
    responses: { 200: json(z.array(FavoriteSchema), 'Only mine.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'post',
    path: '/favorites',
    tags,
    security,
    summary: 'Add a car to my favorites',
    request: requestOf(schemas.create),
    responses: { 201: json(FavoriteSchema, 'The favorite with its Car.'), ...errors(...BODY, ...AUTH, 404, 409, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/favorites/{id}',
    tags,
    security,
    summary: 'Remove one of my favorites',
    request: requestOf(schemas.remove),
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
}
