import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { getSequelize } from '../db/sequelize';
import { logger } from '../logger';

/**
 * Tells every process on the same database that sessions were revoked or users changed,
 * through PostgreSQL LISTEN/NOTIFY: a logout on one instance (or a seed run that demotes
 * an account) takes effect on all of them at once, not when their caches expire.
 */
export interface Invalidation {
  sessions?: string[];
  users?: number[];
}

const CHANNEL = 'car_community_invalidation';
const CHUNK = 100; // NOTIFY payloads must stay under 8000 bytes
const ORIGIN = randomUUID();

type Handler = (message: Invalidation) => void;
const handlers = new Set<Handler>();

/** Registers what to do when ANOTHER process announces an invalidation. */
export function onRemoteInvalidation(handler: Handler): void {
  handlers.add(handler);
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

function deliver(text: string | undefined): void {
  const message = parse(text);
  if (!message || message.origin === ORIGIN) return;
  const sessions = Array.isArray(message.sessions) ? message.sessions.filter((s): s is string => typeof s === 'string') : undefined;
  const users = Array.isArray(message.users) ? message.users.filter((u): u is number => Number.isInteger(u)) : undefined;
  for (const handler of handlers) handler({ sessions, users });
}

let listener: { client: Client; users: number; stopped: boolean } | undefined;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'car-community-invalidation' });
  client.on('notification', (n) => deliver(n.payload));
  await client.connect();
  await client.query(`LISTEN ${CHANNEL}`);
  return client;
}

/** Starts listening (once per process; reference-counted so several servers in one process share it). */
export async function startInvalidationListener(url: string): Promise<() => Promise<void>> {
  if (listener) {
    listener.users += 1;
  } else {
    const state = { client: await connect(url), users: 1, stopped: false };
    listener = state;
    const reconnect = (err: unknown) => {
      if (state.stopped) return;
      logger.warn({ err }, 'invalidation listener lost its connection: reconnecting');
      setTimeout(() => {
        connect(url).then((client) => (state.stopped ? void client.end() : ((state.client = client), client.on('error', reconnect))), reconnect);
      }, 1000).unref();
    };
    state.client.on('error', reconnect);
  }
  const current = listener;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    current.users -= 1;
    if (current.users > 0) return;
    current.stopped = true;
    if (listener === current) listener = undefined;
    await current.client.end().catch(() => undefined);
  };
}
