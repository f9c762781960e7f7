import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/socket.schemas';
import { AUTH, ChatMessageSchema, PresenceSchema, SECURITY, SERVER, errors, json } from './components';
import { requestOf } from './request';

const tags = ['chat'];

export function registerSocketDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/socket/message',
    tags,
    security: SECURITY,
    summary: 'Chat history of a room, oldest first',
    description:
      'Default: the newest 50 of `global`. `before=<id>`: the newest older than it; `after=<id>`: the oldest newer than it. `limit` max 200. Messages of users I block are left out.',
    request: requestOf(schemas.messages),
    responses: { 200: json(z.array(ChatMessageSchema), 'Messages, oldest first.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/socket/log',
    tags,
    security: SECURITY,
    summary: 'Who is on and who is off',
    request: requestOf(schemas.logs),
    responses: { 200: json(z.array(PresenceSchema), 'One entry per user.'), ...errors(400, ...AUTH, ...SERVER) },
  });
}
