import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server';
import type { ChatMessage, ClientToServerEvents, SendMessagePayload, ServerToClientEvents } from '../../src/socket/events';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  token?: string;
  offset?: number | string;
  auth?: Record<string, unknown>;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

const open = new Set<ClientSocket>();

function client(url: string, options: ConnectOptions): ClientSocket {
  const auth = options.auth ?? {
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
  };
  const socket: ClientSocket = io(url, {
    auth,
    extraHeaders: options.headers,
    query: options.query,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  open.add(socket);
  return socket;
}

/**
 * A connected socket (rejects with the connect_error otherwise). `prepare` adds listeners
 * before anything can arrive (a catch-up replay may follow the connect packet at once).
 */
export function connect(url: string, options: ConnectOptions = {}, prepare?: (socket: ClientSocket) => void): Promise<ClientSocket> {
  const socket = client(url, options);
  prepare?.(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export interface ConnectError extends Error {
  data?: { code: string; message: string };
}

/** The handshake's refusal; fails if the socket connects instead. */
export function refusal(url: string, options: ConnectOptions = {}): Promise<ConnectError> {
  const socket = client(url, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the socket connected but a refusal was expected')));
    socket.once('connect_error', (err: ConnectError) => resolve(err));
  });
}

type EventName = keyof ServerToClientEvents;
type EventArg<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** The next `event` matching `accept`, or a rejection after `timeoutMs`. */
export function nextEvent<E extends EventName>(
  socket: ClientSocket,
  event: E,
  accept: (arg: EventArg<E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<EventArg<E>> {
  return new Promise((resolve, reject) => {
    const listener = (arg: EventArg<E>) => {
      if (!accept(arg)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(arg);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, listener as never);
  });
}

/** Every `event` the socket receives from now on, in order. */
export function record<E extends EventName>(socket: ClientSocket, event: E): EventArg<E>[] {
  const seen: EventArg<E>[] = [];
  socket.on(event, ((arg: EventArg<E>) => seen.push(arg)) as never);
  return seen;
}

/** Resolves with the server's reason when the socket is disconnected. */
export function disconnection(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Polls `check` until it holds (for state that has no event), failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function closeAllSockets(): void {
  for (const socket of open) socket.disconnect();
  open.clear();
}

/**
 * Starts a server on port 0 for the test file (stopped after it) and closes every client
 * socket after each test. Returns a getter for the running server.
 */
export function serverForThisFile(options: Partial<ServerOptions> = {}): () => RunningServer {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', ...options });
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the server of this test file is not running');
    return server;
  };
}

/** Sends a chat message and returns it, failing the test if the ack is not ok. */
export async function sendOk(socket: ClientSocket, payload: SendMessagePayload): Promise<ChatMessage> {
  const reply = await socket.timeout(5000).emitWithAck('message:send', payload);
  if (!reply.ok) throw new Error(`send failed: ${JSON.stringify(reply.error)}`);
  return reply.message;
}
