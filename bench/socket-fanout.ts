import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { log } from './log';
import type { TargetCheck } from './report';
import type { OpenReport, WatchReport } from './socket-worker';
import { SocketWorkers } from './socket-workers';
import { Samples, round } from './stats';

/** G (issue 17): one message to 2,000 connected sockets, 20 times. */
const SOCKETS = 2000;
const MESSAGES = 20;
const INTERVAL_MS = 500;
const WORKERS = 2;

export interface FanoutFigures {
  sockets: number;
  messages: number;
  /** messages that reached every socket */
  complete: number;
  /** deliveries missing, over all messages */
  missing: number;
  /** ms from the send to the last socket's receipt, per message */
  p50: number;
  p99: number;
  max: number;
}

const now = () => performance.timeOrigin + performance.now();

/** A sender socket in this process and SOCKETS receivers in WORKERS client processes, all in the `global` room. */
export async function fanout(url: string, receiverTokens: string[], senderToken: string): Promise<FanoutFigures> {
  const workers = await SocketWorkers.start(WORKERS);
  const sender = io(url, { auth: { token: senderToken }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const tokens = receiverTokens.slice(0, SOCKETS);
    const opened = await workers.ask<OpenReport>({ type: 'open', url }, 'opened', (i) => ({ tokens: workers.share(tokens, i) }));
    const connected = opened.reduce((n, r) => n + r.connected, 0);
    if (connected < tokens.length) throw new Error(`G: only ${connected} of ${tokens.length} receivers connected`);
    if (!sender.connected) await new Promise<void>((resolve, reject) => sender.once('connect', resolve).once('connect_error', reject));
    const prefix = `fanout ${Date.now()} `;
    await workers.ask({ type: 'watch', prefix }, 'watching');
    log(`G: one message to ${connected} sockets (${WORKERS} client processes), ${MESSAGES} times, every ${INTERVAL_MS} ms`);
    const sentAt = new Map<string, number>();
    for (let i = 1; i <= MESSAGES; i += 1) {
      const text = `${prefix}${i}`;
      sentAt.set(text, now());
      const ack = (await sender.timeout(10_000).emitWithAck('message:send', { text })) as { ok: boolean };
      if (!ack.ok) throw new Error(`G: message ${i} was refused: ${JSON.stringify(ack)}`);
      await delay(INTERVAL_MS);
    }
    await delay(2000);
    const reports = await workers.ask<WatchReport>({ type: 'watched' }, 'watched');
    await workers.ask({ type: 'close' }, 'closed');
    const latencies = new Samples();
    let max = 0;
    let complete = 0;
    let missing = 0;
    for (const [text, at] of sentAt) {
      const count = reports.reduce((n, r) => n + (r[text]?.count ?? 0), 0);
      const last = Math.max(...reports.map((r) => r[text]?.lastAt ?? 0));
      missing += connected - count;
      if (count === connected) complete += 1;
      latencies.add(last - at);
      max = Math.max(max, last - at);
    }
    return { sockets: connected, messages: MESSAGES, complete, missing, ...latencies.summary(), max: round(max, 1) };
  } finally {
    sender.close();
    workers.kill();
  }
}

export function fanoutTarget(g: FanoutFigures | { error: string }): TargetCheck {
  const target = { id: 'G', name: 'one message to 2,000 sockets, 20 times', goal: 'every socket gets every message, p99 ≤ 250 ms' } as const;
  if ('error' in g) return { ...target, measured: g.error, pass: false };
  return {
    ...target,
    measured: `${g.complete}/${g.messages} messages reached all ${g.sockets} sockets (${g.missing} deliveries missing), send → last receipt p50 ${g.p50} ms, p99 ${g.p99} ms`,
    pass: g.complete === g.messages && g.p99 <= 250,
  };
}
