import path from 'node:path';
import type { Scenario, ScenarioOutcome } from './context';
import { startChildServer, type ChildServer } from './processes';
import { ratio, type TargetCheck } from './report';
import { chatLoad, type ChatRun } from './socket-chat';

const REFERENCE_ENTRY = path.join(__dirname, 'socket-reference-server.js');

function row(run: ChatRun): string[] {
  const failed = Object.values(run.failed).reduce((s, n) => s + n, 0) + run.unacked;
  return [
    `E message:send acks (${run.server})`,
    String(run.clients),
    String(run.acksPerSec),
    String(run.p50),
    String(run.p99),
    String(failed),
    '-',
    String(run.serverCpuUsPerAck ?? '-'),
    '-',
  ];
}

/** Acks/s over all of a server's slices together. */
function rate(runs: ChatRun[]): number {
  const acked = runs.reduce((n, r) => n + r.acked, 0);
  const seconds = runs.reduce((n, r) => n + r.acked / Math.max(r.acksPerSec, 1e-9), 0);
  return seconds > 0 ? Math.round((acked / seconds) * 10) / 10 : 0;
}

function targets(ours: ChatRun[], reference: ChatRun[]): TargetCheck[] {
  const lost = ours.reduce((n, r) => n + r.store.lost + r.store.storedDespiteFailure, 0);
  const duplicated = ours.reduce((n, r) => n + r.store.duplicated, 0);
  const failed = ours.reduce((n, r) => n + Object.values(r.failed).reduce((s, k) => s + k, 0) + r.unacked, 0);
  const r = ratio(rate(ours), rate(reference));
  const cpu = (runs: ChatRun[]) => Math.round(runs.reduce((n, x) => n + (x.serverCpuUsPerAck ?? 0), 0) / runs.length);
  return [
    {
      id: 'E',
      name: 'chat acks/s ÷ reference Socket.IO server, none lost or duplicated',
      goal: '≥ 0.6, 0 lost, 0 duplicated',
      measured: `${r} (${rate(ours)} vs ${rate(reference)} acks/s; CPU/ack ${cpu(ours)} vs ${cpu(reference)} µs), ${lost} lost, ${duplicated} duplicated, ${failed} failed`,
      pass: r >= 0.6 && lost === 0 && duplicated === 0 && failed === 0,
    },
  ];
}

/**
 * E: our server and a reference Socket.IO server (bench/socket-reference-server.ts) on the
 * same database under the same chat load, in alternating slices; every ack of ours is
 * checked against the Messages table.
 */
export const socketEntry: Scenario = {
  key: 'socket',
  ids: ['E'],
  needs: 'shared',
  run: async (ctx): Promise<ScenarioOutcome> => {
    const { ours, db, fx } = await ctx.shared();
    const reference: ChildServer = await startChildServer('socket-reference', REFERENCE_ENTRY, { DATABASE_URL: db.url });
    ctx.cleanups.push(reference.stop);
    const runs: { ours: ChatRun[]; reference: ChatRun[] } = { ours: [], reference: [] };
    try {
      for (let round = 0; round < ctx.timing.rounds; round += 1) {
        runs.ours.push(await chatLoad(ours, fx.users, ctx.timing.duration, ctx.timing.warmup));
        runs.reference.push(await chatLoad(reference, fx.users, ctx.timing.duration, ctx.timing.warmup));
      }
    } finally {
      await reference.stop();
    }
    return { results: runs, rows: [...runs.ours, ...runs.reference].map(row), targets: targets(runs.ours, runs.reference) };
  },
};
