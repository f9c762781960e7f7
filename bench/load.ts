import autocannon from 'autocannon';
import { cpuSeconds } from './cpu';
import { Samples, round } from './stats';

/** One request of a cycling sequence: every call hands out the next id, token, make or user. */
export interface NextRequest {
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  /** the server's process, whose CPU time per response is reported */
  pid?: number;
  connections: number;
  /** seconds */
  duration: number;
  method?: 'GET' | 'POST';
  /** requests per second over all connections (autocannon's `overallRate`); unset: as fast as answers return */
  overallRate?: number;
  next: () => NextRequest;
}

export interface LoadResult {
  connections: number;
  /** seconds actually run */
  duration: number;
  responses: number;
  rps: number;
  p50: number;
  p99: number;
  /** connection errors and timeouts */
  errors: number;
  /** the errors by kind (error code, or "timeout") */
  errorKinds: Record<string, number>;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** the server process's CPU time per response, in µs (null without /proc) */
  serverCpuUsPerResponse: number | null;
  /** this (the load-generating) process's CPU use while it ran, in % of one core */
  runnerCpuPercent: number;
}

/** A round-robin over a list, shared by every connection of a run. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('cannot cycle over an empty list');
  let i = 0;
  return () => {
    const item = items[i % items.length] as T;
    i += 1;
    return item;
  };
}

/** Counts and latencies of one or more runs against the same target, merged. */
export class LoadTally {
  private readonly latencies = new Samples();
  private readonly statusCodes: Record<string, number> = {};
  private readonly errorKinds: Record<string, number> = {};
  private errors = 0;
  private non2xx = 0;
  private seconds = 0;
  private serverCpu: number | undefined = 0;
  private runnerCpu = 0;

  constructor(readonly connections: number) {}

  response(statusCode: number, ms: number): void {
    this.latencies.add(ms);
    this.statusCodes[statusCode] = (this.statusCodes[statusCode] ?? 0) + 1;
  }

  error(err: unknown): void {
    const code = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
    this.errorKinds[code] = (this.errorKinds[code] ?? 0) + 1;
  }

  finished(result: autocannon.Result, serverCpu: number | undefined, runnerCpu: number): void {
    this.runnerCpu += runnerCpu;
    this.errors += result.errors;
    this.non2xx += result.non2xx;
    this.seconds += result.duration;
    this.serverCpu = this.serverCpu === undefined || serverCpu === undefined ? undefined : this.serverCpu + serverCpu;
  }

  result(): LoadResult {
    const { p50, p99 } = this.latencies.summary();
    const { connections, errors, errorKinds, non2xx, statusCodes } = this;
    const responses = this.latencies.count;
    const cpu = this.serverCpu === undefined || responses === 0 ? null : Math.round((this.serverCpu * 1e6) / responses);
    const runnerCpuPercent = Math.round((this.runnerCpu / this.seconds) * 100);
    return {
      connections,
      duration: round(this.seconds),
      responses,
      rps: round(responses / this.seconds, 1),
      p50,
      p99,
      errors,
      errorKinds,
      non2xx,
      statusCodes,
      serverCpuUsPerResponse: cpu,
      runnerCpuPercent,
    };
  }
}

/**
 * Drives the server with autocannon from this process. Latencies are taken from every
 * response's own timing (autocannon's histogram keeps whole milliseconds only), of every
 * status: non-2xx responses are counted apart.
 */
export function runLoad(spec: LoadSpec, tally = new LoadTally(spec.connections)): Promise<LoadTally> {
  const cpuAtStart = spec.pid === undefined ? undefined : cpuSeconds(spec.pid);
  const runnerAtStart = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.duration,
        method: spec.method ?? 'GET',
        timeout: 10,
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        requests: [
          {
            setupRequest: (request) => {
              const next = spec.next();
              return { ...request, path: next.path, headers: { ...request.headers, ...next.headers }, body: next.body ?? request.body };
            },
          },
        ],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const cpuAtEnd = spec.pid === undefined ? undefined : cpuSeconds(spec.pid);
        const runner = process.cpuUsage(runnerAtStart);
        tally.finished(
          result,
          cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : cpuAtEnd - cpuAtStart,
          (runner.user + runner.system) / 1e6,
        );
        resolve(tally);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => tally.response(statusCode, responseTime));
    instance.on('reqError', (err: unknown) => tally.error(err));
  });
}

/** The first request of a spec must succeed, or the harness (not the server's speed) is broken. */
export async function probe(spec: LoadSpec): Promise<void> {
  const next = spec.next();
  const res = await fetch(spec.url + next.path, { method: spec.method ?? 'GET', headers: next.headers, body: next.body });
  if (!res.ok) throw new Error(`probe ${spec.method ?? 'GET'} ${next.path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}
