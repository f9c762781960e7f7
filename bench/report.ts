import type { LoadResult } from './load';
import { round } from './stats';

/** The targets of issue 17, one letter each. */
export type TargetId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'M';

/** Every target of issue 17 in the order of the final table, with its goal. */
export const ISSUE_TARGETS: readonly { id: TargetId; what: string; goal: string }[] = [
  { id: 'A', what: 'GET /cars/:id req/s ÷ reference', goal: '≥ 0.7' },
  { id: 'B', what: 'GET /cars?make=… req/s ÷ reference', goal: '≥ 0.75' },
  { id: 'C', what: 'logins/s ÷ single-thread bcryptjs compares/s', goal: '≥ 1' },
  { id: 'D', what: 'A p99 during a paced login storm ÷ A p99 alone', goal: '≤ 2' },
  { id: 'E', what: 'chat acks/s ÷ reference Socket.IO server, none lost or duplicated', goal: '≥ 0.6, 0 lost, 0 duplicated' },
  { id: 'F', what: '5,000 sockets opening in one burst', goal: '0 failures, all within 15 s, presence exact' },
  { id: 'G', what: 'one message to 2,000 sockets, 20 times', goal: 'every socket gets every message, p99 ≤ 250 ms' },
  { id: 'H', what: 'read routes at 1M cars, 100k users, 1M messages, one client', goal: 'p99 ≤ 50 ms per route' },
  { id: 'I', what: 'soak: reads, logins, chat, sockets joining and leaving', goal: '0 5xx, RSS +≤ 10 %, lag p99 ≤ 50 ms, 0 ERROR lines' },
  { id: 'M', what: 'server memory per idle authenticated socket', goal: '≤ 30 KB' },
];

export interface TargetCheck {
  id: TargetId;
  name: string;
  goal: string;
  measured: string;
  /** null when the scenario could not measure it (skipped) */
  pass: boolean | null;
}

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
  /** the 1-, 5- and 15-minute load averages when the run started and ended */
  loadAverage: { start: number[]; end: number[] };
}

export interface BenchResults {
  startedAt: string;
  environment: Environment;
  /** the scenarios that ran (`--only`), by registry key */
  selected: string[];
  /** each scenario's own figures, by registry key */
  scenarios: Record<string, unknown>;
  /** table rows of every scenario that ran, in order */
  rows: string[][];
  targets: TargetCheck[];
}

export const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : Number.NaN);

export const LOAD_COLUMNS = ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'server CPU µs/resp', 'runner CPU'];

const cell = (n: number) => (Number.isFinite(n) ? String(n) : '-');

const cpuCell = (us: number | null) => (us === null ? '-' : String(us));

/** One row of the scenario table for an autocannon run. */
export function loadRow(name: string, r: LoadResult): string[] {
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

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${header.map((_, i) => (cells[i] ?? '').padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const mark = (p: boolean | null) => (p === null ? 'SKIP' : p ? 'PASS' : 'FAIL');

/**
 * One row per check, in the issue's order; a target no selected scenario measured says so
 * (`not run` when its scenario was left out by `--only`, `no scenario` when none covers it).
 */
export function targetRows(targets: TargetCheck[], covered: ReadonlySet<TargetId>): string[][] {
  return ISSUE_TARGETS.flatMap(({ id, what, goal }) => {
    const checks = targets.filter((t) => t.id === id);
    if (checks.length > 0) return checks.map((t) => [id, t.name, t.goal, t.measured, mark(t.pass)]);
    return [[id, what, goal, covered.has(id) ? 'not run (--only)' : 'no scenario in bench/scenario-list.ts yet', '-']];
  });
}

/** The scenario table, then the one table of targets with PASS/FAIL. */
export function formatReport(results: BenchResults, covered: ReadonlySet<TargetId>): string {
  const env = results.environment;
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  return [
    `${env.duration} s per scenario after ${env.warmup} s warm-up (A and B: ${env.rounds} alternating slices per server); ${env.cpus} CPUs; node ${env.node}; bcrypt cost ${env.bcryptRounds}; pool ${env.dbPoolMax}; ${env.database} PostgreSQL; load average ${load(env.loadAverage.start)} at start, ${load(env.loadAverage.end)} at end`,
    '',
    table(LOAD_COLUMNS, results.rows),
    '',
    table(['', 'target', 'goal', 'measured', 'result'], targetRows(results.targets, covered)),
    '',
  ].join('\n');
}
