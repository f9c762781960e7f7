import { z, type ZodType } from 'zod';
import { ChatMessageSchema } from '../docs/components';
import type { ClientToServerEvents, ServerToClientEvents } from './events';
import * as payloads from './payload.schemas';

/**
 * Every Socket.IO event of the API, both directions, as zod schemas: the client's payloads
 * are the very schemas the handlers validate with (payload.schemas.ts); what the server
 * sends is checked against these in the tests (tests/asyncapi.test.ts). /asyncapi.json is
 * generated from this catalog; `satisfies` makes a new event in events.ts a compile error
 * until it is described here.
 */
const ackFailure = z
  .object({
    ok: z.literal(false),
    error: z.object({
      code: z.enum(['VALIDATION_ERROR', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL']),
      message: z.string(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .strict();

const ack = (fields: z.ZodRawShape) => z.union([z.object({ ok: z.literal(true), ...fields }).strict(), ackFailure]);

const roomOut = z.string().meta({ example: 'car:42' });
const id = z.number().int().min(1);
const timestamp = z.iso.datetime();

export const MessageDeletedSchema = z.object({ id, room: roomOut, seq: id }).strict();
export const TypingEventSchema = z.object({ room: roomOut, UserId: id, username: z.string(), typing: z.boolean() }).strict();
export const PresenceEventSchema = z.object({ UserId: id, username: z.string(), status: z.enum(['on', 'off']), at: timestamp }).strict();
export const CatchupDoneSchema = z
  .object({ rooms: z.array(z.string()), count: z.number().int().min(0), lastId: id.nullable(), more: z.boolean() })
  .strict();

export interface ClientEventDoc {
  summary: string;
  payload: ZodType;
  /** The acknowledgement's payload; absent for an event without one. */
  ack?: ZodType;
}

export interface ServerEventDoc {
  summary: string;
  payload: ZodType;
}

export const clientEvents = {
  'message:send': {
    summary: 'Send a chat message; committed before the ack, then broadcast as message:new (a dm: to both members).',
    payload: payloads.sendMessage,
    ack: ack({ message: ChatMessageSchema }),
  },
  'message:edit': {
    summary: 'Edit my message (else NOT_FOUND); the room gets message:updated.',
    payload: payloads.editMessage,
    ack: ack({ message: ChatMessageSchema }),
  },
  'message:delete': {
    summary: 'Delete my message, or any as an admin/superadmin (a plain user on another: FORBIDDEN); the room gets message:deleted.',
    payload: payloads.deleteMessage,
    ack: ack({}),
  },
  'room:join': {
    summary: 'Join a room (a car room needs its car; a dm: room is only checked); with offset, its changes since are replayed.',
    payload: payloads.joinRoom,
    ack: ack({ room: z.string() }),
  },
  'room:leave': { summary: 'Leave a room.', payload: payloads.leaveRoom, ack: ack({ room: z.string() }) },
  'room:read': {
    summary: 'Move my read marker in a room forward; acks the unread count after it (at most 999).',
    payload: payloads.readRoom,
    ack: ack({ room: z.string(), unread: z.number().int().min(0).max(999) }),
  },
  typing: {
    summary: 'I am (or stopped) typing in a room; no ack, never stored, relayed at most once a second.',
    payload: payloads.typing,
  },
} satisfies Record<keyof ClientToServerEvents, ClientEventDoc>;

export const serverEvents = {
  'message:new': { summary: 'A new message in one of my rooms (also replayed by catch-up).', payload: ChatMessageSchema },
  'message:updated': { summary: 'A message was edited (also replayed by catch-up).', payload: ChatMessageSchema },
  'message:deleted': { summary: 'A message was deleted (also replayed by catch-up).', payload: MessageDeletedSchema },
  typing: { summary: 'Someone in the room is typing, or stopped.', payload: TypingEventSchema },
  presence: { summary: "A user's first connection opened, or their last one closed (after the grace period).", payload: PresenceEventSchema },
  'catchup:done': {
    summary: 'The catch-up replay is over; lastId is the largest seq replayed, more means reconnect with it as the offset.',
    payload: CatchupDoneSchema,
  },
} satisfies Record<keyof ServerToClientEvents, ServerEventDoc>;

/** What the handshake reads from `auth` besides the token. */
export const handshakeAuthSchema = payloads.handshakeAuth.extend({ token: z.string() });
