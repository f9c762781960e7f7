import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export type ServerLog = Record<string, unknown> & { level: number; msg?: string };

/** A temp dir the embedded PostgreSQL (which runs as `postgres` when we are root) can enter. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * The real server (`src/index.ts`, as `npm start` runs it but without the build step) in a
 * child process, in production mode so it logs JSON lines, which the test reads.
 */
export class ChildServer {
  readonly logs: ServerLog[] = [];
  /** Lines on stdout that are not JSON (there should be none in production). */
  readonly notJson: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;
  private readonly child: ChildProcess;
  private waiters: { match: (l: ServerLog) => boolean; resolve: (l: ServerLog) => void }[] = [];
  private stderr = '';

  /** `launch` runs something else than the source tree, e.g. a built runtime layout (`['dist/src/index.js']` in its dir). */
  constructor(
    env: Record<string, string>,
    launch: { cwd: string; args: string[] } = { cwd: ROOT, args: ['-r', 'ts-node/register/transpile-only', 'src/index.ts'] },
  ) {
    this.child = spawn(process.execPath, launch.args, {
      cwd: launch.cwd,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: '0',
        JWT_SECRET: randomBytes(32).toString('hex'),
        BCRYPT_ROUNDS: '4',
        BACK4APP_URL: 'http://127.0.0.1:9',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.filter(Boolean).forEach((line) => this.add(line));
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once the server listens; fails with its output if it exits or takes over `ms`. */
  async ready(ms = 60_000): Promise<this> {
    const exited = this.exited.then(({ code }) => {
      throw new Error(`the server exited (${code}) before listening:\n${this.output()}`);
    });
    const listening = await Promise.race([this.waitFor((l) => l.msg === 'listening', ms), exited]);
    this.port = Number(listening.port);
    return this;
  }

  /** For a server started quiet (LOG_LEVEL=warn) on a fixed PORT: resolves once `/healthz` answers. */
  async readyOn(port: number, ms = 60_000): Promise<this> {
    this.port = port;
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the server exited (${this.child.exitCode}) before listening:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`the server did not listen in ${ms} ms:\n${this.output()}`);
      const status = await call(this.url, { path: '/healthz', timeoutMs: 1000 }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return this;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  waitFor(match: (l: ServerLog) => boolean, ms = 15_000): Promise<ServerLog> {
    const found = this.logs.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such log line in ${ms} ms:\n${this.output()}`)), ms);
      this.waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** Kills the process if a test left it running. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  output(): string {
    return `${this.logs.map((l) => JSON.stringify(l)).join('\n')}\n${this.stderr}`;
  }

  private add(line: string): void {
    let parsed: ServerLog;
    try {
      parsed = JSON.parse(line) as ServerLog;
    } catch {
      this.notJson.push(line);
      return;
    }
    this.logs.push(parsed);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(parsed)) return true;
      w.resolve(parsed);
      return false;
    });
  }
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
  contentType: string;
  ms: number;
}

/** One request on a fresh connection (no keep-alive), with a hard time limit. */
export function call(
  url: string,
  options: { method?: string; path: string; token?: string; body?: unknown; timeoutMs?: number },
): Promise<JsonResponse> {
  const started = Date.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${options.path}`,
      {
        method: options.method ?? 'GET',
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { access_token: options.token } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            contentType: String(res.headers['content-type']),
            ms: Date.now() - started,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${options.path} in ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A port that was free a moment ago, for a child server that must not log its `listening` line. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
