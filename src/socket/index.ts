import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import { Server } from 'socket.io';
import { corsOrigin } from '../app';
import { config } from '../config';
import { connectedDatabaseUrl } from '../db/sequelize';
import { logger } from '../logger';
import { dmRoomsOf } from '../services/chat-room.service';
import { sessionState } from '../services/session-state.cache';
import { replayMissed } from './catchup';
import { corkedWrites, retryWhileBusy } from './admission';
import { chatEventsFor, type ChatEvents } from './chat-events';
import { chatRateLimiter, registerChatHandlers } from './chat.handlers';
import { authenticateHandshake } from './handshake';
import { disconnectAtExpiry, disconnectRevokedSessions } from './lifecycle';
import { PresenceTracker } from './presence.tracker';
import { registerRoomHandlers } from './room.handlers';
import { startTombstonePurge } from './tombstones';
import { TypingRelay } from './typing.relay';
import type { AppServer, AppSocket } from './types';
import { GLOBAL_ROOM, sessionRoom, userRoom } from './wire';

export type SocketAdapterKind = 'memory' | 'postgres';

export interface SocketOptions {
  adapter?: SocketAdapterKind;
  presenceGraceMs?: number;
  presenceHeartbeatMs?: number;
}

export interface SocketRuntime {
  io: AppServer;
  /** Broadcasts for changes made over REST. */
  chatEvents: ChatEvents;
  /** Hands presence over, disconnects every socket and closes the adapter (not the http.Server). */
  close(): Promise<void>;
}

/** `@socket.io/postgres-adapter` on its own small pool of the same database (one connection LISTENs). */
function postgresAdapter(): { adapter: ReturnType<typeof createAdapter>; pool: Pool } {
  const pool = new Pool({ connectionString: connectedDatabaseUrl(), max: 4, application_name: 'car-community-api:socket.io' });
  pool.on('error', (err) => logger.warn({ err }, 'socket.io adapter: idle connection error'));
  const adapter = createAdapter(pool, { errorHandler: (err) => logger.warn({ err }, 'socket.io adapter error') });
  return { adapter, pool };
}

/**
 * A revocation that landed between the handshake's check and joining the session room
 * would have missed this socket: check once more now that it is reachable. The cached
 * state is enough: a revocation forgets the session in the cache before it disconnects
 * rooms (here at once, from other instances through the bus), so a cache hit is current.
 */
async function sessionStillActive(sessionId: string, userId: number): Promise<boolean> {
  const state = await retryWhileBusy(() => sessionState(sessionId));
  return state !== null && state.userId === userId && !state.revoked && state.expiresAt > Date.now();
}

async function onConnection(socket: AppSocket, presence: PresenceTracker): Promise<void> {
  const { userId, sessionId, offset } = socket.data;
  if (!(await sessionStillActive(sessionId, userId))) {
    socket.disconnect(true);
    return;
  }
  if (!socket.connected) return;
  presence.connected(userId);
  if (offset !== undefined) await replayMissed(socket, async () => [GLOBAL_ROOM, ...(await dmRoomsOf(userId))], offset);
}

/** Attaches Socket.IO (path /socket.io) to the server Express runs on. */
export async function attachSocketServer(httpServer: http.Server, options: SocketOptions = {}): Promise<SocketRuntime> {
  const postgres = (options.adapter ?? config.SOCKET_ADAPTER) === 'postgres' ? postgresAdapter() : undefined;
  // No connection state recovery: the postgres adapter does not support it, and its default
  // skipMiddlewares would bypass the token check. Catch-up by `auth.offset` replaces it.
  const io: AppServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 100_000,
    cors: { origin: corsOrigin(), allowedHeaders: ['access_token', 'Authorization', 'Content-Type'] },
    ...(postgres ? { adapter: postgres.adapter } : {}),
  });
  const presence = new PresenceTracker(io, {
    instanceId: randomUUID(),
    graceMs: options.presenceGraceMs ?? config.PRESENCE_GRACE_MS,
    heartbeatMs: options.presenceHeartbeatMs ?? config.PRESENCE_HEARTBEAT_MS,
    staleMs: 3 * config.PRESENCE_HEARTBEAT_MS,
    batchWrites: corkedWrites(httpServer),
  });
  const limiter = chatRateLimiter();
  const typing = new TypingRelay();
  io.use((socket, next) => void authenticateHandshake(socket, next));
  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data;
    void socket.join([GLOBAL_ROOM, userRoom(userId), sessionRoom(sessionId)]);
    disconnectAtExpiry(socket);
    registerChatHandlers(socket, limiter);
    registerRoomHandlers(socket);
    socket.on('typing', (payload: unknown) => typing.handle(socket, payload));
    socket.on('disconnect', () => presence.disconnected(userId));
    onConnection(socket, presence).catch((err: unknown) => {
      logger.error({ err, userId }, 'socket setup failed');
      socket.disconnect(true);
    });
  });
  const stopRevocations = disconnectRevokedSessions(io);
  await presence.start();
  const stopPurge = startTombstonePurge();
  const close = async () => {
    stopRevocations();
    stopPurge();
    typing.stop();
    await presence.stop();
    await io.close();
    await postgres?.pool.end();
  };
  return { io, chatEvents: chatEventsFor(io), close };
}
