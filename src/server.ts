import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { clientAddressOf } from './client-address';
import { drainable } from './http-drain';
import { applyHttpLimits, connectionsCheckingInterval, httpLimitsFromConfig, type HttpLimits } from './http-limits';
import { config } from './config';
import { connectedDatabaseUrl } from './db/sequelize';
import { logger } from './logger';
import { schedulePurge } from './services/purge.service';
import { backgroundSettled } from './services/background';
import { startInvalidationListener } from './services/revocation-bus';
import { attachSocketServer, type SocketAdapterKind } from './socket';
import type { SocketLimits } from './socket/connection-limits';
import { provideChatEvents } from './socket/chat-events';
import type { AppServer } from './socket/types';

export interface RunningServer {
  httpServer: http.Server;
  port: number;
  url: string;
  /** The Socket.IO server on the same http.Server (path /socket.io). */
  io: AppServer;
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
  /** Limits other than the configured ones (tests use small ones); docs/limits.md. */
  httpLimits?: Partial<HttpLimits>;
  socketLimits?: Partial<SocketLimits>;
  /** An Express `trust proxy` value other than TRUST_PROXY's (REST limits and SOCKETS_PER_IP read it). */
  trustProxy?: string;
  /** Defaults to PURGE_INTERVAL_MS. */
  purgeIntervalMs?: number;
}

/**
 * One http.Server for Express (and Socket.IO). Tests and the benchmark start it on port 0.
 * The database must already be connected; `stop()` closes sockets and the server, not the pool.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = createApp({ trustProxy: options.trustProxy });
  const limits: HttpLimits = { ...httpLimitsFromConfig(), ...options.httpLimits };
  const httpServer = http.createServer({ connectionsCheckingInterval: connectionsCheckingInterval(limits) }, app);
  applyHttpLimits(httpServer, limits);
  const drain = drainable(httpServer);
  const stopInvalidations = await startInvalidationListener(connectedDatabaseUrl());
  const sockets = await attachSocketServer(httpServer, {
    adapter: options.socketAdapter,
    presenceGraceMs: options.presenceGraceMs,
    presenceHeartbeatMs: options.presenceHeartbeatMs,
    limits: options.socketLimits,
    addressOf: clientAddressOf(app),
  });
  provideChatEvents(app, sockets.chatEvents);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    // A reconnect storm opens thousands of TCP connections at once: a listen backlog of
    // Node's default 511 would drop some before they are accepted (the kernel caps it at somaxconn).
    httpServer.listen({ port: options.port, host: options.host ?? '0.0.0.0', backlog: 4096 }, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await sockets.close();
    await stopInvalidations();
    throw err;
  });
  const { port } = httpServer.address() as AddressInfo;
  const stopPurge = schedulePurge(options.purgeIntervalMs ?? config.PURGE_INTERVAL_MS);
  const stop = async () => {
    // Stop accepting first (in-flight requests finish, with Connection: close, within the
    // timeout); then Socket.IO hands presence over and closes its connections (its own
    // httpServer.close finds the server already closing, which is harmless).
    const drained = drain(options.shutdownTimeoutMs ?? 10_000);
    await sockets.close();
    await drained;
    await stopPurge();
    // Emails a 202 promised (password reset, verification) leave before the pool closes.
    await backgroundSettled(options.shutdownTimeoutMs ?? 10_000);
    await stopInvalidations();
  };
  logger.info({ port }, 'listening');
  return { httpServer, port, url: `http://127.0.0.1:${port}`, io: sockets.io, stop };
}
