import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface RecordingLog {
  log: Logger;
  /** The messages logged so far, oldest first. */
  messages(): string[];
}

/** A real pino logger whose lines the test can read back. */
export function recordingLog(): RecordingLog {
  const lines: { msg?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { msg?: string });
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), messages: () => lines.map((l) => l.msg ?? '') };
}
