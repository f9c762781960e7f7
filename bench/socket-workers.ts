import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { reply } from './socket-storm-kit';

const WORKER_ENTRY = path.join(__dirname, 'socket-worker.js');

/** Client processes of the socket benchmarks (bench/socket-worker.ts), each holding its share of the sockets. */
export class SocketWorkers {
  private constructor(readonly processes: ChildProcess[]) {}

  static async start(count: number): Promise<SocketWorkers> {
    const processes = Array.from({ length: count }, () => fork(WORKER_ENTRY, [], { stdio: 'ignore' }).on('error', () => undefined));
    await Promise.all(processes.map((w) => reply(w, 'ready')));
    return new SocketWorkers(processes);
  }

  /** Sends `command` to every worker (`perWorker` may shape it per worker) and collects each one's `answer`. */
  ask<T>(command: Record<string, unknown>, answer: string, perWorker?: (i: number) => Record<string, unknown>): Promise<T[]> {
    return Promise.all(
      this.processes.map((w, i) => {
        const answered = reply<{ report: T }>(w, answer);
        w.send({ ...command, ...perWorker?.(i) });
        return answered.then((r) => r.report);
      }),
    );
  }

  /** Splits `items` into one share per worker. */
  share<T>(items: T[], i: number): T[] {
    const size = Math.ceil(items.length / this.processes.length);
    return items.slice(i * size, (i + 1) * size);
  }

  kill(): void {
    for (const w of this.processes) if (w.exitCode === null) w.kill('SIGKILL');
  }
}
