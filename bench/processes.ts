import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BENCH_TMP } from './env';
import { log } from './log';

export interface ChildServer {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/** Polls `GET /healthz` (bounded); fails at once if the child dies. */
async function waitUntilServing(child: ChildProcess, url: string, name: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let died = false;
  const exit = exited(child).then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) {
      await exit;
      throw new Error(`${name} exited with code ${child.exitCode} before serving:\n${tail(logFile)}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await delay(200);
  }
  throw new Error(`${name} did not answer ${url}/healthz within 120 s:\n${tail(logFile)}`);
}

/** Runs a compiled entry point as its own process on a free loopback port, its output kept in a log file. */
export async function startChildServer(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(BENCH_TMP, `${name.replace(/\W+/g, '-')}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once('close', () => out.end());
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited(child);
      clearTimeout(force);
    }
  };
  try {
    await waitUntilServing(child, url, name, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`${name} serving at ${url} (pid ${child.pid})`);
  return { name, url, pid: child.pid ?? 0, logFile, stop };
}
