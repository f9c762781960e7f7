/**
 * The socket benchmarks alone, for development:
 *   npx tsc -p bench/tsconfig.json && node dist/bench/socket-run.js
 * (`npm run bench -- --only F,G` runs the same through the registry).
 */
import './env';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { getSequelize } from '../src/db/sequelize';
import { migrateUp } from '../src/db/migrate';
import { BENCH_TMP } from './env';
import { ensureCars, openBenchDatabase } from './fixtures';
import { log } from './log';
import { socketBench } from './socket-bench';

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  try {
    await migrateUp(getSequelize());
    // A catalogue that is not empty: the server imports nothing at boot.
    await ensureCars();
    const { results, targets } = await socketBench({ serverEntry: path.join(__dirname, '..', 'src', 'index.js'), databaseUrl: db.url });
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    for (const t of targets)
      process.stdout.write(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.pass === null ? 'SKIP' : t.pass ? 'PASS' : 'FAIL'} |\n`);
  } finally {
    await db.stop();
    rmSync(BENCH_TMP, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`socket bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
