import { Client } from 'pg';
import request from 'supertest';
import { Session, User } from '../src/models';
import { startServer, type RunningServer } from '../src/server';
import { loginAs } from './helpers/factories';
import { createApp } from '../src/app';
import { config } from '../src/config';

const app = createApp();
let server: RunningServer;
let other: Client;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
  other = new Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});

afterAll(async () => {
  await other.end();
  await server.stop();
});

/** What another instance does: change the rows, then announce it on the channel. */
async function anotherInstanceAnnounces(payload: object): Promise<void> {
  await other.query('SELECT pg_notify($1, $2)', ['car_community_invalidation', JSON.stringify({ origin: 'another-instance', ...payload })]);
}

/**
 * Polls for at most half the cache TTL after the announcement: without the notification the
 * cached entry (stored just before) would answer the old way for the whole TTL.
 */
async function statusUntil(path: string, token: string, wanted: number): Promise<number> {
  let status = 0;
  const deadline = Date.now() + config.AUTH_CACHE_TTL_MS / 2;
  while (status !== wanted && Date.now() < deadline) {
    status = (await request(server.url).get(path).set('access_token', token)).status;
    if (status !== wanted) await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

describe('invalidations between instances (LISTEN/NOTIFY)', () => {
  it('when another instance revokes a session, then this one refuses its token at once, not after the cache TTL', async () => {
    const me = await loginAs(app);
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(200); // cached now
    const [session] = await Session.findAll({ where: { UserId: me.user.id } });
    await Session.update({ revokedAt: new Date() }, { where: { id: session.id } });
    // Control: the revocation alone is invisible while the cache holds the session.
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(200);

    await anotherInstanceAnnounces({ sessions: [session.id] });

    expect(await statusUntil('/user', me.accessToken, 401)).toBe(401);
  });

  it('when another instance demotes an admin, then this one applies the new role at once', async () => {
    const admin = await loginAs(app, { role: 'admin' });
    await request(server.url).get('/users').set('access_token', admin.accessToken).expect(200);
    await User.update({ role: 'user' }, { where: { id: admin.user.id } });
    await request(server.url).get('/users').set('access_token', admin.accessToken).expect(200);

    await anotherInstanceAnnounces({ users: [admin.user.id] });

    expect(await statusUntil('/users', admin.accessToken, 403)).toBe(403);
  });

  it('when a malformed notification arrives, then it is ignored and the server keeps serving', async () => {
    const me = await loginAs(app);
    await other.query("SELECT pg_notify('car_community_invalidation', 'not json')");
    await anotherInstanceAnnounces({ sessions: 'nope', users: ['x'] });
    await request(server.url).get('/user').set('access_token', me.accessToken).expect(200);
  });
});
