import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { clientAddressOf } from './client-address';
import { config } from './config';
import { connectedDatabaseUrl } from './db/sequelize';
import { DrainingServer } from './http-drain';
import { applyHttpLimits, connectionsCheckingInterval, httpLimitsFromConfig, type HttpLimits } from './http-limits';
import { logger } from './logger';
import { AppMetrics } from './metrics';
import { markShuttingDown } from './routes/health.routes';
import { backgroundSettled } from './services/operations/background.tasks';
import { schedulePurge } from './services/auth/token-purge.job';
import { startInvalidationListener } from './services/auth/revocation.bus';
import { subscribeRemoteInvalidation } from './services/operations/remote-invalidation';
import { attachSocketServer, type SocketAdapterKind } from './socket';
import { provideChatEvents } from './socket/chat-events';
import type { SocketLimits } from './socket/connection-limits';
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
  /** Limits other than the configured ones (tests use small ones); docs/limits.md. */
  httpLimits?: Partial<HttpLimits>;
  socketLimits?: Partial<SocketLimits>;
  /** An Express `trust proxy` value other than TRUST_PROXY's (REST limits and SOCKETS_PER_IP read it). */
  trustProxy?: string;
  /** Defaults to PURGE_INTERVAL_MS. */
  purgeIntervalMs?: number;
  /** The direct connection for LISTEN/NOTIFY; defaults to DATABASE_LISTEN_URL, then the pool's database. */
  listenUrl?: string;
  /** Enables GET /metrics with this bearer token; defaults to METRICS_TOKEN. */
  metricsToken?: string;
}

/**
 * One http.Server for Express (and Socket.IO). Tests and the benchmark start it on port 0.
 * The database must already be connected; `stop()` closes sockets and the server, not the pool.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const metricsToken = options.metricsToken ?? config.METRICS_TOKEN;
  const metrics = metricsToken ? new AppMetrics(metricsToken) : undefined;
  const app = createApp({ trustProxy: options.trustProxy, metrics });
  const limits: HttpLimits = { ...httpLimitsFromConfig(), ...options.httpLimits };
  const httpServer = new DrainingServer(app, { connectionsCheckingInterval: connectionsCheckingInterval(limits) });
  applyHttpLimits(httpServer, limits);
  const listenUrl = options.listenUrl ?? config.DATABASE_LISTEN_URL ?? connectedDatabaseUrl();
  const unsubscribeInvalidations = subscribeRemoteInvalidation();
  const stopListener = await startInvalidationListener(listenUrl).catch((err: unknown) => {
    unsubscribeInvalidations();
    throw err;
  });
  const stopInvalidations = async () => {
    await stopListener();
    unsubscribeInvalidations();
  };
  const sockets = await attachSocketServer(httpServer, {
    adapter: options.socketAdapter,
    presenceGraceMs: options.presenceGraceMs,
    presenceHeartbeatMs: options.presenceHeartbeatMs,
    limits: options.socketLimits,
    addressOf: clientAddressOf(app),
    listenUrl,
  });
  provideChatEvents(app, sockets.chatEvents);
  metrics?.watchSockets(sockets.io);
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
    await stopPurge();
    // Emails a 202 promised (password reset, verification) leave before the pool closes.
    await backgroundSettled(options.shutdownTimeoutMs ?? 10_000);
    await stopInvalidations();
  };
  logger.info({ port }, 'listening');
  return { httpServer, port, url: `http://127.0.0.1:${port}`, io: sockets.io, adapterStatus: sockets.adapterStatus, beginShutdown, stop };
}
