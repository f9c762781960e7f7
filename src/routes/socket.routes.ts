import { z } from 'zod';
import * as socket from '../controllers/socket.controller';
import { ChatMessageSchema, PresenceSchema, RoomSummarySchema, messageSchema } from '../docs/components';
import { pagingHeaders } from '../docs/headers';
import * as schemas from '../schemas/socket.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['chat'];

/** Chat history and presence over REST; the live events are Socket.IO's (src/socket/event-catalog.ts). */
export const socketEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/socket/message',
    access: 'user',
    tags,
    summary: 'Chat history of a room, oldest first',
    description:
      'Default: the newest 50 of `global`. `before=<id>`: the newest older than it; `after=<id>`: the oldest newer than it. `limit` max 200. Deleted messages are left out; a `dm:<a>-<b>` room answers only its two members (else 404); messages of users I block are left out.',
    request: schemas.messages,
    responses: { 200: json(z.array(ChatMessageSchema), 'Messages, oldest first.'), 404: problem },
    handler: socket.messageHistory,
  }),
  defineEndpoint({
    method: 'patch',
    path: '/socket/message/:id',
    access: 'user',
    tags,
    summary: 'Edit my message',
    description: 'The author only (else 404); the text rules of `message:send`; a muted author: 403. Broadcasts `message:updated` to the room.',
    request: schemas.editMessage,
    responses: { 200: json(ChatMessageSchema, 'The message, with `editedAt` and a new `seq`.'), 403: problem, 404: problem },
    handler: socket.editOne,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/socket/message/:id',
    access: 'user',
    tags,
    summary: 'Delete a message',
    description: 'The author, or an admin/superadmin (else 404). Broadcasts `message:deleted { id, room, seq }` to the room.',
    request: schemas.deleteMessage,
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), 404: problem },
    handler: socket.deleteOne,
  }),
  defineEndpoint({
    method: 'get',
    path: '/socket/log',
    access: 'user',
    tags,
    summary: 'Who is on and who is off',
    description:
      'Paged like /cars, ordered by username ignoring case (then UserId); `q` is a username prefix (ignoring case; `%` and `_` are plain characters), `status` `on` or `off`. Only users who have connected at least once have an entry.',
    request: schemas.logs,
    responses: { 200: json(z.array(PresenceSchema), 'One entry per user.', pagingHeaders) },
    handler: socket.presenceLog,
  }),
  defineEndpoint({
    method: 'get',
    path: '/socket/rooms',
    access: 'user',
    tags,
    summary: 'My rooms with unread counts',
    description: '`global`, `car:<id>` of each favorite car, and each `dm:` room I have a message in.',
    responses: { 200: json(z.array(RoomSummarySchema), 'My rooms.') },
    handler: socket.myRooms,
  }),
];
