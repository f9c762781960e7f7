import type { Scenario, ScenarioOutcome } from './context';
import type { TargetCheck } from './report';
import { socketScenario, type SocketOutcome } from './socket-scenario';

/**
 * The socket scenarios as ONE registry entry: today E (100 clients, every ack checked against
 * the table). The socket bench (E against a reference Socket.IO server, F, G, M) replaces this
 * file's entry as a whole: its `ids`, its `run` and nothing else in the harness.
 */
function outcome(e: SocketOutcome): ScenarioOutcome {
  const name = 'E message:send acks (ours)';
  const check = (measured: string, pass: boolean | null): TargetCheck[] => [
    { id: 'E', name: 'every ack ok, none lost or duplicated', goal: '0 lost, 0 duplicated, 0 failed', measured, pass },
    { id: 'E', name: 'acks/s ÷ reference Socket.IO server', goal: '≥ 0.6', measured: 'no reference server in this entry yet', pass: null },
  ];
  if ('skipped' in e) return { results: e, rows: [[name, '100', 'skipped']], targets: check(`skipped: ${e.skipped}`, null) };
  if ('error' in e) return { results: e, rows: [[name, '100', 'failed']], targets: check(e.error, false) };
  const failed = Object.values(e.failed).reduce((s, n) => s + n, 0) + e.unacked;
  const measured = `${e.store.lost} lost, ${e.store.duplicated} duplicated, ${failed} failed/unacked of ${e.sent}`;
  const row = [
    name,
    String(e.clients),
    String(e.acksPerSec),
    String(e.p50),
    String(e.p99),
    String(failed),
    '-',
    String(e.serverCpuUsPerAck ?? '-'),
    `${e.runnerCpuPercent}%`,
  ];
  return { results: e, rows: [row], targets: check(measured, e.store.lost === 0 && e.store.duplicated === 0 && failed === 0 && e.acked > 0) };
}

export const socketEntry: Scenario = {
  key: 'socket',
  ids: ['E'],
  needs: 'shared',
  run: async (ctx) => {
    const { ours, fx } = await ctx.shared();
    return outcome(await socketScenario(ours, fx.users, ctx.timing.duration, ctx.timing.warmup));
  },
};
