import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { config } from '../src/config';
import { comparePassword, dummyHash, hashPassword } from '../src/services/password-hasher';

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
});
