import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';
import type { Fixtures } from './fixtures';
import { log } from './log';

/** The sizes of §8: BENCH_SCALE_CARS, BENCH_SCALE_USERS and BENCH_SCALE_MESSAGES override them. */
export interface ScaleSizes {
  cars: number;
  users: number;
  messages: number;
}

export function scaleSizes(): ScaleSizes {
  const size = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
    return value;
  };
  return { cars: size('BENCH_SCALE_CARS', 1_000_000), users: size('BENCH_SCALE_USERS', 100_000), messages: size('BENCH_SCALE_MESSAGES', 1_000_000) };
}

async function count(table: string): Promise<number> {
  const [row] = await getSequelize().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`, { type: QueryTypes.SELECT });
  return row?.n ?? 0;
}

/** Runs `insert(missing)` when `table` holds fewer than `total` rows; the table's size after. */
async function fill(table: string, total: number, insert: (missing: number) => string): Promise<number> {
  const missing = total - (await count(table));
  if (missing <= 0) return count(table);
  log(`generating ${missing} rows of ${table} in SQL (generate_series)`);
  const started = performance.now();
  await getSequelize().query(insert(missing));
  log(`${table}: generated in ${Math.round((performance.now() - started) / 1000)} s`);
  return total;
}

/** Cars: the snapshot's makes, models and categories over and over, years spread over 1980–2025. */
const carsSql = (missing: number) => `
  WITH base AS (SELECT row_number() OVER (ORDER BY "id") AS n, "make", "model", "category" FROM "Cars"),
       size AS (SELECT count(*) AS n FROM base)
  INSERT INTO "Cars" ("objectId", "make", "model", "year", "category", "createdAt", "updatedAt")
  SELECT 'scale' || g, b."make", b."model", 1980 + (g::bigint * 7919) % 46, b."category", now(), now()
  FROM generate_series(1, ${missing}) g CROSS JOIN size JOIN base b ON b.n = 1 + (g - 1) % size.n`;

/** Users (names like `3b5d5c_17`) with the bench users' hash (nobody logs in as them), a presence entry each, a third of them on. */
const usersSql = (missing: number) => `
  WITH made AS (
    INSERT INTO "Users" ("username", "email", "passwordHash", "role", "createdAt", "updatedAt")
    SELECT substr(md5(g::text), 1, 6) || '_' || g, 'm' || g || '@scale.example',
           (SELECT "passwordHash" FROM "Users" ORDER BY "id" LIMIT 1), 'user', now(), now()
    FROM generate_series(1, ${missing}) g
    RETURNING "id", "username")
  INSERT INTO "Logs" ("UserId", "usernameKey", "status", "createdAt", "updatedAt")
  SELECT "id", lower("username"), CASE WHEN "id" % 3 = 0 THEN 'on' ELSE 'off' END::"enum_Logs_status", now(), now() FROM made
  ON CONFLICT ("UserId") DO NOTHING`;

/**
 * Messages: 80 % in `global`, 15 % in the rooms of 1,000 cars, 5 % in DMs between the first
 * bench user and 200 others; authors spread over every user, oldest first.
 */
const messagesSql = (missing: number) => `
  WITH authors AS (SELECT array_agg("id" ORDER BY "id") AS ids FROM "Users"),
       cars AS (SELECT array_agg("id") AS ids FROM (SELECT "id" FROM "Cars" ORDER BY "id" LIMIT 1000) c),
       me AS (SELECT min("id") AS id FROM "Users" WHERE "email" LIKE 'bench\\_user\\_%')
  INSERT INTO "Messages" ("text", "room", "UserId", "createdAt", "updatedAt")
  SELECT 'scale message ' || g,
         CASE WHEN g % 20 < 16 THEN 'global'
              WHEN g % 20 < 19 THEN 'car:' || cars.ids[1 + (g % 1000)]
              ELSE 'dm:' || least(me.id, authors.ids[1 + (g % 200)]) || '-' || greatest(me.id, authors.ids[1 + (g % 200)]) END,
         authors.ids[1 + (g::bigint * 7919) % cardinality(authors.ids)],
         now() - make_interval(secs => ${missing} - g), now()
  FROM generate_series(1, ${missing}) g, authors, cars, me`;

/** Each bench user favours 20 of the first 1,000 cars (so /favorites and /socket/rooms have car rooms). */
const favoritesSql = `
  INSERT INTO "Favorites" ("UserId", "CarId", "createdAt", "updatedAt")
  SELECT u."id", c."id", now(), now()
  FROM "Users" u CROSS JOIN LATERAL (SELECT "id" FROM "Cars" ORDER BY "id" LIMIT 20 OFFSET u."id" % 50) c
  WHERE u."email" LIKE 'bench\\_user\\_%'
  ON CONFLICT DO NOTHING`;

/** The data of §8 in the bench database (what is already there is kept), then planner statistics. */
export async function generateScaleData(sizes: ScaleSizes): Promise<ScaleSizes> {
  const cars = await fill('Cars', sizes.cars, carsSql);
  const users = await fill('Users', sizes.users, usersSql);
  const messages = await fill('Messages', sizes.messages, messagesSql);
  await getSequelize().query(favoritesSql);
  log('VACUUM ANALYZE after the generated rows');
  await getSequelize().query('VACUUM ANALYZE');
  return { cars, users, messages };
}

/** The first bench user becomes an admin, for `/users?q=` (before the server caches its session). */
export async function promoteFirstBenchUser(fx: Fixtures): Promise<string> {
  const admin = fx.users[0];
  if (!admin) throw new Error('no bench user');
  await getSequelize().query(`UPDATE "Users" SET "role" = 'admin' WHERE "id" = $1`, { bind: [admin.id] });
  return admin.token;
}
