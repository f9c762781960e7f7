import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ClientAddressOf } from '../client-address';
import { Server } from 'socket.io';
import { corsOrigin } from '../app';
import { config } from '../config';
import { connectedDatabaseUrl } from '../db/sequelize';
import { logger } from '../logger';
import { dmRoomsOf } from '../services/chat/chat-room.service';
import { sessionState } from '../services/auth/session-state.cache';
import { replayMissed } from './catchup';
import { retryWhileBusy } from './admission';
import { coalesceFlushes } from './write-coalescing';
import { chatEventsFor, type ChatEvents } from './chat-events';
import { chatRateLimiter, registerChatHandlers } from './chat.handlers';
import { QUEUED_HANDSHAKE_MS, socketLimitsFromConfig, transportSessionLimit, userSocketLimit, type SocketLimits } from './connection-limits';
import { eventBudget } from './event-budget';
import { authenticateHandshake } from './handshake';
import { disconnectAtExpiry, disconnectRevokedSessions } from './lifecycle';
import { postgresAdapter, refuseWhileDeaf, type AdapterStatus } from './postgres-adapter';
import { PresenceTracker } from './presence.tracker';
import { announceDeletedAccounts } from './presence.deleted';
import { registerRoomHandlers } from './room.handlers';
import { disconnectSlowReader } from './slow-reader';
import { startTombstonePurge } from './tombstones';
import { TypingRelay } from './typing.relay';
import type { AppServer, AppSocket } from './types';
import { GLOBAL_ROOM, sessionRoom, userRoom } from './wire';

export type SocketAdapterKind = 'memory' | 'postgres';

export interface SocketOptions {
  adapter?: SocketAdapterKind;
  presenceGraceMs?: number;
  presenceHeartbeatMs?: number;
  /** Limits other than the configured ones (tests use small ones). */
  limits?: Partial<SocketLimits>;
  /** The client address of a transport handshake, as Express reads it (TRUST_PROXY). */
  addressOf?: ClientAddressOf;
  /** The direct connection the postgres adapter LISTENs on (DATABASE_LISTEN_URL); defaults to the pool's database. */
  listenUrl?: string;
}

export interface SocketRuntime {
  io: AppServer;
  /** Broadcasts for changes made over REST. */
  chatEvents: ChatEvents;
  /** Hands presence over, disconnects every socket and closes the adapter (not the http.Server). */
  close(): Promise<void>;
  /** The postgres adapter's LISTEN connection (always `listening` with the memory adapter). */
  adapterStatus(): AdapterStatus;
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

/**
 * Gets the socket ready: checks its session once more, then makes its user `on`. Resolves
 * only then, so nothing the socket sends (a message) reaches others before their `presence: on`.
 */
async function onConnection(socket: AppSocket, presence: PresenceTracker): Promise<void> {
  const { userId, sessionId } = socket.data;
  if (!(await sessionStillActive(sessionId, userId))) {
    socket.disconnect(true);
    return;
  }
  if (!socket.connected) return;
  await presence.connected(userId);
}

/** Holds every event of the socket until `ready` settled (either way). */
function afterReady(socket: AppSocket, ready: Promise<unknown>): void {
  let settled = false;
  const done = ready.then(
    () => (settled = true),
    () => (settled = true),
  );
  socket.use((_packet, next) => {
    if (settled) next();
    else void done.then(() => next());
  });
}

/** Attaches Socket.IO (path /socket.io) to the server Express runs on. */
export async function attachSocketServer(httpServer: http.Server, options: SocketOptions = {}): Promise<SocketRuntime> {
  const postgres =
    (options.adapter ?? config.SOCKET_ADAPTER) === 'postgres'
      ? postgresAdapter(connectedDatabaseUrl(), options.listenUrl ?? connectedDatabaseUrl())
      : undefined;
  const adapterStatus = (): AdapterStatus => postgres?.status() ?? { listening: true };
  // No connection state recovery: the postgres adapter does not support it, and its default
  // skipMiddlewares would bypass the token check. Catch-up by `auth.offset` replaces it.
  const limits: SocketLimits = { ...socketLimitsFromConfig(), ...options.limits };
  const perIp = transportSessionLimit(limits.perIp, options.addressOf ?? ((req) => req.socket.remoteAddress ?? 'unknown'));
  const io: AppServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 100_000,
    // A transport session that has not authenticated by SOCKET_AUTH_TIMEOUT_MS is closed by
    // the per-address tracker (at once, buffers discarded), one whose handshake is queued
    // QUEUED_HANDSHAKE_MS later; Socket.IO's own close is a backstop after both.
    connectTimeout: limits.authTimeoutMs + QUEUED_HANDSHAKE_MS + 1000,
    allowRequest: perIp.allowRequest,
    cors: { origin: corsOrigin(), allowedHeaders: ['access_token', 'Authorization', 'Content-Type'] },
    ...(postgres ? { adapter: postgres.adapter } : {}),
  });
  perIp.track(io, limits.authTimeoutMs);
  const presence = new PresenceTracker(io, {
    instanceId: randomUUID(),
    graceMs: options.presenceGraceMs ?? config.PRESENCE_GRACE_MS,
    heartbeatMs: options.presenceHeartbeatMs ?? config.PRESENCE_HEARTBEAT_MS,
    staleMs: 3 * config.PRESENCE_HEARTBEAT_MS,
  });
  const limiter = chatRateLimiter();
  const perUser = userSocketLimit(io, limits.perUser);
  const budget = eventBudget({ 'room:join': 'ack', 'room:leave': 'ack', 'room:read': 'ack', typing: 'drop' }, limits.eventsPerSecond);
  const typing = new TypingRelay();
  io.use((socket, next) => void authenticateHandshake(socket, next));
  io.use(perUser.middleware);
  io.on('connection', (socket) => {
    const { userId, sessionId, offset } = socket.data;
    if (postgres) refuseWhileDeaf(socket, adapterStatus);
    void socket.join([GLOBAL_ROOM, userRoom(userId), sessionRoom(sessionId)]);
    perUser.joined(socket);
    disconnectSlowReader(socket, limits.maxBufferedBytes);
    coalesceFlushes(socket);
    budget(socket);
    const ready = onConnection(socket, presence);
    afterReady(socket, ready);
    disconnectAtExpiry(socket);
    registerChatHandlers(socket, limiter);
    registerRoomHandlers(socket, limits.maxRooms);
    socket.on('typing', (payload: unknown) => typing.handle(socket, payload));
    socket.on('disconnect', () => presence.disconnected(userId));
    ready
      .then(() =>
        offset !== undefined && socket.connected ? replayMissed(socket, async () => [GLOBAL_ROOM, ...(await dmRoomsOf(userId))], offset) : undefined,
      )
      .catch((err: unknown) => {
        logger.error({ err, userId, socketId: socket.id }, 'socket setup failed');
        socket.disconnect(true);
      });
  });
  const stopRevocations = disconnectRevokedSessions(io);
  const stopDeletions = announceDeletedAccounts(io);
  await presence.start();
  const stopPurge = startTombstonePurge();
  const close = async () => {
    stopRevocations();
    stopDeletions();
    stopPurge();
    typing.stop();
    await presence.stop();
    await io.close();
    await postgres?.close();
  };
  return { io, chatEvents: chatEventsFor(io), close, adapterStatus };
}
