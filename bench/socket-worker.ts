/**
 * One client process of the socket benchmarks (bench/socket-bench.ts): it receives a URL
 * and tokens over IPC, opens every socket at once (websocket only) and reports when each
 * handshake ended; then, on command, chats (E: each socket sends `message:send` as soon as
 * its previous ack returns) or watches a fan-out (G: when each `message:new` arrived), and
 * closes them all on "close". Several run side by side so that the load generator is less
 * of a limit than the server (they still share the machine).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

export interface OpenReport {
  connected: number;
  failures: Record<string, number>;
  /** Milliseconds from "open" until the last handshake ended. */
  lastMs: number;
}

type SendAck = { ok: true; message: { id: number } } | { ok: false; error: { code: string } };

export interface ChatReport {
  sent: string[];
  acked: { id: number; clientId: string }[];
  failed: Record<string, number>;
  failedClientIds: string[];
  unacked: number;
  /** ms from emit to ack, per ok ack */
  latencies: number[];
}

/** Per fan-out message text: how many of this process's sockets got it, and when the last did (epoch ms). */
export type WatchReport = Record<string, { count: number; lastAt: number }>;

const ACK_TIMEOUT_MS = 10_000;
const sockets: Socket[] = [];
const now = () => performance.timeOrigin + performance.now();

function open(url: string, token: string): Promise<string | undefined> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000 });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (err: Error & { description?: { message?: string } }) =>
      resolve(err.description?.message ? `${err.message}: ${err.description.message}` : err.message),
    );
    socket.io.once('close', (reason: string) => resolve(`closed before connect: ${reason}`));
  });
}

async function openAll(url: string, tokens: string[]): Promise<OpenReport> {
  const started = Date.now();
  const outcomes = await Promise.all(tokens.map((t) => open(url, t)));
  const failures: Record<string, number> = {};
  for (const o of outcomes) if (o !== undefined) failures[o] = (failures[o] ?? 0) + 1;
  return { connected: outcomes.filter((o) => o === undefined).length, failures, lastMs: Date.now() - started };
}

function chatUntil(socket: Socket, deadline: number, report: ChatReport): Promise<void> {
  return new Promise((resolve) => {
    const sendNext = () => {
      if (Date.now() >= deadline) return resolve();
      const clientId = randomUUID();
      report.sent.push(clientId);
      const started = performance.now();
      socket.timeout(ACK_TIMEOUT_MS).emit('message:send', { text: `bench ${clientId}`, clientId }, (err: Error | null, ack: SendAck) => {
        if (err) report.unacked += 1;
        else if (ack.ok) {
          report.latencies.push(performance.now() - started);
          report.acked.push({ id: ack.message.id, clientId });
        } else {
          report.failed[ack.error.code] = (report.failed[ack.error.code] ?? 0) + 1;
          report.failedClientIds.push(clientId);
        }
        sendNext();
      });
    };
    sendNext();
  });
}

async function chat(ms: number): Promise<ChatReport> {
  const report: ChatReport = { sent: [], acked: [], failed: {}, failedClientIds: [], unacked: 0, latencies: [] };
  const deadline = Date.now() + ms;
  await Promise.all(sockets.map((s) => chatUntil(s, deadline, report)));
  return report;
}

const watched: WatchReport = {};

function watch(prefix: string): void {
  for (const socket of sockets)
    socket.on('message:new', (message: { text?: string }) => {
      if (!message.text?.startsWith(prefix)) return;
      const seen = (watched[message.text] ??= { count: 0, lastAt: 0 });
      seen.count += 1;
      seen.lastAt = now();
    });
}

type Command =
  { type: 'open'; url: string; tokens: string[] } | { type: 'chat'; ms: number } | { type: 'watch'; prefix: string } | { type: 'watched' | 'close' };

process.on('message', (message: Command) => {
  if (message.type === 'open') void openAll(message.url, message.tokens).then((report) => process.send?.({ type: 'opened', report }));
  else if (message.type === 'chat') void chat(message.ms).then((report) => process.send?.({ type: 'chatted', report }));
  else if (message.type === 'watch') {
    watch(message.prefix);
    process.send?.({ type: 'watching' });
  } else if (message.type === 'watched') process.send?.({ type: 'watched', report: watched });
  else if (message.type === 'close') {
    for (const s of sockets) s.disconnect();
    process.send?.({ type: 'closed' });
    setTimeout(() => process.exit(0), 200);
  }
});
process.send?.({ type: 'ready' });
