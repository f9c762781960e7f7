import os from 'node:os';
import { Piscina } from 'piscina';
import { config } from '../../config';
import { AppError } from '../../errors';
import { logger } from '../../logger';
import { HASHER_WORKER_FILE } from '../../paths';

/**
 * One thread per core. The threads run at a lower priority (nice 5, see the worker), so
 * the event loop and PostgreSQL get the CPU first and bcrypt takes what they leave: a
 * login storm alone uses every core, and does not stall reads running beside it.
 */
export const HASHER_THREADS = os.availableParallelism();

/**
 * A pool of bcrypt threads: a storm of logins queues there instead of stalling every
 * other request. Idle threads are unref'd and exit after a while, so they never keep the
 * process alive.
 *
 * `stricterFIFO`: by default piscina puts a queued task it cannot dispatch yet back at the
 * TAIL of the queue, so under a sustained storm the same few logins are pushed back again
 * and again (one waited 8.9 s of an 8 s bench run). With it they go back to the front:
 * every comparison waits at most for the ones submitted before it.
 */
export function createHasherPool(threads: number): Piscina {
  return new Piscina({ filename: HASHER_WORKER_FILE, minThreads: 0, maxThreads: threads, idleTimeout: 30_000, stricterFIFO: true });
}

let pool: Piscina | undefined;

export function hasherPool(): Piscina {
  if (!pool) {
    const created = createHasherPool(HASHER_THREADS);
    // Piscina emits 'error' for a worker that fails with no task on it: unhandled, that
    // event would take the whole process down.
    created.on('error', (err: unknown) => hasherFailed(created, err));
    // A thread that dies while starting makes piscina stop creating threads, and one that dies
    // with tasks queued is not replaced until the next task: either way tasks would wait
    // for ever. A queue with no thread left to run it is a broken pool.
    created.on('workerDestroy', () =>
      setImmediate(() => {
        if (created.queueSize > 0 && created.threads.length === 0) hasherFailed(created, new Error('no hashing thread left for the queued tasks'));
      }),
    );
    pool = created;
  }
  return pool;
}

/** Tasks waiting for a hashing thread (the `password_hash_queue_depth` metric). */
export function hasherQueueDepth(): number {
  return pool?.queueSize ?? 0;
}

/**
 * A worker died (terminated, crashed, or could not even load): the requests that were on it
 * fail with 503, and the next one gets a fresh pool, so a broken pool never stays broken
 * (piscina stops replacing workers that fail while starting).
 */
function hasherFailed(failed: Piscina, err: unknown): void {
  if (pool !== failed) return;
  logger.error({ err }, 'the password-hashing pool failed: restarting it');
  pool = undefined;
  void failed.destroy().catch(() => undefined);
}

async function runOnPool(task: object, name: 'hash' | 'compare'): Promise<unknown> {
  const current = hasherPool();
  try {
    return await current.run(task, { name });
  } catch (err) {
    hasherFailed(current, err);
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'Password hashing is temporarily unavailable, try again');
  }
}

/** The one place passwords are hashed and compared. */
export async function hashPassword(password: string): Promise<string> {
  const hash = await runOnPool({ password, rounds: config.BCRYPT_ROUNDS }, 'hash');
  if (typeof hash !== 'string') throw new Error('The password hasher returned no hash');
  return hash;
}

/** bcrypt reads only the first 72 bytes of a password; the password rules allow no more. */
export const MAX_PASSWORD_BYTES = 72;

/**
 * A password over 72 bytes never matches: bcrypt would compare only its first 72 bytes, so
 * "the real password + anything" would pass. It is still compared, so the refusal takes
 * as long as a wrong password's and says nothing more.
 */
export async function comparePassword(password: string, hash: string): Promise<boolean> {
  const matches = (await runOnPool({ password, hash }, 'compare')) === true;
  return matches && Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
}

let dummy: Promise<string> | undefined;

/** A hash to compare against when the email is unknown, so both failures take as long. */
export function dummyHash(): Promise<string> {
  if (!dummy) {
    const made = hashPassword('not-a-real-password-just-for-timing');
    made.catch(() => (dummy = undefined)); // a pool failure must not be remembered forever
    dummy = made;
  }
  return dummy;
}
