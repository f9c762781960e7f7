import os from 'node:os';
import { Piscina } from 'piscina';
import { config } from '../config';
import { HASHER_WORKER_FILE } from '../paths';

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
  pool ??= createHasherPool(HASHER_THREADS);
  return pool;
}

/** The one place passwords are hashed and compared. */
export async function hashPassword(password: string): Promise<string> {
  const hash: unknown = await hasherPool().run({ password, rounds: config.BCRYPT_ROUNDS }, { name: 'hash' });
  if (typeof hash !== 'string') throw new Error('The password hasher returned no hash');
  return hash;
}

export async function comparePassword(password: string, hash: string): Promise<boolean> {
  return (await hasherPool().run({ password, hash }, { name: 'compare' })) === true;
}

let dummy: Promise<string> | undefined;

/** A hash to compare against when the email is unknown, so both failures take as long. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password-just-for-timing');
  return dummy;
}
