/**
 * The Socket.IO protocol of the Car Community API, as types a client can import:
 *
 *   import { io, type Socket } from 'socket.io-client';
 *   import type { ClientToServerEvents, ServerToClientEvents } from '<api>/src/socket/events';
 *   const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token } });
 *
 * This module has no runtime code and imports nothing, so it can be copied as is.
 * Timestamps are ISO-8601 strings on the wire.
 */

/** `global`, `car:<carId>` or `dm:<a>-<b>` (the direct conversation of users a < b). */
export type RoomName = 'global' | `car:${number}` | `dm:${number}-${number}`;

export type AckErrorCode = 'VALIDATION_ERROR' | 'NOT_FOUND' | 'FORBIDDEN' | 'RATE_LIMITED' | 'EMAIL_NOT_VERIFIED' | 'UNAVAILABLE' | 'INTERNAL';

export interface AckFailure {
  ok: false;
  error: { code: AckErrorCode; message: string; errors?: { path: string; message: string }[] };
}

export type Ack<T extends object> = ({ ok: true } & T) | AckFailure;

export interface ChatMessage {
  id: number;
  /** Equal to `id` at insert; every edit or delete gives the message a new, larger one. */
  seq: number;
  text: string;
  room: string;
  UserId: number | null;
  /** `avatarUrl`: `/users/<id>/avatar?v=<n>` or null. */
  User: { id: number; username: string; avatarUrl: string | null } | null;
  clientId: string | null;
  createdAt: string;
  /** `null` until the message is edited. */
  editedAt: string | null;
}

export interface EditMessagePayload {
  id: number;
  /** The same rules as `message:send`. */
  text: string;
}

export interface DeleteMessagePayload {
  id: number;
}

export interface MessageDeleted {
  id: number;
  room: string;
  seq: number;
}

export interface TypingPayload {
  room: RoomName;
  typing: boolean;
}

export interface TypingEvent {
  room: string;
  UserId: number;
  username: string;
  typing: boolean;
}

export interface ReadPayload {
  room: RoomName;
  /** The newest message id the user has seen in the room; markers only move forward. */
  id: number;
}

export interface SendMessagePayload {
  /** 1–2,000 characters after trimming. */
  text: string;
  /** Defaults to `global`; the socket must have joined it. */
  room?: RoomName;
  /** Up to 64 characters; the same id from the same user always yields the same message. */
  clientId?: string;
}

export interface RoomPayload {
  room: RoomName;
  /** On join only: replay this room's changes with a larger seq (catch-up). */
  offset?: number;
}

export interface PresenceEvent {
  UserId: number;
  username: string;
  status: 'on' | 'off';
  at: string;
}

/**
 * Sent after a catch-up replay. `lastId` is the largest `seq` replayed (the next offset);
 * `more` means the replay hit its bound: reconnect with that offset, or page with GET /socket/message.
 */
export interface CatchupDone {
  rooms: string[];
  count: number;
  lastId: number | null;
  more: boolean;
}

/**
 * A refused handshake is a `connect_error` whose `message` is one of these (and whose `data`
 * is `{ code, message }`): `TOO_MANY_CONNECTIONS` past SOCKETS_PER_USER sockets of one user.
 * Past SOCKETS_PER_IP transport sessions of one address the transport handshake itself gets HTTP 429.
 */
export type ConnectErrorCode = 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'TOO_MANY_CONNECTIONS' | 'UNAVAILABLE';

/** What the handshake reads from `auth` (the token may instead be in the `access_token` or Authorization header). */
export interface HandshakeAuth {
  token?: string;
  offset?: number;
}

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: (reply: Ack<{ message: ChatMessage }>) => void) => void;
  'room:join': (payload: RoomPayload, ack: (reply: Ack<{ room: RoomName }>) => void) => void;
  'room:leave': (payload: { room: RoomName }, ack: (reply: Ack<{ room: RoomName }>) => void) => void;
  'message:edit': (payload: EditMessagePayload, ack: (reply: Ack<{ message: ChatMessage }>) => void) => void;
  'message:delete': (payload: DeleteMessagePayload, ack: (reply: Ack<object>) => void) => void;
  'room:read': (payload: ReadPayload, ack: (reply: Ack<{ room: RoomName; unread: number }>) => void) => void;
  typing: (payload: TypingPayload) => void;
}

export interface ServerToClientEvents {
  'message:new': (message: ChatMessage) => void;
  'message:updated': (message: ChatMessage) => void;
  'message:deleted': (event: MessageDeleted) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  'catchup:done': (summary: CatchupDone) => void;
}

/** Nothing is sent between instances besides what the adapter itself carries. */
export type InterServerEvents = Record<string, never>;

/** What the server keeps on each socket once the handshake succeeded. */
export interface SocketData {
  userId: number;
  username: string;
  role: 'user' | 'admin' | 'superadmin';
  sessionId: string;
  /** Seconds since the epoch, from the token's `exp`. */
  tokenExpiresAt: number;
  /** The `auth.offset` given at connect, replayed once. */
  offset: number | undefined;
}
