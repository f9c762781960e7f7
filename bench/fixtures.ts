import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { closeDatabase, connectDatabase, getSequelize } from '../src/db/sequelize';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrateUp } from '../src/db/migrate';
import { importCars } from '../src/importer';
import { hashPassword } from '../src/services/auth/password-hash.pool';
import { openSession } from '../src/services/auth/session.service';
import { signAccessToken } from '../src/services/auth/token.service';
import { BENCH_TMP } from './env';
import { log } from './log';

export const USER_COUNT = 200;
export const PASSWORD = 'bench-horse-battery-staple';

export interface BenchUser {
  id: number;
  email: string;
  sessionId: string;
  /** an access token of the user's session (ACCESS_TOKEN_TTL, 15 min: see `refreshTokens`) */
  token: string;
}

/** New access tokens for the same sessions, what `POST /token/refresh` gives a client: for loads that outlive a token. */
export function refreshTokens(users: BenchUser[]): void {
  for (const user of users) user.token = signAccessToken(user.id, user.sessionId);
}

export interface Fixtures {
  databaseUrl: string;
  users: BenchUser[];
  carIds: number[];
  makes: string[];
  /** The hash every bench user shares, for the single-thread bcrypt baseline. */
  passwordHash: string;
}

export interface Database {
  url: string;
  stop(): Promise<void>;
}

/** `DATABASE_URL` when set, else an embedded PostgreSQL in a temp dir that `stop()` removes. */
export async function openBenchDatabase(database = 'car_community_bench'): Promise<Database> {
  const given = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  let url = given;
  if (!url) {
    log('starting an embedded PostgreSQL in a temp dir');
    embedded = await startEmbeddedPostgres({ dir: path.join(BENCH_TMP, `pg-${database}`), database });
    url = embedded.url;
  }
  connectDatabase(url);
  return {
    url,
    stop: async () => {
      await closeDatabase();
      await embedded?.stop();
    },
  };
}

export async function ensureCars(): Promise<void> {
  const [{ count }] = await getSequelize().query<{ count: string }>('SELECT count(*) AS count FROM "Cars"', { type: QueryTypes.SELECT });
  if (Number(count) > 0) return;
  log('importing the bundled car snapshot');
  await importCars({ mode: 'offline', log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
}

/** 200 users sharing one hash (hashed once): inserted, or reset to that hash when a previous run made them. */
async function ensureUsers(passwordHash: string): Promise<{ id: number; email: string }[]> {
  const values: string[] = [];
  const bind: string[] = [passwordHash];
  for (let i = 0; i < USER_COUNT; i += 1) {
    bind.push(`bench_user_${i}`, `bench_user_${i}@bench.example`);
    values.push(`($${bind.length - 1}, $${bind.length}, $1, 'user', now(), now())`);
  }
  return getSequelize().query<{ id: number; email: string }>(
    `INSERT INTO "Users" ("username", "email", "passwordHash", "role", "createdAt", "updatedAt")
     VALUES ${values.join(', ')}
     ON CONFLICT ((lower("email"))) DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "updatedAt" = now()
     RETURNING "id", "email"`,
    { bind, type: QueryTypes.SELECT },
  );
}

async function column<T>(sql: string): Promise<T[]> {
  const rows = await getSequelize().query<{ value: T }>(sql, { type: QueryTypes.SELECT });
  return rows.map((r) => r.value);
}

/** Migrations, the catalogue, the users and one session (with an access token) per user. */
export async function prepareFixtures(databaseUrl: string): Promise<Fixtures> {
  await migrateUp(getSequelize());
  await ensureCars();
  const passwordHash = await hashPassword(PASSWORD);
  const created = await ensureUsers(passwordHash);
  const users: BenchUser[] = [];
  for (const user of created) {
    const { sessionId } = await openSession(user.id);
    users.push({ ...user, sessionId, token: signAccessToken(user.id, sessionId) });
  }
  // What autovacuum does shortly after a bulk import: planner statistics (the expression
  // indexes have none before) and a visibility map for index-only counts.
  await getSequelize().query('VACUUM ANALYZE');
  const carIds = await column<number>('SELECT "id" AS value FROM "Cars" ORDER BY random()');
  const makes = await column<string>('SELECT DISTINCT "make" AS value FROM "Cars" ORDER BY 1');
  log(`fixtures: ${carIds.length} cars, ${makes.length} makes, ${users.length} users`);
  return { databaseUrl, users, carIds, makes, passwordHash };
}
