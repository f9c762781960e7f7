import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { Log } from '../src/models';
import { startServer } from '../src/server';
import type { PresenceEvent } from '../src/socket/events';
import { createUser, loginAs, type LoggedIn } from './helpers/factories';
import { connect, serverForThisFile, eventually, nextEvent, record, type ClientSocket } from './helpers/sockets';

const app = createApp();
const GRACE_MS = 300;
const server = serverForThisFile({ presenceGraceMs: GRACE_MS });
let observer: ClientSocket;

beforeEach(async () => {
  observer = await connect(server().url, { token: (await loginAs(app)).accessToken });
});

async function statusOf(userId: number): Promise<string | undefined> {
  return (await Log.findOne({ where: { UserId: userId } }))?.status;
}

/** Presence events about one user, as the observer receives them. */
function presenceOf(userId: number): { list: () => PresenceEvent[] } {
  const all = record(observer, 'presence');
  return { list: () => all.filter((e) => e.UserId === userId) };
}

function next(userId: number, status: 'on' | 'off', timeoutMs = 5000): Promise<PresenceEvent> {
  return nextEvent(observer, 'presence', (e) => e.UserId === userId && e.status === status, timeoutMs);
}

async function insertStaleInstanceHolding(userId: number): Promise<string> {
  const instanceId = randomUUID();
  const sequelize = getSequelize();
  await sequelize.query(
    `INSERT INTO "SocketInstances" (id, "startedAt", "heartbeatAt") VALUES ($1, now() - interval '2 hours', now() - interval '1 hour')`,
    { bind: [instanceId], type: QueryTypes.INSERT },
  );
  await sequelize.query(`INSERT INTO "PresenceHolders" ("UserId", "instanceId", "createdAt") VALUES ($1, $2, now())`, {
    bind: [userId, instanceId],
    type: QueryTypes.INSERT,
  });
  await sequelize.query(
    `INSERT INTO "Logs" ("UserId", status, "createdAt", "updatedAt") VALUES ($1, 'on', now(), now()) ON CONFLICT ("UserId") DO UPDATE SET status = 'on'`,
    { bind: [userId], type: QueryTypes.INSERT },
  );
  return instanceId;
}

describe('presence', () => {
  it('when a user opens two tabs and closes them, then exactly one on and, after the grace period, one off', async () => {
    const login: LoggedIn = await loginAs(app);
    const events = presenceOf(login.user.id);
    const on = next(login.user.id, 'on');
    const tab1 = await connect(server().url, { token: login.accessToken });
    expect(await on).toEqual({ UserId: login.user.id, username: login.user.username, status: 'on', at: expect.any(String) });
    const tab2 = await connect(server().url, { token: login.accessToken });
    expect(await statusOf(login.user.id)).toBe('on');

    tab1.disconnect();
    const list = await request(app).get(`/socket/log?status=on&q=${login.user.username}`).set('access_token', login.accessToken).expect(200);
    expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining({ UserId: login.user.id, status: 'on' })]));

    const off = next(login.user.id, 'off', 5000);
    const closedAt = Date.now();
    tab2.disconnect();
    const event = await off;
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 20);
    expect(event).toMatchObject({ UserId: login.user.id, status: 'off' });
    expect(events.list().map((e) => e.status)).toEqual(['on', 'off']);
    expect(await statusOf(login.user.id)).toBe('off');
  });

  it('when a user reconnects within the grace period, then nothing is announced', async () => {
    const patient = await startServer({ port: 0, host: '127.0.0.1', presenceGraceMs: 3000 });
    try {
      const watcher = await connect(patient.url, { token: (await loginAs(app)).accessToken });
      const login = await loginAs(app);
      const seen = record(watcher, 'presence');
      const on = nextEvent(watcher, 'presence', (e) => e.UserId === login.user.id && e.status === 'on');
      const first = await connect(patient.url, { token: login.accessToken });
      await on;
      first.disconnect();
      const second = await connect(patient.url, { token: login.accessToken });
      // The grace timer of the first socket must have been cancelled: the only `off` is the
      // one after the second socket closes, and there is no `on` in between.
      const off = nextEvent(watcher, 'presence', (e) => e.UserId === login.user.id && e.status === 'off', 10_000);
      second.disconnect();
      await off;
      expect(seen.filter((e) => e.UserId === login.user.id).map((e) => e.status)).toEqual(['on', 'off']);
    } finally {
      await patient.stop();
    }
  });

  it('when an instance crashed with users on, then the periodic reaper of a running instance sets them off', async () => {
    const reaper = await startServer({ port: 0, host: '127.0.0.1', presenceHeartbeatMs: 100 });
    const { user } = await createUser();
    const crashed = await insertStaleInstanceHolding(user.id);
    try {
      // Any instance sharing this database may reap it first, so the database is the witness.
      await eventually(async () => (await statusOf(user.id)) === 'off', 5000, 'the crashed user going off');
      const [left] = await getSequelize().query<{ n: number }>(`SELECT count(*)::int AS n FROM "SocketInstances" WHERE id = $1`, {
        bind: [crashed],
        type: QueryTypes.SELECT,
      });
      expect(left?.n).toBe(0);
    } finally {
      await reaper.stop();
    }
  });

  it('when an instance boots, then rows left on by a crashed instance are off before it serves', async () => {
    const { user } = await createUser();
    await insertStaleInstanceHolding(user.id);
    const booted = await startServer({ port: 0, host: '127.0.0.1' });
    try {
      expect(await statusOf(user.id)).toBe('off');
    } finally {
      await booted.stop();
    }
  });

  it('when an instance stops cleanly, then its users go off at once and others are told', async () => {
    const leaving = await startServer({ port: 0, host: '127.0.0.1' });
    const login = await loginAs(app);
    const watcher = await connect(leaving.url, { token: (await loginAs(app)).accessToken });
    const on = nextEvent(watcher, 'presence', (e) => e.UserId === login.user.id && e.status === 'on');
    await connect(leaving.url, { token: login.accessToken });
    await on;
    const off = nextEvent(watcher, 'presence', (e) => e.UserId === login.user.id && e.status === 'off');
    await leaving.stop();
    await off;
    expect(await statusOf(login.user.id)).toBe('off');
  });

  it('when the user is on elsewhere, then a crashed instance is reaped without setting them off', async () => {
    const login = await loginAs(app);
    await connect(server().url, { token: login.accessToken });
    await eventually(async () => (await statusOf(login.user.id)) === 'on', 5000, 'the user going on');
    const crashed = await insertStaleInstanceHolding(login.user.id);
    const booted = await startServer({ port: 0, host: '127.0.0.1' });
    await booted.stop();
    const [left] = await getSequelize().query<{ n: number }>(`SELECT count(*)::int AS n FROM "SocketInstances" WHERE id = $1`, {
      bind: [crashed],
      type: QueryTypes.SELECT,
    });
    expect(left?.n).toBe(0);
    expect(await statusOf(login.user.id)).toBe('on');
  });
});
