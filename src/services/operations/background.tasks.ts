import { logger } from '../../logger';

const running = new Set<Promise<void>>();

/**
 * Work a response does not wait for (sending an email after a 202, so the answer takes the
 * same time whatever the address). Failures are logged by name, never thrown; `settled()`
 * lets a shutdown (or a test) wait for what is still running.
 */
export function runInBackground(name: string, work: () => Promise<void>): void {
  const task = Promise.resolve()
    .then(work)
    .catch((err: unknown) => logger.error({ err, task: name }, 'background task failed'))
    .finally(() => running.delete(task));
  running.add(task);
}

/** Resolves once every background task started so far has finished (or `timeoutMs` passed). */
export async function backgroundSettled(timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([Promise.allSettled([...running]), timeout]);
  clearTimeout(timer);
}
