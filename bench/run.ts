// env must load first: it sets the environment src/config reads at import.
import { BENCH_TMP } from './env';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../src/config';
import { PROJECT_ROOT } from '../src/paths';
import { BenchContext, type Cleanup, type Scenario } from './context';
import { log } from './log';
import { formatReport, type BenchResults, type Environment, type TargetCheck, type TargetId } from './report';
import { SCENARIOS } from './scenario-list';
import type { Timing } from './scenarios';

const RESULTS_FILE = path.join(PROJECT_ROOT, 'bench', 'results.json');

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

/** `--only A,B` (target ids) or `--scale` (H alone); no flag: every scenario. */
export function selectScenarios(argv: string[]): Scenario[] {
  if (argv.includes('--scale')) return SCENARIOS.filter((s) => s.ids.includes('H'));
  const at = argv.indexOf('--only');
  const inline = argv.find((a) => a.startsWith('--only='));
  const list = inline ? inline.slice('--only='.length) : at >= 0 ? argv[at + 1] : undefined;
  if (list === undefined) return [...SCENARIOS];
  const wanted = new Set(list.split(',').map((id) => id.trim().toUpperCase()));
  const known = new Set(SCENARIOS.flatMap((s) => s.ids));
  const unknown = [...wanted].filter((id) => !known.has(id as TargetId));
  if (unknown.length > 0) throw new Error(`--only: no scenario measures ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return SCENARIOS.filter((s) => s.ids.some((id) => wanted.has(id)));
}

function environment(timing: Timing, serverLogLevel: string, loadAtStart: number[]): Environment {
  return {
    node: process.version,
    cpus: os.cpus().length,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    ...timing,
    bcryptRounds: config.BCRYPT_ROUNDS,
    dbPoolMax: config.DB_POOL_MAX,
    serverLogLevel,
    loadAverage: { start: loadAtStart, end: os.loadavg() },
  };
}

async function main(cleanups: Cleanup[]): Promise<void> {
  const selected = selectScenarios(process.argv.slice(2));
  const timing = timingFromEnv();
  const serverLogLevel = process.env.BENCH_SERVER_LOG_LEVEL || 'warn';
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg();
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const ctx = new BenchContext(timing, serverLogLevel, nodeArgs, cleanups);
  cleanups.push(() => ctx.closeShared());
  const scenarios: Record<string, unknown> = {};
  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  log(`scenarios: ${selected.map((s) => s.ids.join('')).join(', ')}`);
  for (const scenario of selected) {
    if (scenario.needs === 'own-database') await ctx.closeShared();
    const outcome = await scenario.run(ctx);
    scenarios[scenario.key] = outcome.results;
    rows.push(...outcome.rows);
    targets.push(...outcome.targets);
  }
  const env = environment(timing, serverLogLevel, loadAtStart);
  const results: BenchResults = { startedAt, environment: env, selected: selected.map((s) => s.key), scenarios, rows, targets };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatReport(results, new Set(SCENARIOS.flatMap((s) => s.ids))));
  log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/** Children first, then the database, then the temp dir; each step bounded by its own stop(). */
async function cleanUp(cleanups: Cleanup[]): Promise<void> {
  for (const step of cleanups.splice(0)) await step().catch((err: unknown) => log(`clean-up step failed: ${String(err)}`));
  rmSync(BENCH_TMP, { recursive: true, force: true });
}

async function fail(err: unknown): Promise<never> {
  log(`the harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await cleanUp(cleanups);
  process.exit(1);
}

const cleanups: Cleanup[] = [];
process.once('SIGINT', () => void cleanUp(cleanups).finally(() => process.exit(130)));
process.once('uncaughtException', (err) => void fail(err));
main(cleanups)
  .then(() => cleanUp(cleanups))
  .then(() => process.exit(0), fail);
