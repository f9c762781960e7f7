import { Presets, SingleBar } from 'cli-progress';
import type { Logger } from 'pino';

/** Told how many rows have been fetched so far, of how many the source announced. */
export interface ImportProgress {
  start(total: number | undefined): void;
  update(fetched: number): void;
  stop(): void;
}

export type ImportLog = Pick<Logger, 'info' | 'warn' | 'error'>;

/** One log line per page: for logs, pipes and `npm start`. */
export function logProgress(log: ImportLog): ImportProgress {
  let total: number | undefined;
  return {
    start(announced) {
      total = announced;
      log.info({ total }, total === undefined ? 'fetching cars from Back4App' : `fetching ${total} cars from Back4App`);
    },
    update(fetched) {
      log.info({ fetched, total }, total === undefined ? `fetched ${fetched} rows` : `fetched ${fetched} of ${total} rows`);
    },
    stop: () => undefined,
  };
}

/** A progress bar for a terminal (stderr by default, so stdout keeps only the summary). */
export function barProgress(stream: NodeJS.WritableStream = process.stderr): ImportProgress {
  const bar = new SingleBar(
    { format: 'Fetching cars |{bar}| {value}/{total} rows | {percentage}% | ETA {eta_formatted}', stream, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      started = true;
      bar.start(total ?? 0, 0);
    },
    update(fetched) {
      if (fetched > bar.getTotal()) bar.setTotal(fetched);
      bar.update(fetched);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** The bar on a terminal, log lines anywhere else. */
export function defaultProgress(log: ImportLog, stream: NodeJS.WriteStream = process.stderr): ImportProgress {
  return stream.isTTY ? barProgress(stream) : logProgress(log);
}
