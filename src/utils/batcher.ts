import { Semaphore } from './semaphore';

interface Waiter<V> {
  resolve: (value: V) => void;
  reject: (err: unknown) => void;
}

/**
 * Coalesces single look-ups or writes into batches: every key asked for in the same turn of
 * the event loop (and while earlier batches run) goes into one call of `run`, at most
 * `maxBatch` keys a call and `concurrency` calls at once. Under a burst of 5,000
 * handshakes that is a handful of statements instead of 5,000 competing for the pool;
 * alone, a key waits one setImmediate. A key asked for twice shares one result.
 */
export class Batcher<K, V> {
  private pending = new Map<K, Waiter<V>[]>();
  private scheduled = false;
  private readonly slots: Semaphore;

  constructor(
    private readonly run: (keys: K[]) => Promise<Map<K, V>>,
    private readonly fallback: V,
    private readonly options: { maxBatch: number; concurrency: number },
  ) {
    this.slots = new Semaphore(options.concurrency);
  }

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Keys are taken when a slot frees up, so a batch holds everything that queued meanwhile. */
  private async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await this.slots.run(async () => {
        const batch = new Map<K, Waiter<V>[]>();
        for (const [key, waiters] of this.pending) {
          if (batch.size >= this.options.maxBatch) break;
          batch.set(key, waiters);
        }
        for (const key of batch.keys()) this.pending.delete(key);
        if (batch.size === 0) return;
        try {
          const results = await this.run([...batch.keys()]);
          for (const [key, waiters] of batch) {
            const value = results.get(key);
            for (const w of waiters) w.resolve(value === undefined ? this.fallback : value);
          }
        } catch (err) {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
        }
      });
    }
  }
}
