import type { Socket } from 'node:net';
import type http from 'node:http';
import { toAppError } from '../middleware/error-handler';

/** How long a handshake keeps retrying the database before it answers UNAVAILABLE. */
const RETRY_FOR_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Admission control for a reconnect storm: a handshake's database work that fails for
 * want of a connection (pool exhausted, connect timeout: a 503) waits and tries again, for
 * up to RETRY_FOR_MS, instead of refusing the socket. Anything else fails at once.
 */
export async function retryWhileBusy<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await work();
    } catch (err) {
      if (toAppError(err).status !== 503 || Date.now() + delay > deadline) throw err;
      await sleep(delay + Math.random() * delay);
    }
  }
}

/**
 * Runs `emit` with every TCP connection of the server corked, so the frames it writes go
 * out as one write per connection instead of one per frame. A storm's presence fan-out
 * (n announcements to n sockets) is dominated by those writes.
 */
export function corkedWrites(httpServer: http.Server): (emit: () => void) => void {
  const connections = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  return (emit) => {
    const corked = [...connections];
    for (const c of corked) c.cork();
    try {
      emit();
    } finally {
      for (const c of corked) c.uncork();
    }
  };
}
