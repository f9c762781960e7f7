import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { BenchUser } from './fixtures';
import { cpuSeconds } from './cpu';
import { log } from './log';
import type { Target } from './scenarios';
import { Samples, round } from './stats';
import { verifyStored, type StoreCheck } from './socket-verify';

/** The contract of `message:send` (api.md §3), as a client sees it. */
type SendAck = { ok: true; message: { id: number; clientId: string | null } } | { ok: false; error: { code: string; message: string } };
interface ClientEvents {
  'message:send': (payload: { text: string; clientId: string }, ack: (res: SendAck) => void) => void;
}
type ChatSocket = Socket<Record<string, never>, ClientEvents>;

export const SOCKET_CLIENTS = 100;
const ACK_TIMEOUT_MS = 10_000;

export interface SocketResult {
  clients: number;
  duration: number;
  /** timed sends and their `ok` acks (warm-up excluded) */
  sent: number;
  acked: number;
  acksPerSec: number;
  p50: number;
  p99: number;
  /** `{ ok: false }` acks by error code, warm-up included */
  failed: Record<string, number>;
  /** sends with no ack within 10 s, warm-up included */
  unacked: number;
  /** the server process's CPU time per ok ack (fan-out included), in µs */
  serverCpuUsPerAck: number | null;
  /** this process's CPU use (100 clients decoding every broadcast), in % of one core */
  runnerCpuPercent: number;
  store: StoreCheck;
}

export type SocketOutcome = { skipped: string } | { error: string } | SocketResult;

/** An Express server with no Socket.IO attached answers the engine.io handshake with 404. */
export async function socketIoAbsence(url: string): Promise<string | undefined> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  await res.arrayBuffer();
  return res.status === 404 ? 'the server has no Socket.IO endpoint yet (GET /socket.io/ answers 404)' : undefined;
}

function connect(url: string, token: string): Promise<ChatSocket> {
  const socket: ChatSocket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err: Error) => {
      socket.close();
      reject(err);
    });
  });
}

interface Tally {
  latencies: Samples;
  acked: { id: number; clientId: string }[];
  sent: string[];
  failed: Record<string, number>;
  failedClientIds: string[];
  unacked: number;
}

/** One client: a new message as soon as the previous ack returns, until the deadline. */
function chat(socket: ChatSocket, deadline: number, tally: Tally): Promise<void> {
  return new Promise((resolve) => {
    const sendNext = () => {
      if (Date.now() >= deadline) return resolve();
      const clientId = randomUUID();
      tally.sent.push(clientId);
      const started = performance.now();
      socket.timeout(ACK_TIMEOUT_MS).emit('message:send', { text: `bench ${clientId}`, clientId }, (err, ack) => {
        if (err) tally.unacked += 1;
        else if (ack.ok) {
          tally.latencies.add(performance.now() - started);
          tally.acked.push({ id: ack.message.id, clientId });
        } else {
          tally.failed[ack.error.code] = (tally.failed[ack.error.code] ?? 0) + 1;
          tally.failedClientIds.push(clientId);
        }
        sendNext();
      });
    };
    sendNext();
  });
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [key, n] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + n;
  return merged;
}

function newTally(): Tally {
  return { latencies: new Samples(), acked: [], sent: [], failed: {}, failedClientIds: [], unacked: 0 };
}

/**
 * E: 100 authenticated clients send `message:send` as fast as acks return, then the table
 * is checked. A warm-up of the same load lets the connections settle (presence, pools)
 * first; its messages are checked too but not timed.
 */
export async function socketScenario({ url, pid }: Target, users: BenchUser[], duration: number, warmup: number): Promise<SocketOutcome> {
  const absent = await socketIoAbsence(url);
  if (absent) return { skipped: absent };
  const connected = await Promise.allSettled(users.slice(0, SOCKET_CLIENTS).map((u) => connect(url, u.token)));
  const sockets = connected.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
  const refused = connected.flatMap((c) => (c.status === 'rejected' ? [String((c.reason as Error).message)] : []));
  if (refused.length > 0) {
    sockets.forEach((s) => s.close());
    return { error: `${refused.length} of ${connected.length} clients could not connect (${[...new Set(refused)].join(', ')})` };
  }
  const warm = newTally();
  await Promise.all(sockets.map((s) => chat(s, Date.now() + warmup * 1000, warm)));
  log(`E: ${sockets.length} Socket.IO clients sending message:send for ${duration} s`);
  const tally = newTally();
  const started = Date.now();
  const cpuAtStart = pid === undefined ? undefined : cpuSeconds(pid);
  const runnerAtStart = process.cpuUsage();
  await Promise.all(sockets.map((s) => chat(s, started + duration * 1000, tally)));
  const cpuAtEnd = pid === undefined ? undefined : cpuSeconds(pid);
  const runner = process.cpuUsage(runnerAtStart);
  const elapsed = (Date.now() - started) / 1000;
  const cpu =
    cpuAtStart === undefined || cpuAtEnd === undefined || tally.acked.length === 0
      ? null
      : Math.round(((cpuAtEnd - cpuAtStart) * 1e6) / tally.acked.length);
  sockets.forEach((s) => s.close());
  const { p50, p99 } = tally.latencies.summary();
  return {
    clients: sockets.length,
    duration: round(elapsed),
    sent: tally.sent.length,
    acked: tally.acked.length,
    acksPerSec: round(tally.acked.length / elapsed, 1),
    p50,
    p99,
    failed: mergeCounts(warm.failed, tally.failed),
    unacked: warm.unacked + tally.unacked,
    serverCpuUsPerAck: cpu,
    runnerCpuPercent: Math.round(((runner.user + runner.system) / 1e6 / elapsed) * 100),
    store: await verifyStored([...warm.acked, ...tally.acked], [...warm.sent, ...tally.sent], [...warm.failedClientIds, ...tally.failedClientIds]),
  };
}
