import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { config } from '../src/config';
import { comparePassword, dummyHash, HASHER_THREADS, hashPassword } from '../src/services/password-hasher';

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
async function steadyStream(callers: number, perCaller: number, hash: string): Promise<Finished[]> {
  let submittedSoFar = 0;
  let finishedSoFar = 0;
  const finished: Finished[] = [];
  const caller = async () => {
    for (let i = 0; i < perCaller; i += 1) {
      const submitted = submittedSoFar++;
      const finishedBefore = finishedSoFar;
      await comparePassword('not-the-password', hash);
      finishedSoFar += 1;
      finished.push({ submitted, finishedWhileWaiting: finishedSoFar - 1 - finishedBefore });
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return finished;
}

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

  it('when many callers keep the pool busy, then comparisons finish in the order submitted and none waits behind more than the queue', async () => {
    // Cost 8: tens of ms each, so a queue forms behind the pool's threads and stays.
    const hash = await bcrypt.hash('the-real-password', 8);
    const callers = 10;
    const finished = await steadyStream(callers, 8, hash);
    expect(finished).toHaveLength(80);
    // In order, a comparison can only be overtaken by ones that started on the other threads
    // while it ran (a few each, as the OS stretches a run now and then on a shared machine);
    // piscina's default queue let one be overtaken by almost the whole stream (66 of 80).
    expect(Math.max(...overtakes(finished))).toBeLessThanOrEqual(3 * (HASHER_THREADS - 1));
    // Bounded wait: at most the other callers' queued comparisons, and those running, finish first.
    expect(Math.max(...finished.map((f) => f.finishedWhileWaiting))).toBeLessThanOrEqual(callers - 1 + HASHER_THREADS);
  });
});
