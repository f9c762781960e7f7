import type { BenchUser } from './fixtures';
import { cpuSeconds } from './cpu';
import { log } from './log';
import type { ChildServer } from './processes';
import type { ChatReport, OpenReport } from './socket-worker';
import { SocketWorkers } from './socket-workers';
import { verifyStored, type StoreCheck } from './socket-verify';
import { Samples, round } from './stats';

/** E: 100 clients, from two client processes, each sending `message:send` as soon as its previous ack returns. */
export const CHAT_CLIENTS = 100;
const WORKERS = 2;

export interface ChatRun {
  server: string;
  clients: number;
  /** timed sends and their `ok` acks (warm-up excluded) */
  sent: number;
  acked: number;
  acksPerSec: number;
  p50: number;
  p99: number;
  /** `{ ok: false }` acks by error code and sends with no ack in 10 s, warm-up included */
  failed: Record<string, number>;
  unacked: number;
  /** server CPU per ok ack, µs (its broadcast to every client included) */
  serverCpuUsPerAck: number | null;
  store: StoreCheck;
}

function merge(reports: ChatReport[]): ChatReport {
  const all: ChatReport = { sent: [], acked: [], failed: {}, failedClientIds: [], unacked: 0, latencies: [] };
  for (const r of reports) {
    all.sent.push(...r.sent);
    all.acked.push(...r.acked);
    all.failedClientIds.push(...r.failedClientIds);
    all.latencies.push(...r.latencies);
    all.unacked += r.unacked;
    for (const [code, n] of Object.entries(r.failed)) all.failed[code] = (all.failed[code] ?? 0) + n;
  }
  return all;
}

/** One server under the chat load: connect, warm up, measure, then check every ack against the Messages table. */
export async function chatLoad(server: ChildServer, users: BenchUser[], seconds: number, warmupSeconds: number): Promise<ChatRun> {
  const workers = await SocketWorkers.start(WORKERS);
  try {
    const tokens = users.slice(0, CHAT_CLIENTS).map((u) => u.token);
    const opened = await workers.ask<OpenReport>({ type: 'open', url: server.url }, 'opened', (i) => ({ tokens: workers.share(tokens, i) }));
    const connected = opened.reduce((n, r) => n + r.connected, 0);
    if (connected < tokens.length) throw new Error(`E: ${tokens.length - connected} of ${tokens.length} clients could not connect to ${server.name}`);
    const warm = merge(await workers.ask<ChatReport>({ type: 'chat', ms: warmupSeconds * 1000 }, 'chatted'));
    log(`E: ${connected} clients in ${WORKERS} processes sending message:send to ${server.name} for ${seconds} s`);
    const cpuBefore = cpuSeconds(server.pid);
    const started = Date.now();
    const timed = merge(await workers.ask<ChatReport>({ type: 'chat', ms: seconds * 1000 }, 'chatted'));
    const elapsed = (Date.now() - started) / 1000;
    const cpuAfter = cpuSeconds(server.pid);
    await workers.ask({ type: 'close' }, 'closed');
    const latencies = new Samples();
    for (const ms of timed.latencies) latencies.add(ms);
    const { p50, p99 } = latencies.summary();
    const all = merge([warm, timed]);
    return {
      server: server.name,
      clients: connected,
      sent: timed.sent.length,
      acked: timed.acked.length,
      acksPerSec: round(timed.acked.length / elapsed, 1),
      p50,
      p99,
      failed: all.failed,
      unacked: all.unacked,
      serverCpuUsPerAck:
        cpuBefore === undefined || cpuAfter === undefined || timed.acked.length === 0
          ? null
          : Math.round(((cpuAfter - cpuBefore) * 1e6) / timed.acked.length),
      store: await verifyStored(all.acked, all.sent, all.failedClientIds),
    };
  } finally {
    workers.kill();
  }
}
