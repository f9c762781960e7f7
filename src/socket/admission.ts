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
