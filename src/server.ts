import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { drainable } from './http-drain';
import { logger } from './logger';

export interface RunningServer {
  httpServer: http.Server;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  host?: string;
  /** How long in-flight requests may take to finish on stop. */
  shutdownTimeoutMs?: number;
}

/**
 * One http.Server for Express (and Socket.IO). Tests and the benchmark start it on port 0.
 * The database must already be connected; `stop()` closes sockets and the server, not the pool.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = createApp();
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const drain = drainable(httpServer);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '0.0.0.0', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const stop = () => drain(options.shutdownTimeoutMs ?? 10_000);
  logger.info({ port }, 'listening');
  return { httpServer, port, url: `http://127.0.0.1:${port}`, stop };
}
