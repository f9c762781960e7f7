import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

export type LogLine = Record<string, unknown> & { level: number; msg?: string; reqId?: string };

/** A logger at `info` whose JSON lines the test can read, and wait for. */
export class LogCapture {
  readonly text: string[] = [];
  readonly logger: Logger;
  private waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor() {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.add(chunk.toString('utf8'));
        callback();
      },
    });
    this.logger = createLogger(stream, { level: 'info' });
  }

  get lines(): LogLine[] {
    return this.text.map((t) => JSON.parse(t) as LogLine);
  }

  /** Resolves with the first line (already logged or to come) that matches; fails after `ms`. */
  waitFor(match: (l: LogLine) => boolean, ms = 2000): Promise<LogLine> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line in ${ms} ms; got:\n${this.text.join('\n')}`)), ms);
      this.waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  private add(text: string): void {
    for (const line of text.split('\n').filter(Boolean)) {
      this.text.push(line);
      const parsed = JSON.parse(line) as LogLine;
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(parsed)) return true;
        w.resolve(parsed);
        return false;
      });
    }
  }
}
