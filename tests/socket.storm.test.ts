import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';
import { signAccessToken } from '../src/services/auth/token.service';
import { ChildServer, tempDir } from './helpers/child-server';
import type { StormReport } from './helpers/storm-client';
import { connect, eventually, record, closeAllSockets } from './helpers/sockets';
import { createCar, unique } from './helpers/factories';

/**
 * A connection storm against the real server in its own process: the contract's burst of
 * STORM_USERS users × STORM_SOCKETS_PER_USER sockets (500 × 10 = 5,000) from STORM_CLIENTS
 * client processes, all started at once from one address (so SOCKETS_PER_IP is raised, as
 * §3 allows). Every handshake must succeed and presence must end exact: one `on` per user,
 * nothing left `on` once they leave. No timing is asserted.
 */
const USERS = Number(process.env.STORM_USERS ?? 500);
const PER_USER = Number(process.env.STORM_SOCKETS_PER_USER ?? 10);
const SOCKETS = USERS * PER_USER;
const CLIENTS = Number(process.env.STORM_CLIENTS ?? 2);

jest.setTimeout(600_000);

let server: ChildServer | undefined;
const clients: ChildProcess[] = [];

afterAll(async () => {
  closeAllSockets();
  for (const c of clients) if (c.exitCode === null) c.kill('SIGKILL');
  await server?.kill();
});

const t0 = Date.now();
function phase(what: string): void {
  if (process.env.STORM_VERBOSE) process.stdout.write(`storm +${Date.now() - t0} ms: ${what}\n`);
}

async function query<T extends object>(sql: string, bind: unknown[]): Promise<T[]> {
  return getSequelize().query<T>(sql, { bind, type: QueryTypes.SELECT });
}

/** `count` users with one open session each, straight in the database; their access tokens. */
async function stormUsers(count: number): Promise<{ ids: number[]; tokens: string[] }> {
  const prefix = unique('st');
  const users = await query<{ id: number }>(
    `INSERT INTO "Users" ("username", "email", "passwordHash", "role", "createdAt", "updatedAt")
     SELECT $1 || '_' || i, $1 || '_' || i || '@storm.example', 'not-a-hash', 'user', now(), now() FROM generate_series(1, $2::int) i
     RETURNING "id"`,
    [prefix, count],
  );
  const ids = users.map((u) => u.id);
  const sessions = ids.map(() => randomUUID());
  await query(
    `INSERT INTO "Sessions" ("id", "UserId", "expiresAt", "createdAt", "updatedAt")
     SELECT s, u, now() + interval '1 hour', now(), now() FROM unnest($1::uuid[], $2::int[]) AS t(s, u) RETURNING 1`,
    [sessions, ids],
  );
  return { ids, tokens: ids.map((id, i) => signAccessToken(id, sessions[i] ?? '')) };
}

function client(): ChildProcess {
  return fork(path.join(__dirname, 'helpers', 'storm-client.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
}

function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & Record<string, unknown>) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
  });
}

async function presenceCounts(ids: number[]): Promise<{ on: number; holders: number }> {
  const [row] = await query<{ on: number; holders: number }>(
    `SELECT (SELECT count(*)::int FROM "Logs" WHERE "UserId" = ANY($1::int[]) AND "status" = 'on') AS "on",
            (SELECT count(*)::int FROM "PresenceHolders" WHERE "UserId" = ANY($1::int[])) AS "holders"`,
    [ids],
  );
  return row ?? { on: -1, holders: -1 };
}

describe('a connection storm', () => {
  it(`when ${SOCKETS} sockets connect in one burst, then every handshake succeeds and presence ends exact`, async () => {
    await createCar(); // a catalogue that is not empty: the server imports nothing at boot
    server = await new ChildServer({
      DATABASE_URL: String(process.env.DATABASE_URL),
      DATA_DIR: path.join(tempDir('storm-'), 'data'),
      JWT_SECRET: String(process.env.JWT_SECRET),
      PRESENCE_GRACE_MS: '300',
      SOCKETS_PER_IP: String(SOCKETS + 100),
    }).ready();
    const users = await stormUsers(USERS + 1);
    const observerToken = users.tokens.pop() ?? '';
    const stormIds = users.ids.slice(0, USERS);
    // Each user's token PER_USER times, spread over the client processes.
    const tokens = Array.from({ length: PER_USER }, () => users.tokens).flat();
    phase('server up, users made');
    const observer = await connect(server.url, { token: observerToken });
    const presence = record(observer, 'presence');

    const share = Math.ceil(SOCKETS / CLIENTS);
    clients.push(...Array.from({ length: CLIENTS }, client));
    await Promise.all(
      clients.map((c, i) => {
        const ready = reply(c, 'ready');
        c.send({ type: 'start', url: server?.url, tokens: tokens.slice(i * share, (i + 1) * share) });
        return ready;
      }),
    );
    const reports = clients.map((c) => reply<{ report: StormReport }>(c, 'report'));
    phase('clients ready');
    for (const c of clients) c.send({ type: 'go' });
    const results = (await Promise.all(reports)).map((r) => r.report);
    const failures = results.reduce<Record<string, number>>((all, r) => {
      for (const [code, n] of Object.entries(r.failures)) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {});
    const slowest = Math.max(...results.map((r) => r.ms));
    process.stdout.write(`storm: ${SOCKETS} sockets (${USERS} users) from ${CLIENTS} processes, all handshakes done in ${slowest} ms\n`);
    phase('handshakes done');
    if (process.env.STORM_VERBOSE)
      for (const l of server.logs.filter((x) => x.level >= 40).slice(0, 5)) process.stdout.write(`${JSON.stringify(l).slice(0, 1500)}\n`);
    expect({ connected: results.reduce((n, r) => n + r.connected, 0), failures }).toEqual({ connected: SOCKETS, failures: {} });
    // One `on` per user, announced once each; then every socket closes and nothing is left on.
    const stormSet = new Set(stormIds);
    await eventually(async () => (await presenceCounts(stormIds)).on === USERS, 120_000, 'every storm user on');
    expect(await presenceCounts(stormIds)).toEqual({ on: USERS, holders: USERS });
    await eventually(() => presence.filter((e) => stormSet.has(e.UserId)).length >= USERS, 120_000, 'every on announced');
    const onEvents = presence.filter((e) => stormSet.has(e.UserId) && e.status === 'on');
    expect(new Set(onEvents.map((e) => e.UserId)).size).toBe(USERS);
    expect(onEvents).toHaveLength(USERS);

    phase('presence on, announced');
    await Promise.all(
      clients.map((c) => {
        const closed = reply(c, 'closed');
        c.send({ type: 'close' });
        return closed;
      }),
    );
    await eventually(
      async () => {
        const counts = await presenceCounts(stormIds);
        return counts.on === 0 && counts.holders === 0;
      },
      120_000,
      'every storm user off',
    );
    await eventually(() => presence.filter((e) => stormSet.has(e.UserId) && e.status === 'off').length === USERS, 120_000, 'every off announced');
  });
});
