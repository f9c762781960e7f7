import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { config } from '../src/config';
import { comparePassword, createHasherPool, dummyHash, hashPassword } from '../src/services/auth/password-hash.pool';

/**
 * How late the event loop's turns were while `work` ran (90th percentile, ms). A percentile,
 * not the maximum: on a shared, loaded machine the OS alone can hold a thread back now and then.
 */
async function loopDelayP90Ms(work: () => Promise<unknown>): Promise<{ delay: number; elapsed: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  await work();
  const elapsed = performance.now() - started;
  histogram.disable();
  return { delay: histogram.percentile(90) / 1e6, elapsed };
}

interface Finished {
  /** Submission order across every caller. */
  submitted: number;
  /** How many comparisons finished between this one's submission and its own end. */
  finishedWhileWaiting: number;
}

/**
 * `callers` callers each submit `perCaller` comparisons back to back (the next as soon as
 * the previous answers), like logins arriving from busy clients, and record the order.
 */
async function steadyStream(callers: number, perCaller: number, compare: () => Promise<unknown>): Promise<Finished[]> {
  let submittedSoFar = 0;
  let finishedSoFar = 0;
  const finished: Finished[] = [];
  const caller = async () => {
    for (let i = 0; i < perCaller; i += 1) {
      const submitted = submittedSoFar++;
      const finishedBefore = finishedSoFar;
      await compare();
      finishedSoFar += 1;
      finished.push({ submitted, finishedWhileWaiting: finishedSoFar - 1 - finishedBefore });
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return finished;
}

/** A thread's nice value: field 19 of its /proc stat file (Linux). */
function niceOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const threadNiceValues = () => readdirSync('/proc/self/task').map((tid) => niceOf(`/proc/self/task/${tid}/stat`));

/** For each comparison, how many submitted after it finished before it. */
function overtakes(finished: Finished[]): number[] {
  return finished.map(({ submitted }, position) => finished.slice(0, position).filter((earlier) => earlier.submitted > submitted).length);
}

describe('password hasher', () => {
  it('when a password is hashed, then it is a bcrypt hash of the configured cost that matches only that password', async () => {
    const hash = await hashPassword('a-long-enough-secret');
    expect(hash).toMatch(new RegExp(`^\\$2[aby]\\$${String(config.BCRYPT_ROUNDS).padStart(2, '0')}\\$`));
    expect(await comparePassword('a-long-enough-secret', hash)).toBe(true);
    expect(await comparePassword('a-long-enough-secreT', hash)).toBe(false);
    // Unknown emails are compared against this, so it must cost what a real hash costs.
    expect((await dummyHash()).slice(0, 7)).toBe(hash.slice(0, 7));
  });

  it('when several expensive comparisons run at once, then the event loop never stalls on them', async () => {
    // Cost 12: about half a second each in bcryptjs. On the main thread, even bcryptjs's
    // async API holds the loop in 100 ms slices (a p90 of ~300 ms measured with three at
    // once); on the worker pool the p90 stays near the 5 ms timer resolution.
    const expensive = await bcrypt.hash('the-real-password', 12);
    const { delay, elapsed } = await loopDelayP90Ms(() => Promise.all([1, 2, 3].map(() => comparePassword('wrong', expensive))));
    expect(elapsed).toBeGreaterThan(300);
    expect(delay).toBeLessThan(50);
  });

  it('when many callers keep a one-thread pool busy, then comparisons finish exactly in the order submitted', async () => {
    // One thread, as on a 2-core box before: there the order is fully the queue's (with more
    // threads the OS scheduler also has a say in which finishes first). Cost 8: tens of ms
    // each, so a queue forms and stays.
    const pool = createHasherPool(1);
    const hash = await bcrypt.hash('the-real-password', 8);
    const callers = 10;
    try {
      const finished = await steadyStream(callers, 8, () => pool.run({ password: 'not-the-password', hash }, { name: 'compare' }));
      expect(finished).toHaveLength(80);
      // piscina's default queue let one comparison be overtaken by 66 of the 80.
      expect(Math.max(...overtakes(finished))).toBe(0);
      // Bounded wait: only the other callers' comparisons, all submitted earlier, finish first.
      expect(Math.max(...finished.map((f) => f.finishedWhileWaiting))).toBeLessThanOrEqual(callers - 1);
    } finally {
      await pool.destroy();
    }
  });

  (process.platform === 'linux' ? it : it.skip)('when the hasher runs, then its threads run below the priority of the event loop', async () => {
    const loopNice = niceOf('/proc/self/stat');
    await comparePassword('anything', await dummyHash());
    expect(threadNiceValues()).toContain(Math.min(19, loopNice + 5));
  });
});
