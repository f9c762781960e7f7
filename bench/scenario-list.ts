import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { config } from '../src/config';
import type { BenchContext, Scenario, ScenarioOutcome } from './context';
import { PASSWORD } from './fixtures';
import { log } from './log';
import { loadRow, ratio, type TargetId } from './report';
import { runScaleScenario } from './scale';
import { carById, carsByMake, logins, measure, measurePair, readsUnderLoginStorm, type Pair } from './scenarios';
import { socketEntry } from './socket-entry';
import { socketBench } from './socket-bench';
import { SERVER_ENTRY } from './context';
import { soakScenario } from './soak';
import { round } from './stats';

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

/** Reference CPU per response ÷ ours: the same comparison as req/s, far less moved by other load on the machine. */
function cpuRatio(p: Pair): string {
  const ours = p.ours.serverCpuUsPerResponse;
  const reference = p.reference.serverCpuUsPerResponse;
  return ours && reference ? ` (CPU/resp: ${ratio(reference, ours)}, ${ours} µs vs ${reference} µs)` : '';
}

/** A or B: our server and the reference under the same load, in alternating slices. */
function pairEntry(id: TargetId, label: string, goal: number, build: typeof carById): Scenario {
  return {
    key: id,
    ids: [id],
    needs: 'reference',
    run: async (ctx) => {
      const { ours, fx } = await ctx.shared();
      const pair = await measurePair(id, build, { ours, reference: await ctx.reference() }, fx, ctx.timing);
      const r = ratio(pair.ours.rps, pair.reference.rps);
      return {
        results: pair,
        rows: [loadRow(`${id} ${label} (ours)`, pair.ours), loadRow(`${id} ${label} (reference)`, pair.reference)],
        targets: [{ id, name: `${label} req/s ÷ reference`, goal: `≥ ${goal}`, measured: `${r}${cpuRatio(pair)}`, pass: r >= goal }],
      };
    },
  };
}

/** C: logins at 10 connections; the bcrypt floor measured right before and after, on the same machine. */
async function loginCapacity(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { ours, fx } = await ctx.shared();
  const before = bcryptSingleThreadPerSec(fx.passwordHash);
  const c = await measure('C ours', logins, ours, fx, 10, ctx.timing);
  const floor = round((before + bcryptSingleThreadPerSec(fx.passwordHash)) / 2, 1);
  log(`single-thread bcryptjs at cost ${config.BCRYPT_ROUNDS}: ${floor} compares/s`);
  ctx.notes.loginsPerSec = c.rps;
  ctx.notes.bcryptSingleThreadPerSec = floor;
  const r = ratio(c.rps, floor);
  return {
    results: { C: c, bcryptSingleThreadPerSec: floor },
    rows: [loadRow('C POST /login (ours)', c)],
    targets: [{ id: 'C', name: 'logins/s ÷ single-thread bcryptjs compares/s', goal: '≥ 1', measured: `${r} (${c.rps} ÷ ${floor})`, pass: r >= 1 }],
  };
}

/** D: reads alone, then beside logins paced at half of C's capacity (C runs first when it was not selected). */
async function readsDuringLogins(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { ours, fx } = await ctx.shared();
  const capacity = ctx.notes.loginsPerSec ?? (await measure('D: C alone, for the pace', logins, ours, fx, 10, ctx.timing)).rps;
  const d = await readsUnderLoginStorm(ours, fx, ctx.timing, Math.max(1, round(capacity / 2, 1)));
  const r = ratio(d.underStorm.p99, d.alone.p99);
  return {
    results: d,
    rows: [
      loadRow('D A alone (ours)', d.alone),
      loadRow('D A during logins (ours)', d.underStorm),
      loadRow(`D logins at ${d.stormRate}/s during A (ours)`, d.storm),
    ],
    targets: [
      {
        id: 'D',
        name: `A p99 during logins at ${d.stormRate}/s (½ of C) ÷ A p99 alone`,
        goal: '≤ 2',
        measured: `${r} (${d.underStorm.p99} ms ÷ ${d.alone.p99} ms)`,
        pass: r <= 2,
      },
    ],
  };
}

/**
 * Every scenario of `npm run bench`, in running order (`--only A,B` picks by target id).
 * Those on the shared database run first; those with a database of their own after it stops.
 */
export const SCENARIOS: readonly Scenario[] = [
  pairEntry('A', 'GET /cars/:id', 0.7, carById),
  pairEntry('B', 'GET /cars?make=…&limit=20', 0.75, carsByMake),
  { key: 'C', ids: ['C'], needs: 'shared', run: loginCapacity },
  { key: 'D', ids: ['D'], needs: 'shared', run: readsDuringLogins },
  socketEntry,
  {
    key: 'storm',
    ids: ['F', 'M', 'G'],
    needs: 'shared',
    // Its own server process on the shared database (SOCKETS_PER_IP raised) and client processes.
    run: async (ctx) => {
      const { db } = await ctx.database();
      const { results, targets } = await socketBench({ serverEntry: SERVER_ENTRY, databaseUrl: db.url, nodeArgs: ctx.nodeArgs });
      return { results, rows: [], targets };
    },
  },
  { key: 'I', ids: ['I'], needs: 'shared', run: soakScenario },
  { key: 'H', ids: ['H'], needs: 'own-database', run: runScaleScenario },
];
