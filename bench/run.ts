// env must load first: it sets the environment src/config reads at import.
import { BENCH_TMP } from './env';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { config } from '../src/config';
import { PROJECT_ROOT } from '../src/paths';
import { openBenchDatabase, prepareFixtures, PASSWORD, type Fixtures } from './fixtures';
import { log } from './log';
import { startChildServer, type ChildServer } from './processes';
import { checkTargets, formatReport, type BenchResults, type Environment, type Measurements } from './report';
import { carById, carsByMake, logins, measure, measurePair, readsUnderLoginStorm, type Timing } from './scenarios';
import { socketScenario } from './socket-scenario';
import { runScale } from './scale';
import { round } from './stats';

const RESULTS_FILE = path.join(PROJECT_ROOT, 'bench', 'results.json');
const SERVER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'index.js');
const REFERENCE_ENTRY = path.join(__dirname, 'reference-server.js');

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds, got ${raw}`);
  return value;
}

function timingFromEnv(): Timing {
  const duration = Math.max(1, seconds('BENCH_DURATION', 10));
  const rounds = Math.max(1, Math.round(seconds('BENCH_ROUNDS', 2)));
  return { duration, rounds, warmup: seconds('BENCH_WARMUP', Math.min(3, Math.max(1, Math.round(duration / 5)))) };
}

/** What one thread of bcryptjs reaches at the server's cost: the floor for C. */
function bcryptSingleThreadPerSec(hash: string): number {
  const started = performance.now();
  let n = 0;
  while (n < 3 || performance.now() - started < 1500) {
    bcrypt.compareSync(PASSWORD, hash);
    n += 1;
  }
  return round(n / ((performance.now() - started) / 1000), 1);
}

async function measureAll(ours: ChildServer, reference: ChildServer, fx: Fixtures, timing: Timing): Promise<Measurements> {
  const A = await measurePair('A', carById, { ours, reference }, fx, timing);
  const B = await measurePair('B', carsByMake, { ours, reference }, fx, timing);
  // The floor for C, measured right before and after it so that both see the same machine.
  const bcryptBefore = bcryptSingleThreadPerSec(fx.passwordHash);
  const C = await measure('C ours', logins, ours, fx, 10, timing);
  const bcryptPerSec = round((bcryptBefore + bcryptSingleThreadPerSec(fx.passwordHash)) / 2, 1);
  log(`single-thread bcryptjs at cost ${config.BCRYPT_ROUNDS}: ${bcryptPerSec} compares/s`);
  const D = await readsUnderLoginStorm(ours, fx, timing);
  const E = await socketScenario(ours, fx.users, timing.duration, timing.warmup);
  return { A, B, C, bcryptSingleThreadPerSec: bcryptPerSec, D, E };
}

function environment(timing: Timing, serverLogLevel: string): Environment {
  return {
    node: process.version,
    cpus: os.cpus().length,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    ...timing,
    bcryptRounds: config.BCRYPT_ROUNDS,
    dbPoolMax: config.DB_POOL_MAX,
    serverLogLevel,
  };
}

async function main(cleanups: (() => Promise<void>)[]): Promise<void> {
  // `npm run bench -- --scale`: only the million-car catalogue scenario (bench/scale.ts).
  if (process.argv.includes('--scale')) return runScale(cleanups, SERVER_ENTRY);
  const timing = timingFromEnv();
  const serverLogLevel = process.env.BENCH_SERVER_LOG_LEVEL || 'warn';
  const startedAt = new Date().toISOString();
  const db = await openBenchDatabase();
  cleanups.push(db.stop);
  const fx = await prepareFixtures(db.url);
  const childEnv = { DATABASE_URL: db.url, LOG_LEVEL: serverLogLevel };
  // BENCH_SERVER_NODE_ARGS profiles our server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  // E measures how fast messages are stored and acked, not the per-user chat rate limit.
  const ours = await startChildServer('api-server', SERVER_ENTRY, { ...childEnv, CHAT_RATE_LIMIT: '1000000' }, nodeArgs);
  cleanups.unshift(ours.stop);
  const reference = await startChildServer('reference-server', REFERENCE_ENTRY, childEnv);
  cleanups.unshift(reference.stop);
  const scenarios = await measureAll(ours, reference, fx, timing);
  const results: BenchResults = { startedAt, environment: environment(timing, serverLogLevel), scenarios, targets: checkTargets(scenarios) };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatReport(results));
  log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/** Children first, then the database, then the temp dir; each step bounded by its own stop(). */
async function cleanUp(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const step of cleanups.splice(0)) await step().catch((err: unknown) => log(`clean-up step failed: ${String(err)}`));
  rmSync(BENCH_TMP, { recursive: true, force: true });
}

async function fail(err: unknown): Promise<never> {
  log(`the harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await cleanUp(cleanups);
  process.exit(1);
}

const cleanups: (() => Promise<void>)[] = [];
process.once('SIGINT', () => void cleanUp(cleanups).finally(() => process.exit(130)));
process.once('uncaughtException', (err) => void fail(err));
main(cleanups)
  .then(() => cleanUp(cleanups))
  .then(() => process.exit(0), fail);
