import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/socket.schemas';
import { AUTH, BODY, ChatMessageSchema, PresenceSchema, SECURITY, SERVER, errors, json, messageSchema } from './components';
import { pagingHeaders } from './paging';
import { requestOf } from './request';

const tags = ['chat'];

const RoomSummarySchema = z
  .object({
    room: z.string().meta({ example: 'car:42' }),
    unread: z.number().int().min(0).max(999).meta({ description: 'Messages after my read marker not written by me, at most 999.' }),
    lastMessage: ChatMessageSchema.nullable(),
  })
  .meta({ id: 'RoomSummary' });

export function registerSocketDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/socket/message',
    tags,
    security: SECURITY,
    summary: 'Chat history of a room, oldest first',
    description:
      'Default: the newest 50 of `global`. `before=<id>`: the newest older than it; `after=<id>`: the oldest newer than it. `limit` max 200. Deleted messages are left out; a `dm:<a>-<b>` room answers only its two members (else 404); messages of users I block are left out.',
    request: requestOf(schemas.messages),
    responses: { 200: json(z.array(ChatMessageSchema), 'Messages, oldest first.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/socket/message/{id}',
    tags,
    security: SECURITY,
    summary: 'Edit my message',
    description: 'The author only (else 404); the text rules of `message:send`. Broadcasts `message:updated` to the room.',
    request: requestOf(schemas.editMessage),
    responses: { 200: json(ChatMessageSchema, 'The message, with `editedAt` and a new `seq`.'), ...errors(...BODY, ...AUTH, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/socket/message/{id}',
    tags,
    security: SECURITY,
    summary: 'Delete a message',
    description: 'The author, or an admin/superadmin (else 404). Broadcasts `message:deleted { id, room, seq }` to the room.',
    request: requestOf(schemas.deleteMessage),
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/socket/log',
    tags,
    security: SECURITY,
    summary: 'Who is on and who is off',
    description: 'Paged like /cars, ordered by username; `q` is a username prefix (ignoring case), `status` `on` or `off`.',
    request: requestOf(schemas.logs),
    responses: {
      200: { ...json(z.array(PresenceSchema), 'One entry per user.'), headers: pagingHeaders },
      ...errors(400, ...AUTH, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/socket/rooms',
    tags,
    security: SECURITY,
    summary: 'My rooms with unread counts',
    description: '`global`, `car:<id>` of each favorite car, and each `dm:` room I have a message in.',
    request: requestOf(schemas.rooms),
    responses: { 200: json(z.array(RoomSummarySchema), 'My rooms.'), ...errors(400, ...AUTH, ...SERVER) },
  });
}
