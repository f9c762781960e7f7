import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';
import { signAccessToken } from '../src/services/auth/token.service';
import type { OpenReport } from './socket-worker';

/**
 * What the storm benchmark (bench/socket-bench.ts) and the storm test
 * (tests/socket.storm.test.ts) share: users made in SQL, the IPC with the client worker
 * processes (bench/socket-worker.ts) and the presence read-back.
 */
async function select<T extends object>(sql: string, bind: unknown[]): Promise<T[]> {
  return getSequelize().query<T>(sql, { bind, type: QueryTypes.SELECT });
}

/** `count` users with one open session each, made in SQL; their ids and access tokens. */
export async function stormUsers(count: number, prefix = `st_${randomUUID().slice(0, 8)}`): Promise<{ ids: number[]; tokens: string[] }> {
  const users = await select<{ id: number }>(
    `INSERT INTO "Users" ("username", "email", "passwordHash", "role", "createdAt", "updatedAt")
     SELECT $1 || '_' || i, $1 || '_' || i || '@storm.example', 'not-a-hash', 'user', now(), now() FROM generate_series(1, $2::int) i
     RETURNING "id"`,
    [prefix, count],
  );
  const ids = users.map((u) => u.id);
  const sessions = ids.map(() => randomUUID());
  await select(
    `INSERT INTO "Sessions" ("id", "UserId", "expiresAt", "createdAt", "updatedAt")
     SELECT s, u, now() + interval '1 hour', now(), now() FROM unnest($1::uuid[], $2::int[]) AS t(s, u) RETURNING 1`,
    [sessions, ids],
  );
  return { ids, tokens: ids.map((id, i) => signAccessToken(id, sessions[i] ?? '')) };
}

/** The next IPC message of `type` from a worker. */
export function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & Record<string, unknown>) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
  });
}

/** Users `on` in Logs and their PresenceHolders rows. */
export async function presenceCounts(ids: number[]): Promise<{ on: number; holders: number }> {
  const [row] = await select<{ on: number; holders: number }>(
    `SELECT (SELECT count(*)::int FROM "Logs" WHERE "UserId" = ANY($1::int[]) AND "status" = 'on') AS "on",
            (SELECT count(*)::int FROM "PresenceHolders" WHERE "UserId" = ANY($1::int[])) AS "holders"`,
    [ids],
  );
  return row ?? { on: -1, holders: -1 };
}

/** Sends each worker its share of `tokens` at once; the reports of all, and their failures added up. */
export async function openFromWorkers(
  workers: ChildProcess[],
  url: string,
  tokens: string[],
): Promise<{ reports: OpenReport[]; failures: Record<string, number> }> {
  const share = Math.ceil(tokens.length / workers.length);
  const reports = await Promise.all(
    workers.map((w, i) => {
      const opened = reply<{ report: OpenReport }>(w, 'opened');
      w.send({ type: 'open', url, tokens: tokens.slice(i * share, (i + 1) * share) });
      return opened.then((r) => r.report);
    }),
  );
  const failures: Record<string, number> = {};
  for (const r of reports) for (const [code, n] of Object.entries(r.failures)) failures[code] = (failures[code] ?? 0) + n;
  return { reports, failures };
}

/** Asks every worker to close its sockets and waits for them to say so. */
export async function closeFromWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map((w) => {
      const closed = reply(w, 'closed');
      w.send({ type: 'close' });
      return closed;
    }),
  );
}
