import type { RateLimiterRes } from 'rate-limiter-flexible';

/** What the limiter needs of a rate-limiter-flexible store (RateLimiterMemory, RateLimiterPostgres, …). */
export interface AttemptStore {
  get(key: string): Promise<RateLimiterRes | null>;
  penalty(key: string, points?: number): Promise<RateLimiterRes>;
}

/** `acquire` refused: the key has used its budget for this window. */
export class BudgetSpent extends Error {
  constructor(readonly retryAfterMs: number) {
    super('Too many counted attempts');
    this.name = 'BudgetSpent';
  }
}

interface KeyState {
  /** Attempts of this key started here and not yet released. */
  running: number;
  /** Bumped by every release, so a count read before it is known to be stale. */
  releases: number;
  waiters: (() => void)[];
}

/**
 * Limits the attempts per key that COUNT (a failed login, say) to `limit` per window of
 * the store, counting only attempts that completed as counted, never ones in flight.
 *
 * An attempt starts only while `counted + running < limit`; otherwise it waits until a
 * running one ends and looks again. So any number of simultaneous correct logins all get
 * through (near the limit they queue behind each other), while simultaneous wrong ones
 * still stop at exactly the limit: no more can be in flight than failures are left.
 * `running` is this process's only; across instances sharing a store each one keeps it.
 */
export class AttemptLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly store: AttemptStore,
    private readonly limit: number,
  ) {}

  /** Resolves once the attempt may start; call `release` after it. Throws BudgetSpent. */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const before = this.keys.get(key);
      const releasesBefore = before?.releases;
      const { counted, retryAfterMs } = await this.countOf(key);
      const state = this.keys.get(key);
      // An attempt ended while the store answered: the count may miss it, so read again.
      if (state !== before || state?.releases !== releasesBefore) continue;
      if (counted >= this.limit) throw new BudgetSpent(retryAfterMs);
      if (!state) {
        this.keys.set(key, { running: 1, releases: 0, waiters: [] });
        return;
      }
      if (counted + state.running < this.limit) {
        state.running += 1;
        return;
      }
      await new Promise<void>((resolve) => state.waiters.push(resolve));
    }
  }

  /** Ends an attempt; `counts` records it in the store before anyone waiting looks again. */
  async release(key: string, counts: boolean): Promise<void> {
    try {
      if (counts) await this.store.penalty(key, 1);
    } finally {
      const state = this.keys.get(key);
      if (state) {
        state.running -= 1;
        state.releases += 1;
        if (state.running <= 0) this.keys.delete(key);
        for (const wake of state.waiters.splice(0)) wake();
      }
    }
  }

  private async countOf(key: string): Promise<{ counted: number; retryAfterMs: number }> {
    const res = await this.store.get(key);
    // Every window here has a duration; a memory record past it lingers until its timer fires.
    if (!res || res.msBeforeNext <= 0) return { counted: 0, retryAfterMs: 0 };
    return { counted: res.consumedPoints, retryAfterMs: res.msBeforeNext };
  }
}
