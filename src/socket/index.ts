import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { Server } from 'socket.io';
import { corsOrigin } from '../app';
import { config } from '../config';
import { connectedDatabaseUrl } from '../db/sequelize';
import { logger } from '../logger';
import { isSessionActive } from '../services/session.service';
import { replayMissed } from './catchup';
import { chatRateLimiter, registerChatHandlers } from './chat.handlers';
import { authenticateHandshake } from './handshake';
import { disconnectAtExpiry, disconnectRevokedSessions } from './lifecycle';
import { postgresAdapter, refuseWhileDeaf, type AdapterStatus } from './postgres-adapter';
import { PresenceTracker } from './presence.tracker';
import { registerRoomHandlers } from './room.handlers';
import type { AppServer, AppSocket } from './types';
import { GLOBAL_ROOM, sessionRoom, userRoom } from './wire';

export type SocketAdapterKind = 'memory' | 'postgres';

export interface SocketOptions {
  adapter?: SocketAdapterKind;
  presenceGraceMs?: number;
  presenceHeartbeatMs?: number;
  /** The direct connection the postgres adapter LISTENs on (DATABASE_LISTEN_URL); defaults to the pool's database. */
  listenUrl?: string;
}

export interface SocketRuntime {
  io: AppServer;
  /** Hands presence over, disconnects every socket and closes the adapter (not the http.Server). */
  close(): Promise<void>;
  /** The postgres adapter's LISTEN connection (always `listening` with the memory adapter). */
  adapterStatus(): AdapterStatus;
}

async function onConnection(socket: AppSocket, presence: PresenceTracker): Promise<void> {
  const { userId, sessionId, offset } = socket.data;
  // A revocation that landed between the handshake's check and joining the session room
  // would have missed this socket: check once more now that it is reachable.
  if (!(await isSessionActive(sessionId, userId))) {
    socket.disconnect(true);
    return;
  }
  if (!socket.connected) return;
  presence.connected(userId);
  if (offset !== undefined) await replayMissed(socket, [GLOBAL_ROOM], offset);
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
  });
  const limiter = chatRateLimiter();
  io.use((socket, next) => void authenticateHandshake(socket, next));
  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data;
    if (postgres) refuseWhileDeaf(socket, adapterStatus);
    void socket.join([GLOBAL_ROOM, userRoom(userId), sessionRoom(sessionId)]);
    disconnectAtExpiry(socket);
    registerChatHandlers(socket, limiter);
    registerRoomHandlers(socket);
    socket.on('disconnect', () => presence.disconnected(userId));
    onConnection(socket, presence).catch((err: unknown) => {
      logger.error({ err, userId }, 'socket setup failed');
      socket.disconnect(true);
    });
  });
  const stopRevocations = disconnectRevokedSessions(io);
  await presence.start();
  const close = async () => {
    stopRevocations();
    await presence.stop();
    await io.close();
    await postgres?.close();
  };
  return { io, close, adapterStatus };
}
