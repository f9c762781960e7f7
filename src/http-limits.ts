import type http from 'node:http';
import type { Socket } from 'node:net';
import { config } from './config';
import { logAtMostEverySecond } from './log-throttle';
import { logger } from './logger';

/** The connection-level limits of contract §9 (docs/limits.md). */
export interface HttpLimits {
  /** Time to receive a request's headers (HEADERS_TIMEOUT_MS): 408, connection closed. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (REQUEST_TIMEOUT_MS): 408, connection closed. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** Open connections, HTTP and WebSocket together (MAX_CONNECTIONS): new ones are refused at once. */
  maxConnections: number;
}

export function httpLimitsFromConfig(): HttpLimits {
  return {
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.MAX_CONNECTIONS,
  };
}

/**
 * How often Node looks for requests past their timeouts (its default, 30 s, would let a
 * 10 s header timeout run to 40 s). A quarter of the shortest timeout, at most a second.
 */
export function connectionsCheckingInterval(limits: HttpLimits): number {
  return Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

const PROBLEMS: Record<string, { status: number; title: string; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout', code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request Header Fields Too Large',
    code: 'VALIDATION_ERROR',
    detail: 'The request headers are too large',
  },
};
const BAD_REQUEST = { status: 400, title: 'Bad Request', code: 'VALIDATION_ERROR', detail: 'The request could not be parsed' };

/** A whole HTTP/1.1 response in problem+json, written straight to the socket, that closes the connection. */
function rawProblem(errorCode: string | undefined): string {
  const problem = PROBLEMS[errorCode ?? ''] ?? BAD_REQUEST;
  const body = JSON.stringify({ type: 'about:blank', ...problem });
  return (
    `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function errorCodeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Applies the limits to the server, and logs each time one trips: a timeout with the id of
 * the request it cut (or the connection's address when no request had started), a refused
 * connection with its address (at most one line a second, with how many were left out).
 */
export function applyHttpLimits(server: http.Server, limits: HttpLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;

  const current = new WeakMap<Socket, { req: http.IncomingMessage; res: http.ServerResponse }>();
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const entry = { req, res };
    current.set(req.socket, entry);
    res.once('close', () => {
      if (current.get(req.socket) === entry) current.delete(req.socket);
    });
  });

  server.on('clientError', (err: Error, socket: Socket) => {
    const code = errorCodeOf(err);
    const inFlight = current.get(socket);
    const reqId = inFlight && 'id' in inFlight.req ? String(inFlight.req.id) : undefined;
    const fields = { reqId, code, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort };
    // A request that got in is logged each time, with its id; a trickle of bare connections, at most once a second.
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT' && reqId) logger.warn(fields, 'request timed out: 408 and connection closed');
    else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') logAtMostEverySecond('warn', fields, 'request timed out: 408 and connection closed');
    else if (code !== 'ECONNRESET') logAtMostEverySecond('info', fields, 'unreadable request: connection closed');
    if (code !== 'ECONNRESET' && socket.writable && !inFlight?.res.headersSent) socket.write(rawProblem(code));
    socket.destroy();
  });

  server.on('drop', (data?: { remoteAddress?: string }) => {
    logAtMostEverySecond(
      'warn',
      { remoteAddress: data?.remoteAddress, maxConnections: limits.maxConnections },
      'connection refused: MAX_CONNECTIONS reached',
    );
  });
}
