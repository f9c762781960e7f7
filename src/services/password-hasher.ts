import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { config } from '../config';
import { PROJECT_ROOT } from '../paths';

/** Plain JS in the source tree, so it loads the same under ts-jest and from dist. */
const WORKER_FILE = path.join(PROJECT_ROOT, 'src', 'services', 'password-hasher.worker.js');

let pool: Piscina | undefined;

/**
 * bcrypt runs on a small pool of worker threads (one fewer than the cores, at least one):
 * a storm of logins queues there instead of stalling every other request. Idle threads
 * are unref'd and exit after a while, so they never keep the process alive.
 */
export function hasherPool(): Piscina {
  pool ??= new Piscina({
    filename: WORKER_FILE,
    minThreads: 0,
    maxThreads: Math.max(1, os.availableParallelism() - 1),
    idleTimeout: 30_000,
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
