import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { config } from '../config';
import { PROJECT_ROOT } from '../paths';

/** Plain JS in the source tree, so it loads the same under ts-jest and from dist. */
const WORKER_FILE = path.join(PROJECT_ROOT, 'src', 'services', 'password-hasher.worker.js');

/** One fewer than the cores, at least one: the event loop and PostgreSQL need the rest. */
export const HASHER_THREADS = Math.max(1, os.availableParallelism() - 1);

let pool: Piscina | undefined;

/**
 * bcrypt runs on a small pool of worker threads (one fewer than the cores, at least one):
 * a storm of logins queues there instead of stalling every other request. Idle threads
 * are unref'd and exit after a while, so they never keep the process alive.
 *
 * `stricterFIFO`: by default piscina puts a queued task it cannot dispatch yet back at the
 * TAIL of the queue, so under a sustained storm the same few logins are pushed back again
 * and again (one waited 8.9 s of an 8 s bench run). With it they go back to the front:
 * every comparison waits at most for the ones submitted before it.
 */
export function hasherPool(): Piscina {
  pool ??= new Piscina({
    filename: WORKER_FILE,
    minThreads: 0,
    maxThreads: HASHER_THREADS,
    idleTimeout: 30_000,
    stricterFIFO: true,
  });
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
