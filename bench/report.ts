import type { LoadResult } from './load';
import type { Pair, StormResult } from './scenarios';
import type { SocketOutcome } from './socket-scenario';
import { round } from './stats';

export interface Environment {
  node: string;
  cpus: number;
  database: 'embedded' | 'DATABASE_URL';
  duration: number;
  warmup: number;
  rounds: number;
  bcryptRounds: number;
  dbPoolMax: number;
  serverLogLevel: string;
}

export interface Measurements {
  A: Pair;
  B: Pair;
  C: LoadResult;
  /** compares per second of bcryptjs on one thread at the same cost, measured in the runner */
  bcryptSingleThreadPerSec: number;
  D: StormResult;
  E: SocketOutcome;
}

export interface TargetCheck {
  name: string;
  goal: string;
  measured: string;
  /** null when the scenario was skipped */
  pass: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  environment: Environment;
  scenarios: Measurements;
  targets: TargetCheck[];
}

const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : Number.NaN);

function socketTarget(e: SocketOutcome): TargetCheck {
  const name = 'E every ack ok, none lost or duplicated';
  const goal = '0 lost, 0 duplicated, 0 failed';
  if ('skipped' in e) return { name, goal, measured: `skipped: ${e.skipped}`, pass: null };
  if ('error' in e) return { name, goal, measured: e.error, pass: false };
  const failed = Object.values(e.failed).reduce((s, n) => s + n, 0) + e.unacked;
  const measured = `${e.store.lost} lost, ${e.store.duplicated} duplicated, ${failed} failed/unacked of ${e.sent}`;
  return { name, goal, measured, pass: e.store.lost === 0 && e.store.duplicated === 0 && failed === 0 && e.acked > 0 };
}

/** Reference CPU per response ÷ ours: the same comparison as req/s, far less moved by other load on the machine. */
function cpuRatio(p: Pair): string {
  const ours = p.ours.serverCpuUsPerResponse;
  const reference = p.reference.serverCpuUsPerResponse;
  return ours && reference ? ` (CPU/resp: ${ratio(reference, ours)})` : '';
}

export function checkTargets(m: Measurements): TargetCheck[] {
  const a = ratio(m.A.ours.rps, m.A.reference.rps);
  const b = ratio(m.B.ours.rps, m.B.reference.rps);
  const c = ratio(m.C.rps, m.bcryptSingleThreadPerSec);
  const d = ratio(m.D.underStorm.p99, m.D.alone.p99);
  return [
    { name: 'A req/s ÷ reference', goal: '≥ 0.5', measured: `${a}${cpuRatio(m.A)}`, pass: a >= 0.5 },
    { name: 'B req/s ÷ reference', goal: '≥ 0.5', measured: `${b}${cpuRatio(m.B)}`, pass: b >= 0.5 },
    {
      name: 'C logins/s ÷ single-thread bcryptjs compares/s',
      goal: '≥ 1',
      measured: `${c} (${m.C.rps} ÷ ${m.bcryptSingleThreadPerSec})`,
      pass: c >= 1,
    },
    { name: 'D A p99 under login storm ÷ A p99 alone', goal: '≤ 3', measured: `${d} (${m.D.underStorm.p99} ms ÷ ${m.D.alone.p99} ms)`, pass: d <= 3 },
    socketTarget(m.E),
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const cell = (n: number) => (Number.isFinite(n) ? String(n) : '-');

const cpuCell = (us: number | null) => (us === null ? '-' : String(us));

function loadRow(name: string, r: LoadResult): string[] {
  return [
    name,
    String(r.connections),
    cell(r.rps),
    cell(r.p50),
    cell(r.p99),
    String(r.errors),
    String(r.non2xx),
    cpuCell(r.serverCpuUsPerResponse),
    `${r.runnerCpuPercent}%`,
  ];
}

function socketRow(e: SocketOutcome): string[] {
  const name = 'E message:send acks (ours)';
  if ('skipped' in e) return [name, '100', 'skipped', '', '', '', '', '', ''];
  if ('error' in e) return [name, '100', 'failed', '', '', '', '', '', ''];
  const failed = Object.values(e.failed).reduce((s, n) => s + n, 0) + e.unacked;
  return [
    name,
    String(e.clients),
    cell(e.acksPerSec),
    cell(e.p50),
    cell(e.p99),
    String(failed),
    '-',
    cpuCell(e.serverCpuUsPerAck),
    `${e.runnerCpuPercent}%`,
  ];
}

/** The results as a Markdown table of scenarios and one of targets. */
export function formatReport(results: BenchResults): string {
  const { scenarios: s } = results;
  const rows = [
    loadRow('A GET /cars/:id (ours)', s.A.ours),
    loadRow('A GET /cars/:id (reference)', s.A.reference),
    loadRow('B GET /cars?make=…&limit=20 (ours)', s.B.ours),
    loadRow('B GET /cars?make=…&limit=20 (reference)', s.B.reference),
    loadRow('C POST /login (ours)', s.C),
    loadRow('D A alone (ours)', s.D.alone),
    loadRow('D A during C (ours)', s.D.underStorm),
    loadRow('D C during A (ours)', s.D.storm),
    socketRow(s.E),
  ];
  const mark = (p: boolean | null) => (p === null ? 'SKIP' : p ? 'PASS' : 'FAIL');
  const targets = results.targets.map((t) => [t.name, t.goal, t.measured, mark(t.pass)]);
  const env = results.environment;
  return [
    `${env.duration} s per scenario after ${env.warmup} s warm-up (A and B: ${env.rounds} alternating slices per server); ${env.cpus} CPUs; node ${env.node}; bcrypt cost ${env.bcryptRounds}; pool ${env.dbPoolMax}; ${env.database} PostgreSQL`,
    '',
    table(['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'server CPU µs/resp', 'runner CPU'], rows),
    '',
    table(['target', 'goal', 'measured', 'result'], targets),
    '',
  ].join('\n');
}
