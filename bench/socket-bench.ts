import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BENCH_TMP } from './env';
import { cpuSeconds } from './cpu';
import { log } from './log';
import { startChildServer, type ChildServer } from './processes';
import type { TargetCheck } from './report';
import { fanout, fanoutTarget, type FanoutFigures } from './socket-fanout';
import { closeFromWorkers, openFromWorkers, presenceCounts as presence, stormUsers } from './socket-storm-kit';
import { SocketWorkers } from './socket-workers';

/** The contract's storm (§3, issue 17 F): 500 users × 10 sockets, from WORKERS client processes. */
const USERS = 500;
const PER_USER = 10;
const WORKERS = 2;

export interface StormFigures {
  sockets: number;
  connected: number;
  failures: Record<string, number>;
  /** ms from "open" to the slowest client process's last handshake */
  lastConnectMs: number;
  /** server CPU seconds spent during the burst */
  serverCpuSeconds: number | null;
  presence: { on: number; holders: number; offAfterLeaving: number };
  /** server resident memory growth per connected socket, KB */
  rssKbPerSocket: number | null;
  /** growth of the server's live memory (heap used + external, after a full GC) per connected socket, KB (M) */
  liveKbPerSocket: number | null;
  load: string;
}

export interface SocketBenchResults {
  F: StormFigures;
  G: FanoutFigures | { error: string };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

function rssKb(pid: number): number | null {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : null;
}

const HEAP_PROBE = path.join(__dirname, 'heap-probe.js');
const HEAP_PROBE_FILE = path.join(BENCH_TMP, 'heap-probe.json');

/** The server's heap used + external after a full GC, KB (bench/heap-probe.ts answers SIGUSR2); null if it does not answer. */
async function liveKb(pid: number): Promise<number | null> {
  rmSync(HEAP_PROBE_FILE, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000 && !existsSync(HEAP_PROBE_FILE); waited += 50) await delay(50);
  try {
    const usage = JSON.parse(readFileSync(HEAP_PROBE_FILE, 'utf8')) as NodeJS.MemoryUsage;
    return (usage.heapUsed + usage.external) / 1024;
  } catch {
    return null;
  }
}

const perSocket = (before: number | null, after: number | null, sockets: number) =>
  before !== null && after !== null && sockets > 0 ? Math.round(((after - before) / sockets) * 10) / 10 : null;

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** F (and M from the same sockets): the burst against our server, then everyone leaves. */
async function storm(server: ChildServer, { ids, tokens }: { ids: number[]; tokens: string[] }): Promise<StormFigures> {
  const pool = await SocketWorkers.start(WORKERS);
  const workers = pool.processes;
  try {
    const all = Array.from({ length: PER_USER }, () => tokens).flat();
    const liveBefore = await liveKb(server.pid);
    const rssBefore = rssKb(server.pid);
    const cpuBefore = cpuSeconds(server.pid);
    const load = loadAverage();
    log(`F: ${all.length} sockets (${USERS} users × ${PER_USER}) from ${WORKERS} client processes, load ${load}`);
    const { reports, failures } = await openFromWorkers(workers, server.url, all);
    const cpuAfter = cpuSeconds(server.pid);
    const connected = reports.reduce((n, r) => n + r.connected, 0);
    await until(async () => (await presence(ids)).on === USERS, 60_000);
    const on = await presence(ids);
    const rssAfter = rssKb(server.pid);
    const liveAfter = await liveKb(server.pid);
    await closeFromWorkers(workers);
    await until(async () => (await presence(ids)).on === 0, 60_000);
    return {
      sockets: all.length,
      connected,
      failures,
      lastConnectMs: Math.max(...reports.map((r) => r.lastMs)),
      serverCpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? null : Math.round((cpuAfter - cpuBefore) * 100) / 100,
      presence: { ...on, offAfterLeaving: (await presence(ids)).on },
      rssKbPerSocket: perSocket(rssBefore, rssAfter, connected),
      liveKbPerSocket: perSocket(liveBefore, liveAfter, connected),
      load,
    };
  } finally {
    pool.kill();
  }
}

function stormTargets(f: StormFigures): TargetCheck[] {
  const failed = f.sockets - f.connected;
  const exact = f.presence.on === USERS && f.presence.holders === USERS && f.presence.offAfterLeaving === 0;
  const memory = f.liveKbPerSocket;
  return [
    {
      id: 'F',
      name: 'F storm: 5,000 sockets in one burst',
      goal: '0 failed, all connected ≤ 15 s, presence exact',
      measured: `${failed} failed, last ${Math.round(f.lastConnectMs / 100) / 10} s, on ${f.presence.on}/${USERS}, left on ${f.presence.offAfterLeaving} (load ${f.load})`,
      pass: failed === 0 && f.lastConnectMs <= 15_000 && exact,
    },
    {
      id: 'M',
      name: 'M server memory per idle authenticated socket',
      goal: '≤ 30 KB',
      measured:
        memory === null
          ? 'not measured'
          : `${memory} KB (heap + external after a full GC, over ${f.connected} sockets; RSS growth ${f.rssKbPerSocket ?? '-'} KB)`,
      pass: memory === null ? null : memory <= 30,
    },
  ];
}

/**
 * The storm targets of issue 17 (F, and M read off the same sockets). Starts and stops its own server process and client
 * processes; needs the bench database connected (migrated) and bench/env.ts imported first.
 */
export async function socketBench(options: {
  serverEntry: string;
  databaseUrl: string;
  nodeArgs?: string[];
}): Promise<{ results: SocketBenchResults; targets: TargetCheck[] }> {
  const users = await stormUsers(USERS + 1, `sb_${Date.now()}`);
  // The last user sends G's messages; the others are the storm's.
  users.ids.pop();
  const senderToken = users.tokens.pop() ?? '';
  const env = { DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'warn', SOCKETS_PER_IP: String(USERS * PER_USER + 100), PRESENCE_GRACE_MS: '500' };
  const nodeArgs = ['--expose-gc', '-r', HEAP_PROBE, ...(options.nodeArgs ?? [])];
  const server = await startChildServer('socket-storm', options.serverEntry, { ...env, HEAP_PROBE_FILE }, nodeArgs);
  try {
    const F = await storm(server, users);
    // G on the same server once the storm's sockets are gone: the storm's users, 4 sockets each.
    const G = await fanout(server.url, Array.from({ length: 4 }, () => users.tokens).flat(), senderToken).catch((err: unknown) => ({
      error: err instanceof Error ? err.message : String(err),
    }));
    return { results: { F, G }, targets: [...stormTargets(F), fanoutTarget(G)] };
  } finally {
    await server.stop();
  }
}
