import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { DrainingServer } from './http-drain';
import { markShuttingDown } from './routes/health.routes';
import { connectedDatabaseUrl } from './db/sequelize';
import { logger } from './logger';
import { startInvalidationListener } from './services/revocation-bus';
import { attachSocketServer, type SocketAdapterKind } from './socket';
import type { AdapterStatus } from './socket/postgres-adapter';
import type { AppServer } from './socket/types';

export interface RunningServer {
  httpServer: http.Server;
  port: number;
  url: string;
  /** The Socket.IO server on the same http.Server (path /socket.io). */
  io: AppServer;
  /** Whether the Socket.IO postgres adapter hears the other instances. */
  adapterStatus(): AdapterStatus;
  /** SIGTERM arrived: `/readyz` answers 503 and responses carry `Connection: close`; still accepting. */
  beginShutdown(): void;
  stop(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  host?: string;
  /** How long in-flight requests may take to finish on stop. */
  shutdownTimeoutMs?: number;
  /** Defaults to SOCKET_ADAPTER; tests pick `postgres` to run two instances in one process. */
  socketAdapter?: SocketAdapterKind;
  /** Defaults to PRESENCE_GRACE_MS and PRESENCE_HEARTBEAT_MS. */
  presenceGraceMs?: number;
  presenceHeartbeatMs?: number;
}

/**
 * One http.Server for Express (and Socket.IO). Tests and the benchmark start it on port 0.
 * The database must already be connected; `stop()` closes sockets and the server, not the pool.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = createApp();
  const httpServer = new DrainingServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const stopInvalidations = await startInvalidationListener(connectedDatabaseUrl());
  const sockets = await attachSocketServer(httpServer, {
    adapter: options.socketAdapter,
    presenceGraceMs: options.presenceGraceMs,
    presenceHeartbeatMs: options.presenceHeartbeatMs,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '0.0.0.0', () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await sockets.close();
    await stopInvalidations();
    throw err;
  });
  const { port } = httpServer.address() as AddressInfo;
  const beginShutdown = () => {
    markShuttingDown(app);
    httpServer.beginDrain();
  };
  const stop = async () => {
    // Stop accepting first (in-flight requests finish, with Connection: close, within the
    // timeout); then Socket.IO hands presence over and closes its connections (its own
    // httpServer.close finds the server already closing, which is harmless).
    beginShutdown();
    const drained = httpServer.drain(options.shutdownTimeoutMs ?? 10_000);
    await sockets.close();
    await drained;
    await stopInvalidations();
  };
  logger.info({ port }, 'listening');
  return { httpServer, port, url: `http://127.0.0.1:${port}`, io: sockets.io, adapterStatus: sockets.adapterStatus, beginShutdown, stop };
}
