import http from 'node:http';
import type { Socket } from 'node:net';
import { logger } from './logger';

/**
 * How long a connection must stay silent, once the listener is closed, before it is
 * closed as idle. A keep-alive client sending back to back, or a new connection whose
 * request is on its way, sends well within this; each then gets its response first.
 */
const QUIET_MS = 250;

interface Connection {
  /** Requests on it that have not finished. */
  active: number;
  /** `bytesRead` when its last response finished: more since then means a request is arriving. */
  readWhenIdle: number;
  timer?: NodeJS.Timeout;
}

/**
 * An http.Server that drains without resetting anything. Node's own `server.close()` (and
 * Socket.IO's, which calls it) destroys every connection without a request in progress,
 * including ones accepted whose request bytes have not been parsed yet: their clients see
 * ECONNRESET. Here a connection is closed only once it is really idle: no request running,
 * no byte received since its last response, and quiet for `QUIET_MS`; then with a FIN
 * (`end()`), never a reset. During the drain every response carries `Connection: close`.
 *
 * What no server can do: connections the kernel completed but Node has not accepted yet
 * (its accept queue) are reset by the kernel when the listening socket closes. Behind a
 * load balancer, SHUTDOWN_DELAY_MS (with `/readyz` at 503) stops new connections first.
 */
export class DrainingServer extends http.Server {
  readonly #tracked = new Map<Socket, Connection>();
  /** Responses not finished yet: told `Connection: close` when the drain begins. */
  readonly #responses = new Set<http.ServerResponse>();
  #draining = false;
  #closing = false;

  constructor(listener: http.RequestListener, options: http.ServerOptions = {}) {
    super(options, listener);
    this.on('connection', (socket: Socket) => {
      this.#tracked.set(socket, { active: 0, readWhenIdle: 0 });
      socket.once('close', () => {
        clearTimeout(this.#tracked.get(socket)?.timer);
        this.#tracked.delete(socket);
      });
      if (this.#closing) this.#settle(socket);
    });
    this.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket;
      const connection = this.#tracked.get(socket);
      if (this.#draining) res.setHeader('Connection', 'close');
      this.#responses.add(res);
      if (connection) {
        connection.active += 1;
        clearTimeout(connection.timer);
      }
      res.once('close', () => {
        this.#responses.delete(res);
        if (!connection) return;
        connection.active -= 1;
        connection.readWhenIdle = socket.bytesRead;
        if (this.#closing) this.#settle(socket);
      });
    });
  }

  /** Connections open now (HTTP and WebSocket). */
  get openConnections(): number {
    return this.#tracked.size;
  }

  /** Requests in progress now. */
  get inFlight(): number {
    let n = 0;
    for (const connection of this.#tracked.values()) n += connection.active;
    return n;
  }

  /** From now on every response says `Connection: close`; the listener still accepts. */
  beginDrain(): void {
    this.#draining = true;
    for (const res of this.#responses) if (!res.headersSent) res.setHeader('Connection', 'close');
  }

  /** Only this class closes idle connections, and only as described above. */
  override closeIdleConnections(): void {
    if (!this.#draining) super.closeIdleConnections();
  }

  /**
   * Stops accepting, lets every request that reached the server finish, closes each
   * connection once idle, and destroys what is left after `timeoutMs`.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.beginDrain();
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.close(() => resolve()));
    logger.info({ inFlight: this.inFlight, connections: this.openConnections }, 'stopped accepting connections');
    for (const socket of this.#tracked.keys()) this.#settle(socket);
    const timer = setTimeout(() => {
      logger.warn({ inFlight: this.inFlight, afterMs: timeoutMs }, 'requests still running at the shutdown timeout: closing their connections');
      this.closeAllConnections();
      for (const socket of this.#tracked.keys()) socket.destroy();
    }, timeoutMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  /** Closes the connection once it has been idle and silent for QUIET_MS. */
  #settle(socket: Socket): void {
    const connection = this.#tracked.get(socket);
    if (!connection || connection.active > 0) return;
    clearTimeout(connection.timer);
    connection.timer = setTimeout(() => {
      // setImmediate runs after the poll phase: bytes already in the kernel are read first.
      setImmediate(() => {
        if (connection.active > 0 || socket.destroyed) return;
        if (socket.bytesRead !== connection.readWhenIdle) {
          // A request is arriving (its 'request' event will settle again once answered);
          // re-check later in case it never completes.
          connection.readWhenIdle = socket.bytesRead;
          this.#settle(socket);
          return;
        }
        socket.end();
      });
    }, QUIET_MS);
    connection.timer.unref();
  }
}
