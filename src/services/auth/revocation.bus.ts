import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { getSequelize } from '../../db/sequelize';
import { logger } from '../../logger';

/**
 * Tells every process on the same database that sessions were revoked or users changed,
 * through PostgreSQL LISTEN/NOTIFY: a logout on one instance (or a seed run that demotes
 * an account) takes effect on all of them at once, not when their caches expire.
 */
export interface Invalidation {
  sessions?: string[];
  users?: number[];
  /** Notifications may have been missed (the LISTEN connection dropped): forget every cached state. */
  everything?: boolean;
}

const CHANNEL = 'car_community_invalidation';
const CHUNK = 100; // NOTIFY payloads must stay under 8000 bytes
const ORIGIN = randomUUID();

type Handler = (message: Invalidation) => void;
const handlers = new Set<Handler>();

/** Registers what to do when ANOTHER process announces an invalidation. */
export function onRemoteInvalidation(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

function chunks<T>(items: readonly T[] | undefined): T[][] {
  const out: T[][] = [];
  for (let i = 0; items && i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Fire-and-forget: a lost notification only means other instances wait for their cache TTL.
 * Never rejects; a caller that must answer only once the others were told awaits it.
 */
export async function publishInvalidation(message: Invalidation): Promise<void> {
  const payloads = [...chunks(message.sessions).map((sessions) => ({ sessions })), ...chunks(message.users).map((users) => ({ users }))];
  const sent = payloads.map((payload) =>
    getSequelize()
      .query('SELECT pg_notify(:channel, :payload)', { replacements: { channel: CHANNEL, payload: JSON.stringify({ origin: ORIGIN, ...payload }) } })
      .catch((err: unknown) => logger.warn({ err }, 'could not publish an invalidation')),
  );
  await Promise.all(sent);
}

function parse(text: string | undefined): (Invalidation & { origin?: string }) | undefined {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null ? (value as Invalidation & { origin?: string }) : undefined;
  } catch {
    return undefined;
  }
}

const probes = new Map<string, () => void>();

function deliver(text: string | undefined): void {
  const message = parse(text) as (Invalidation & { origin?: string; probe?: string }) | undefined;
  if (message?.probe) probes.get(message.probe)?.();
  if (!message || message.origin === ORIGIN) return;
  const sessions = Array.isArray(message.sessions) ? message.sessions.filter((s): s is string => typeof s === 'string') : undefined;
  const users = Array.isArray(message.users) ? message.users.filter((u): u is number => Number.isInteger(u)) : undefined;
  for (const handler of handlers) handler({ sessions, users });
}

/** Tells the handlers that notifications may have been missed: caches drop everything. */
function deliverEverything(): void {
  for (const handler of handlers) handler({ everything: true });
}

type BusState = 'idle' | 'listening' | 'down';

interface Listener {
  url: string;
  users: number;
  stopped: boolean;
  state: BusState;
  client?: Client;
  backendPid?: number;
  attempt: number;
  retry?: NodeJS.Timeout;
}

let listener: Listener | undefined;

/**
 * `listening`, `down` (lost and reconnecting: caches are bypassed, as a revocation from
 * another instance could be missed) or `idle` (no listener in this process).
 */
export function invalidationBusStatus(): { state: BusState; backendPid?: number } {
  return listener ? { state: listener.state, backendPid: listener.backendPid } : { state: 'idle' };
}

async function open(l: Listener): Promise<void> {
  const client = new Client({ connectionString: l.url, application_name: 'car-community-invalidation' });
  const lost = (err: unknown) => connectionLost(l, client, err);
  client.on('error', lost);
  client.on('end', () => lost(new Error('the LISTEN connection ended')));
  client.on('notification', (n) => deliver(n.payload));
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (l.stopped) throw new Error('stopped');
    l.client = client;
    l.backendPid = rows[0]?.pid;
  } catch (err) {
    client.removeAllListeners('end');
    await client.end().catch(() => undefined);
    throw err;
  }
  const recovered = l.state === 'down';
  l.state = 'listening';
  l.attempt = 0;
  if (recovered) {
    logger.info('invalidation listener reconnected');
    deliverEverything(); // what was announced while we were away is lost: start afresh
  }
}

function connectionLost(l: Listener, client: Client, err: unknown): void {
  if (l.stopped || l.client !== client) return;
  l.client = undefined;
  l.backendPid = undefined;
  l.state = 'down';
  logger.error({ err }, 'invalidation listener lost its connection: reconnecting (auth caches are bypassed meanwhile)');
  deliverEverything();
  client.removeAllListeners('end');
  void client.end().catch(() => undefined);
  scheduleReconnect(l);
}

function scheduleReconnect(l: Listener): void {
  const delay = Math.min(10_000, 200 * 2 ** l.attempt);
  l.attempt += 1;
  l.retry = setTimeout(() => {
    if (l.stopped) return;
    open(l).catch((err: unknown) => {
      logger.warn({ err, retryInMs: Math.min(10_000, 200 * 2 ** l.attempt) }, 'invalidation listener could not reconnect');
      scheduleReconnect(l);
    });
  }, delay);
  l.retry.unref();
}

/**
 * Sends a NOTIFY through the main pool (DATABASE_URL, possibly a pooler) and waits for it
 * on the LISTEN connection (DATABASE_LISTEN_URL): if it never comes back, revocations
 * would silently stay on the instance that made them.
 */
async function checkRoundTrip(timeoutMs: number): Promise<void> {
  const probe = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((resolve, reject) => {
    probes.set(probe, resolve);
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `LISTEN/NOTIFY check failed: a NOTIFY sent through DATABASE_URL did not arrive on the LISTEN connection (DATABASE_LISTEN_URL) within ${timeoutMs} ms. ` +
              'DATABASE_LISTEN_URL must reach the same database directly (not through a transaction-mode pooler).',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await getSequelize().query('SELECT pg_notify(:channel, :payload)', {
      replacements: { channel: CHANNEL, payload: JSON.stringify({ origin: ORIGIN, probe }) },
    });
    await arrived;
  } finally {
    clearTimeout(timer);
    probes.delete(probe);
  }
}

/**
 * Starts listening on `url` (once per process; reference-counted so several servers in one
 * process share it) and checks that a NOTIFY sent through the main pool comes back on it.
 */
export async function startInvalidationListener(url: string, roundTripTimeoutMs = 5000): Promise<() => Promise<void>> {
  if (listener) {
    listener.users += 1;
  } else {
    const created: Listener = { url, users: 1, stopped: false, state: 'idle', attempt: 0 };
    await open(created);
    try {
      await checkRoundTrip(roundTripTimeoutMs);
    } catch (err) {
      created.stopped = true;
      await created.client?.end().catch(() => undefined);
      throw err;
    }
    listener = created;
  }
  const current = listener;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    current.users -= 1;
    if (current.users > 0) return;
    current.stopped = true;
    clearTimeout(current.retry);
    if (listener === current) listener = undefined;
    current.client?.removeAllListeners('end');
    await current.client?.end().catch(() => undefined);
  };
}
