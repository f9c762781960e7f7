import { createAdapter } from '@socket.io/postgres-adapter';
import { Client, Pool, type QueryResult } from 'pg';
import { logger } from '../logger';
import type { AppSocket } from './types';

/** The channel the adapter LISTENs on for the main namespace (its default prefix + `#/`). */
const MAIN_CHANNEL = 'socket.io#/';

export interface AdapterStatus {
  /** Whether this instance hears the others (its LISTEN connection is up). */
  listening: boolean;
  backendPid?: number;
}

export interface PostgresAdapterRuntime {
  adapter: ReturnType<typeof createAdapter>;
  status(): AdapterStatus;
  close(): Promise<void>;
}

/** What the adapter uses of the pool it is given: `connect()` for its LISTEN connection, `query()` for the rest. */
interface AdapterSource {
  connect(): Promise<Client & { release(): void }>;
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/**
 * `@socket.io/postgres-adapter` takes one connection from the pool it is given and LISTENs
 * on it for ever. Given a plain pg Pool, a terminated LISTEN backend crashes the process
 * (pg-pool removes its 'error' listener from a checked-out client) and leaks a pool slot
 * each time. So the adapter gets the two methods it uses: `query` on a small pool of
 * DATABASE_URL, and `connect` opening a dedicated LISTEN client on DATABASE_LISTEN_URL whose
 * failure is logged and tracked; the adapter reconnects on its 'end' (within 1–3 s).
 */
export function postgresAdapter(databaseUrl: string, listenUrl: string): PostgresAdapterRuntime {
  const pool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'car-community-api:socket.io' });
  pool.on('error', (err) => logger.warn({ err }, 'socket.io adapter: idle connection error'));
  const state: { client?: Client; backendPid?: number } = {};

  const lost = (client: Client, err: unknown) => {
    if (state.client !== client) return;
    state.client = undefined;
    state.backendPid = undefined;
    logger.error({ err }, 'socket.io adapter lost its LISTEN connection: reconnecting (cross-instance events answer UNAVAILABLE meanwhile)');
  };

  const connect: AdapterSource['connect'] = async () => {
    const client = new Client({ connectionString: listenUrl, application_name: 'car-community-api:socket.io-listen' });
    client.on('error', (err) => lost(client, err));
    client.on('end', () => lost(client, new Error('the LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${MAIN_CHANNEL}"`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      state.backendPid = rows[0]?.pid;
    } catch (err) {
      logger.warn({ err }, 'socket.io adapter could not open its LISTEN connection: retrying');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (state.client === undefined) logger.info('socket.io adapter is listening');
    state.client = client;
    const release = () => {
      if (state.client === client) state.client = undefined;
      void client.end().catch(() => undefined);
    };
    return Object.assign(client, { release });
  };

  const source: AdapterSource = { connect, query: (text, values) => pool.query(text, values) };
  // The adapter is typed for a Pool but calls only connect() and query() (checked against 0.5.x).
  const adapter = createAdapter(source as unknown as Pool, { errorHandler: (err) => logger.warn({ err }, 'socket.io adapter error') });
  return {
    adapter,
    status: () => ({ listening: state.client !== undefined, backendPid: state.backendPid }),
    close: async () => {
      await state.client?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * While the adapter cannot hear the other instances, an event that may need them is
 * answered `UNAVAILABLE` (with a log line) instead of half-working; the client retries.
 */
export function refuseWhileDeaf(socket: AppSocket, status: () => AdapterStatus): void {
  socket.use(([event, ...args], next) => {
    if (status().listening) return next();
    logger.warn({ event, userId: socket.data.userId }, 'socket event refused: the socket.io adapter is reconnecting');
    const ack: unknown = args.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'Chat is briefly unavailable, try again' } });
  });
}
