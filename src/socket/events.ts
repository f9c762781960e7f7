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

/** `global` or `car:<carId>`. */
export type RoomName = 'global' | `car:${number}`;

export type AckErrorCode = 'VALIDATION_ERROR' | 'NOT_FOUND' | 'FORBIDDEN' | 'RATE_LIMITED' | 'EMAIL_NOT_VERIFIED' | 'UNAVAILABLE' | 'INTERNAL';

export interface AckFailure {
  ok: false;
  error: { code: AckErrorCode; message: string; errors?: { path: string; message: string }[] };
}

export type Ack<T extends object> = ({ ok: true } & T) | AckFailure;

export interface ChatMessage {
  id: number;
  text: string;
  room: string;
  UserId: number | null;
  /** `avatarUrl`: `/users/<id>/avatar?v=<n>` or null. */
  User: { id: number; username: string; avatarUrl: string | null } | null;
  clientId: string | null;
  createdAt: string;
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
  /** On join only: replay this room's messages with a larger id (catch-up). */
  offset?: number;
}

export interface PresenceEvent {
  UserId: number;
  username: string;
  status: 'on' | 'off';
  at: string;
}

/** Sent after a catch-up replay; `more` means the replay hit its bound: page on with GET /socket/message?after=. */
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
}

export interface ServerToClientEvents {
  'message:new': (message: ChatMessage) => void;
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
