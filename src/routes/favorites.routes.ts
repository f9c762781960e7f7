import { z } from 'zod';
import * as favorites from '../controllers/favorite.controller';
import { FavoriteSchema, messageSchema } from '../docs/components';
import { requireVerifiedEmail } from '../middleware/require-verified-email';
import * as schemas from '../schemas/favorite.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['favorites'];

export const favoriteEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/favorites',
    access: 'user',
    tags,
    summary: 'My favorites, each with its Car',
    responses: { 200: json(z.array(FavoriteSchema), 'Only mine.') },
    handler: favorites.list,
  }),
  defineEndpoint({
    method: 'post',
    path: '/favorites',
    access: 'user',
    tags,
    summary: 'Add a car to my favorites',
    description: 'With REQUIRE_VERIFIED_EMAIL=true, 403 EMAIL_NOT_VERIFIED until my email is verified.',
    request: schemas.create,
    responses: { 201: json(FavoriteSchema, 'The favorite with its Car.'), 403: problem, 404: problem, 409: problem },
    guards: [requireVerifiedEmail],
    handler: favorites.create,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/favorites/:id',
    access: 'user',
    tags,
    summary: 'Remove one of my favorites',
    request: schemas.remove,
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), 404: problem },
    handler: favorites.remove,
  }),
];
