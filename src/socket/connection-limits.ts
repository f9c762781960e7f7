import type { IncomingMessage } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { ExtendedError, ServerOptions } from 'socket.io';
import type { ClientAddressOf } from '../client-address';
import { config } from '../config';
import { logAtMostEverySecond } from '../log-throttle';
import { webSocketOf } from './transport-internals';
import type { AppServer, AppSocket } from './types';
import { userRoom } from './wire';

/** The Socket.IO limits of contract §9 (docs/limits.md). */
export interface SocketLimits {
  /** Sockets one user may hold on this instance (SOCKETS_PER_USER). */
  perUser: number;
  /** Engine.IO transport sessions one client address may hold on this instance (SOCKETS_PER_IP). */
  perIp: number;
  /** A transport session that has not joined the namespace (authenticated) by then is closed (SOCKET_AUTH_TIMEOUT_MS). */
  authTimeoutMs: number;
  /** `room:join`, `room:leave`, `room:read`, `typing`: each, per socket and second (SOCKET_EVENTS_PER_SECOND). */
  eventsPerSecond: number;
  /** Rooms one socket may have joined besides its own (SOCKET_MAX_ROOMS). */
  maxRooms: number;
  /** Output buffered for a socket that does not read it; past this it is disconnected (SOCKET_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
}

export function socketLimitsFromConfig(): SocketLimits {
  return {
    perUser: config.SOCKETS_PER_USER,
    perIp: config.SOCKETS_PER_IP,
    authTimeoutMs: config.SOCKET_AUTH_TIMEOUT_MS,
    eventsPerSecond: config.SOCKET_EVENTS_PER_SECOND,
    maxRooms: config.SOCKET_MAX_ROOMS,
    maxBufferedBytes: config.SOCKET_MAX_BUFFERED_BYTES,
  };
}

/** What this module reads of an Engine.IO session. */
interface EngineSession {
  id: string;
  readyState: string;
  request: IncomingMessage;
  transport: unknown;
  once(event: 'close' | 'data' | 'packetCreate', listener: () => void): void;
  close(discard: boolean): void;
}

/**
 * How long past SOCKET_AUTH_TIMEOUT_MS a session whose Socket.IO CONNECT arrived may wait for
 * its handshake: under a storm the handshake is queued (admission.ts retries the database for
 * up to 30 s), and closing it then would fail a client that did everything right.
 */
export const QUEUED_HANDSHAKE_MS = 60_000;

const TOO_MANY = JSON.stringify({
  type: 'about:blank',
  title: 'Too Many Requests',
  status: 429,
  code: 'RATE_LIMITED',
  detail: 'Too many connections from this address',
});

/** 429 problem+json on the polling response, or written raw on the socket of a WebSocket upgrade. */
function refuse(req: IncomingMessage & { res?: { writeHead: (s: number, h: object) => unknown; end: (b: string) => unknown } }): void {
  const headers = { 'Content-Type': 'application/problem+json', 'Retry-After': '5', Connection: 'close' };
  if (req.res) {
    req.res.writeHead(429, headers);
    req.res.end(TOO_MANY);
    return;
  }
  const socket: NetSocket = req.socket;
  if (socket.writable) {
    const head = Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(TOO_MANY) }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`HTTP/1.1 429 Too Many Requests\r\n${head.join('')}\r\n${TOO_MANY}`);
  }
  socket.destroy();
}

/**
 * Counts the open Engine.IO transport sessions of each client address and refuses a new
 * one past `perIp` at its handshake (`allowRequest`), with HTTP 429. The check and the
 * registration of the session run without any I/O in between, so a burst cannot overshoot.
 */
export function transportSessionLimit(perIp: number, addressOf: ClientAddressOf) {
  const open = new Map<string, number>();
  const keys = new WeakMap<IncomingMessage, string>();
  const allowRequest: NonNullable<ServerOptions['allowRequest']> = (req, callback) => {
    const key = addressOf(req);
    if ((open.get(key) ?? 0) >= perIp) {
      logAtMostEverySecond('warn', { remoteAddress: key, limit: perIp }, 'transport session refused: SOCKETS_PER_IP reached');
      // Answered here; not calling back leaves nothing else to answer it.
      refuse(req);
      return;
    }
    keys.set(req, key);
    callback(null, true);
  };
  /**
   * Counts each session while it is open, and closes one that has not authenticated (joined
   * the namespace) within `authTimeoutMs`, discarding its buffers: a polling session that
   * never polls again would otherwise linger for Engine.IO's close timeout (30 s). One that
   * sent its CONNECT (its handshake is queued) gets QUEUED_HANDSHAKE_MS more.
   */
  const track = (io: AppServer, authTimeoutMs: number) => {
    const authenticated = new WeakSet<object>();
    io.on('connection', (socket) => authenticated.add(socket.conn));
    io.engine.on('connection', (conn: EngineSession) => {
      const key = keys.get(conn.request);
      // Its CONNECT arrived and has not been answered yet (connect or connect_error).
      let handshaking = false;
      conn.once('data', () => (handshaking = true));
      conn.once('packetCreate', () => (handshaking = false));
      const queuedUntil = Date.now() + authTimeoutMs + QUEUED_HANDSHAKE_MS;
      let polled = false;
      const expire = () => {
        if (authenticated.has(conn) || conn.readyState === 'closed') return;
        if (!polled) {
          // Timers run before the loop reads sockets: on a saturated loop the CONNECT may be
          // waiting unread. Decide after this turn's reads (setImmediate runs after them).
          polled = true;
          setImmediate(expire);
          return;
        }
        if (handshaking && Date.now() < queuedUntil) {
          // Queued behind a storm: look again soon, until the admission window ends.
          polled = false;
          timer = setTimeout(expire, Math.min(authTimeoutMs, queuedUntil - Date.now()));
          return;
        }
        logAtMostEverySecond('info', { transportId: conn.id, remoteAddress: key }, 'transport session closed: not authenticated in time');
        const ws = webSocketOf(conn.transport);
        conn.close(true);
        // A WebSocket would otherwise wait up to 30 s for the client's side of the closing handshake.
        ws?.terminate();
      };
      let timer = setTimeout(expire, authTimeoutMs);
      conn.once('close', () => clearTimeout(timer));
      if (key === undefined) return;
      open.set(key, (open.get(key) ?? 0) + 1);
      conn.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
    });
  };
  return { allowRequest, track };
}

/**
 * Handshake middleware, after authentication: a user holding `perUser` sockets on this
 * instance gets `connect_error` `TOO_MANY_CONNECTIONS`. Counted per instance (see
 * docs/limits.md): the user's private room, plus handshakes admitted whose socket has not
 * joined it yet (`joined` is called once it has; a session closed before that frees its slot).
 */
export function userSocketLimit(io: AppServer, perUser: number) {
  const admitted = new Map<number, number>();
  const pending = new WeakMap<AppSocket, () => void>();
  const middleware = (socket: AppSocket, next: (err?: ExtendedError) => void): void => {
    const { userId } = socket.data;
    const held = (io.of('/').adapter.rooms.get(userRoom(userId))?.size ?? 0) + (admitted.get(userId) ?? 0);
    if (held >= perUser) {
      logAtMostEverySecond('warn', { socketId: socket.id, userId, limit: perUser }, 'socket refused: SOCKETS_PER_USER reached');
      const message = `At most ${perUser} connections per user`;
      next(Object.assign(new Error('TOO_MANY_CONNECTIONS'), { data: { code: 'TOO_MANY_CONNECTIONS', message } }));
      return;
    }
    admitted.set(userId, (admitted.get(userId) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (admitted.get(userId) ?? 1) - 1;
      if (left > 0) admitted.set(userId, left);
      else admitted.delete(userId);
    };
    pending.set(socket, release);
    socket.conn.once('close', release);
    next();
  };
  const joined = (socket: AppSocket): void => {
    pending.get(socket)?.();
    pending.delete(socket);
  };
  return { middleware, joined };
}
