import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../src/app';
import { logger } from '../src/logger';
import { Session, User } from '../src/models';
import { startServer, type RunningServer } from '../src/server';
import { hasherPool } from '../src/services/auth/password-hash.pool';
import { invalidationBusStatus } from '../src/services/auth/revocation.bus';
import { createUser, loginAs } from './helpers/factories';
import { closeAllSockets, connect, eventually, nextEvent, sendOk } from './helpers/sockets';

jest.setTimeout(60_000);

const app = createApp();
let admin: Client;
const errors = jest.spyOn(logger, 'error'); // observes the log lines; the logger still runs

beforeAll(async () => {
  admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
});

afterAll(async () => {
  errors.mockRestore();
  await admin.end();
});

afterEach(() => closeAllSockets());

async function terminateBackend(pid: number | undefined): Promise<void> {
  if (!pid) throw new Error('no backend to terminate');
  const { rows } = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
  expect(rows[0]?.done).toBe(true);
}

function loggedError(fragment: string): boolean {
  return errors.mock.calls.some((call) => call.some((arg) => typeof arg === 'string' && arg.includes(fragment)));
}

describe('when the password-hashing pool breaks', () => {
  it('then the logins on it get 503, the process stays up, and the pool is restarted for the next login', async () => {
    const user = await createUser();
    // Cost 12: hundreds of ms on a thread, so the comparison is surely running when its thread dies.
    await User.update({ passwordHash: bcrypt.hashSync(user.password, 12) }, { where: { id: user.user.id } });
    const killer = setInterval(() => hasherPool().threads.forEach((thread) => void thread.terminate()), 10);
    const broken = await request(app).post('/login').send({ email: user.email, password: user.password });
    clearInterval(killer);

    expect(broken.status).toBe(503);
    expect(broken.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(broken.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(loggedError('password-hashing pool failed')).toBe(true);
    expect(await Session.count({ where: { UserId: user.user.id } })).toBe(0);

    const again = await request(app).post('/login').send({ email: user.email, password: user.password });
    expect(again.status).toBe(200);
    expect(await Session.count({ where: { UserId: user.user.id } })).toBe(1);
  });
});

describe('with a running server', () => {
  let server: RunningServer;
  let other: RunningServer;

  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', socketAdapter: 'postgres', presenceGraceMs: 300 });
    other = await startServer({ port: 0, host: '127.0.0.1', socketAdapter: 'postgres', presenceGraceMs: 300 });
    await eventually(async () => (await server.io.of('/').adapter.serverCount()) >= 2, 15_000, 'the two instances seeing each other');
  }, 30_000);

  afterAll(async () => {
    await Promise.all([server.stop(), other.stop()]);
  });

  it('when the LISTEN connection of the revocation bus is killed, then cached sessions are re-read, it reconnects and delivers again', async () => {
    const me = await loginAs(app);
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(200); // cached now
    const [session] = await Session.findAll({ where: { UserId: me.user.id } });
    // Revoked in the database with no notification: only a cache that forgot it will notice.
    await Session.update({ revokedAt: new Date() }, { where: { id: session.id } });
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(200);

    const before = invalidationBusStatus();
    expect(before.state).toBe('listening');
    await terminateBackend(before.backendPid);
    await eventually(
      () => invalidationBusStatus().state !== 'listening' || invalidationBusStatus().backendPid !== before.backendPid,
      5000,
      'the loss noticed',
    );
    expect(loggedError('invalidation listener lost its connection')).toBe(true);
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(401);

    await eventually(() => invalidationBusStatus().state === 'listening', 10_000, 'the listener back');
    expect(invalidationBusStatus().backendPid).not.toBe(before.backendPid);
    // Delivery works again: another instance's announcement reaches this one.
    const next = await loginAs(app);
    await request(server.url).get('/user').set('access_token', next.accessToken).expect(200);
    const [nextSession] = await Session.findAll({ where: { UserId: next.user.id } });
    await Session.update({ revokedAt: new Date() }, { where: { id: nextSession.id } });
    await admin.query('SELECT pg_notify($1, $2)', ['car_community_invalidation', JSON.stringify({ origin: 'another', sessions: [nextSession.id] })]);
    await eventually(
      async () => (await request(server.url).get('/user').set('access_token', next.accessToken)).status === 401,
      1000,
      'the revocation applied',
    );
  });

  it('when the socket.io adapter loses its LISTEN connection, then events answer UNAVAILABLE, the server stays up and cross-instance chat comes back', async () => {
    const sender = await connect(server.url, { token: (await loginAs(app)).accessToken });
    const receiver = await connect(other.url, { token: (await loginAs(app)).accessToken });
    const before = server.adapterStatus();
    expect(before.listening).toBe(true);

    await terminateBackend(before.backendPid);
    await eventually(() => !server.adapterStatus().listening, 5000, 'the loss noticed');
    expect(loggedError('socket.io adapter lost its LISTEN connection')).toBe(true);
    const refused = await sender.timeout(5000).emitWithAck('message:send', { text: `while deaf ${randomUUID()}`, room: 'global' });
    expect(refused).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect((await request(server.url).get('/healthz')).status).toBe(200);

    await eventually(() => server.adapterStatus().listening, 10_000, 'the adapter listening again');
    expect(server.adapterStatus().backendPid).not.toBe(before.backendPid);
    const text = `after recovery ${randomUUID()}`;
    const delivered = nextEvent(receiver, 'message:new', (m) => m.text === text);
    const message = await sendOk(sender, { text, room: 'global' });
    expect(await delivered).toEqual(message);
    // And this instance hears the other one again.
    const back = `the other way ${randomUUID()}`;
    const heard = nextEvent(sender, 'message:new', (m) => m.text === back);
    await sendOk(receiver, { text: back, room: 'global' });
    expect((await heard).text).toBe(back);
  });
});
