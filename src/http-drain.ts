import type http from 'node:http';
import { logger } from './logger';

/**
 * Graceful close for an http.Server: stop accepting, let in-flight requests finish (their
 * responses carry `Connection: close` so keep-alive clients do not reuse the socket), close
 * each connection as it goes idle, and cut whatever is left after `timeoutMs`.
 * Node's own `server.close()` would otherwise wait for idle keep-alive sockets to time out.
 */
export function drainable(server: http.Server): (timeoutMs: number) => Promise<void> {
  const inFlight = new Set<http.ServerResponse>();
  let closing = false;
  const noKeepAlive = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) noKeepAlive(res);
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });
  return async (timeoutMs) => {
    closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info({ inFlight: inFlight.size }, 'stopped accepting connections');
    inFlight.forEach(noKeepAlive);
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  };
}
