import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { config } from '../src/config';
import { BENCH_METRICS_TOKEN, type BenchContext, type ScenarioOutcome } from './context';
import { refreshTokens, type BenchUser, type Fixtures } from './fixtures';
import { cycle, runLoad, type LoadResult } from './load';
import { log } from './log';
import { loadRow, type TargetCheck } from './report';
import { logins } from './scenarios';
import { Samples, round } from './stats';

/**
 * I: a fresh server under mixed load for BENCH_SOAK_SECONDS (default 900): reads at 150/s
 * over 10 connections, logins at 2/s, 20 chatting sockets (one message a second each) and
 * 5 sockets joining and 5 leaving every second. `/metrics` is read every 10 s for resident
 * memory and event-loop lag; the server's log is read for ERROR lines at the end.
 */
const READ_RATE = 150;
const LOGIN_RATE = 2;
const CHATTERS = 20;
const CHURN_PER_SECOND = 5;
const CHURN_POOL = 50;
const SAMPLE_EVERY_MS = 10_000;
/** The windows whose median RSS the soak compares. */
const RSS_WINDOW_S = 120;

/** The middle value (nearest rank), NaN for none. */
function median(values: number[]): number {
  const samples = new Samples();
  for (const v of values) samples.add(v);
  return samples.summary().p50;
}
interface Sample {
  atSeconds: number;
  rssBytes: number;
  lagP99Seconds: number;
}

type SendAck = { ok: true } | { ok: false; error: { code: string } };
type ChatSocket = Socket<Record<string, never>, { 'message:send': (p: { text: string; clientId: string }, ack: (a: SendAck) => void) => void }>;

function connect(url: string, user: BenchUser): ChatSocket {
  return io(url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false, forceNew: true });
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

async function sampleMetrics(url: string, startedAt: number): Promise<Sample> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  const text = await res.text();
  return {
    atSeconds: Math.round((Date.now() - startedAt) / 1000),
    rssBytes: metric(text, 'process_resident_memory_bytes'),
    lagP99Seconds: metric(text, 'nodejs_eventloop_lag_p99_seconds'),
  };
}

interface SocketTally {
  sent: number;
  acked: number;
  failed: number;
  connectErrors: number;
  connected: number;
}

/** Chat and churn until `deadline`: a message a second from each chatter, 5 sockets in and 5 out a second. */
async function socketLoad(url: string, users: BenchUser[], deadline: number, tally: SocketTally): Promise<void> {
  const user = cycle(users);
  const track = (s: ChatSocket) => {
    s.on('connect', () => (tally.connected += 1));
    s.on('connect_error', () => (tally.connectErrors += 1));
    return s;
  };
  const chatters = Array.from({ length: CHATTERS }, () => track(connect(url, user())));
  const churn: ChatSocket[] = [];
  while (Date.now() < deadline) {
    for (const s of chatters) {
      if (!s.connected) continue;
      tally.sent += 1;
      s.timeout(10_000).emit('message:send', { text: `soak ${tally.sent}`, clientId: randomUUID() }, (err, ack) => {
        if (err || !ack.ok) tally.failed += 1;
        else tally.acked += 1;
      });
    }
    for (let i = 0; i < CHURN_PER_SECOND; i += 1) churn.push(track(connect(url, user())));
    while (churn.length > CHURN_POOL) churn.shift()?.close();
    await delay(1000);
  }
  [...chatters, ...churn].forEach((s) => s.close());
}

function readPaths(fx: Fixtures): () => string {
  const e = encodeURIComponent;
  const paths = [
    ...fx.carIds.slice(0, 50).map((id) => `/cars/${id}`),
    ...fx.makes.slice(0, 20).map((m) => `/cars?make=${e(m)}&limit=20`),
    '/socket/message',
    '/socket/rooms',
    '/socket/log',
    '/favorites',
    '/user',
  ];
  return cycle(paths);
}

/** Lines of the server's log at pino's ERROR level or above (50+). */
function errorLines(logFile: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => /"level":(5|6)\d/.test(l));
}

function countStatus(kind: '4' | '5', ...results: LoadResult[]): number {
  return results.reduce((n, r) => n + Object.entries(r.statusCodes).reduce((m, [s, c]) => m + (s.startsWith(kind) ? c : 0), 0), 0);
}

interface Refusals {
  fiveXX: number;
  fourXX: number;
}

function verdicts(samples: Sample[], baselineAt: number, { fiveXX, fourXX }: Refusals, errors: string[], sockets: SocketTally): TargetCheck[] {
  // RSS swings by ±10 MB between 10 s samples (GC, allocator): growth compares the median
  // of the window right after the baseline with the median of the last window of the same length.
  const after = samples.filter((s) => s.atSeconds >= baselineAt);
  const end = after.at(-1)?.atSeconds ?? baselineAt;
  const window = Math.max(10, Math.min(RSS_WINDOW_S, Math.floor((end - baselineAt) / 2)));
  const base = median(after.filter((s) => s.atSeconds < baselineAt + window).map((s) => s.rssBytes));
  const last = median(after.filter((s) => s.atSeconds > end - window).map((s) => s.rssBytes));
  const growth = round(((last - base) / base) * 100, 1);
  const lags = samples.filter((s) => s.atSeconds >= 20).map((s) => s.lagP99Seconds * 1000);
  const lagMax = round(Math.max(...lags), 1);
  const lagMedian = round(median(lags), 1);
  const mb = (b: number) => `${round(b / 1048576, 1)} MB`;
  const check = (name: string, goal: string, measured: string, pass: boolean): TargetCheck => ({ id: 'I', name, goal, measured, pass });
  return [
    check(
      'soak: 5xx responses and failed sends',
      '0',
      `${fiveXX} 5xx; ${sockets.failed} failed sends of ${sockets.sent}`,
      fiveXX === 0 && sockets.failed === 0,
    ),
    // Every request and socket of the soak is valid: a refusal is the harness or the server going wrong.
    check(
      'soak: refused requests (4xx) and sockets',
      '0',
      `${fourXX} 4xx; ${sockets.connectErrors} refused sockets of ${sockets.connected + sockets.connectErrors}`,
      fourXX === 0 && sockets.connectErrors === 0,
    ),
    check(
      `soak: RSS growth after ${baselineAt} s`,
      '≤ 10 %',
      `${growth} % (median of ${window} s from ${baselineAt} s: ${mb(base)} → of the last ${window} s: ${mb(last)})`,
      growth <= 10,
    ),
    check('soak: event-loop lag p99 (/metrics, per 10 s)', '≤ 50 ms', `max ${lagMax} ms, median ${lagMedian} ms`, lagMax <= 50),
    check(
      'soak: ERROR lines in the server log',
      '0',
      errors.length === 0 ? '0' : `${errors.length}: ${errors[0]?.slice(0, 200)}`,
      errors.length === 0,
    ),
  ];
}

export async function soakScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const seconds = Math.max(30, Number(process.env.BENCH_SOAK_SECONDS ?? 900));
  const { fx } = await ctx.shared();
  const server = await ctx.freshServer('api-server-soak');
  const baselineAt = Math.min(120, Math.round(seconds / 4));
  log(
    `I: soak for ${seconds} s (reads ${READ_RATE}/s, logins ${LOGIN_RATE}/s, ${CHATTERS} chatting sockets, ${CHURN_PER_SECOND}/s joining and leaving)`,
  );
  const startedAt = Date.now();
  const samples: Sample[] = [];
  const sampler = setInterval(
    () =>
      void sampleMetrics(server.url, startedAt).then(
        (s) => samples.push(s),
        () => undefined,
      ),
    SAMPLE_EVERY_MS,
  );
  // Access tokens expire (ACCESS_TOKEN_TTL, 15 min): the soak's clients take new ones every third of that, as apps refresh theirs.
  refreshTokens(fx.users);
  const refresher = setInterval(() => refreshTokens(fx.users), (config.accessTtlSeconds * 1000) / 3);
  const user = cycle(fx.users);
  const path = readPaths(fx);
  const sockets: SocketTally = { sent: 0, acked: 0, failed: 0, connectErrors: 0, connected: 0 };
  const [reads, loginLoad] = await Promise.all([
    runLoad({
      url: server.url,
      pid: server.pid,
      connections: 10,
      duration: seconds,
      overallRate: READ_RATE,
      next: () => ({ path: path(), headers: { access_token: user().token } }),
    }),
    runLoad({ ...logins({ url: server.url }, fx, 2, seconds), overallRate: LOGIN_RATE }),
    socketLoad(server.url, fx.users, startedAt + seconds * 1000, sockets),
  ]);
  clearInterval(sampler);
  clearInterval(refresher);
  samples.push(await sampleMetrics(server.url, startedAt));
  await delay(500);
  const r = reads.result();
  const l = loginLoad.result();
  return {
    results: { seconds, reads: r, logins: l, sockets, samples },
    rows: [loadRow(`I soak reads (${READ_RATE}/s paced)`, r), loadRow(`I soak logins (${LOGIN_RATE}/s paced)`, l)],
    targets: verdicts(samples, baselineAt, { fiveXX: countStatus('5', r, l), fourXX: countStatus('4', r, l) }, errorLines(server.logFile), sockets),
  };
}
