import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { createApp } from '../src/app';
import { Report } from '../src/models';
import { startServer, type RunningServer } from '../src/server';
import type { ChatMessage } from '../src/socket/events';
import { ChildServer, tempDir } from './helpers/child-server';
import { createCar, loginAs, type LoggedIn } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { closeAllSockets, connect, eventually, nextEvent, record, sendOk, type ClientSocket } from './helpers/sockets';

/**
 * Two instances in two processes on the test database, sharing broadcasts through the
 * postgres adapter: A runs in this process, B is the real server (`src/index.ts`) in a child
 * process, so nothing in memory is shared: B learns of a block or mute made on A only through
 * LISTEN/NOTIFY. B also runs with REQUIRE_VERIFIED_EMAIL=true.
 */
const app = createApp();
let a: RunningServer;
let b: ChildServer;
let dataDir: string;

beforeAll(async () => {
  await createCar(); // a catalogue that is not empty: B starts without importing
  dataDir = tempDir('moderation-cluster-');
  b = new ChildServer({
    DATABASE_URL: String(process.env.DATABASE_URL),
    DATA_DIR: dataDir,
    JWT_SECRET: String(process.env.JWT_SECRET),
    SOCKET_ADAPTER: 'postgres',
    PRESENCE_GRACE_MS: '300',
    REQUIRE_VERIFIED_EMAIL: 'true',
  });
  a = await startServer({ port: 0, host: '127.0.0.1', socketAdapter: 'postgres', presenceGraceMs: 300 });
  await b.ready(90_000);
  await eventually(async () => (await a.io.of('/').adapter.serverCount()) >= 2, 15_000, 'the two instances seeing each other');
}, 120_000);

afterEach(() => closeAllSockets());

afterAll(async () => {
  await a?.stop();
  await b?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

function on(url: string, who: LoggedIn): Promise<ClientSocket> {
  return connect(url, { token: who.accessToken });
}

function arrives(socket: ClientSocket, text: string): Promise<ChatMessage> {
  return nextEvent(socket, 'message:new', (m) => m.text === text);
}

describe('moderation across two instances (separate processes)', () => {
  it('when I block someone through instance A, then at once their messages sent on B reach none of my sockets, and history on B leaves them out', async () => {
    const [me, them, bystander] = [await loginAs(app), await loginAs(app), await loginAs(app)];
    const [mineOnA, mineOnB, theirsOnB, watcherOnB] = [await on(a.url, me), await on(b.url, me), await on(b.url, them), await on(b.url, bystander)];
    // B has now looked up (and cached) who blocks them: nobody.
    const warm = `before ${randomUUID()}`;
    const warmed = Promise.all([arrives(mineOnA, warm), arrives(mineOnB, warm)]);
    await sendOk(theirsOnB, { text: warm });
    await warmed;

    await request(a.url).post(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(201);
    const onA = record(mineOnA, 'message:new');
    const onB = record(mineOnB, 'message:new');
    const hidden = `blocked ${randomUUID()}`;
    const watched = arrives(watcherOnB, hidden);
    await sendOk(theirsOnB, { text: hidden });
    await watched;
    const fence = `fence ${randomUUID()}`;
    const fenced = Promise.all([arrives(mineOnA, fence), arrives(mineOnB, fence)]);
    await sendOk(watcherOnB, { text: fence });
    await fenced;
    expect([...onA, ...onB].map((m) => m.text)).not.toContain(hidden);

    const history = await request(b.url).get('/socket/message?limit=200').set('access_token', me.accessToken).expect(200);
    expect((history.body as ChatMessage[]).some((m) => m.UserId === them.user.id)).toBe(false);
  });

  it('when I unblock through B, then at once their messages sent on A reach me on both instances again', async () => {
    const [me, them] = [await loginAs(app), await loginAs(app)];
    await request(b.url).post(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(201);
    const [mineOnA, mineOnB, theirsOnA] = [await on(a.url, me), await on(b.url, me), await on(a.url, them)];
    const hidden = `blocked ${randomUUID()}`;
    const seen = [record(mineOnA, 'message:new'), record(mineOnB, 'message:new')];
    await sendOk(theirsOnA, { text: hidden });

    await request(b.url).delete(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(200);
    const back = `unblocked ${randomUUID()}`;
    const delivered = Promise.all([arrives(mineOnA, back), arrives(mineOnB, back)]);
    await sendOk(theirsOnA, { text: back });
    await delivered;
    expect(seen.flat().map((m) => m.text)).not.toContain(hidden);
  });

  it('when an admin mutes a user through A, then at once their sends on B are refused, and accepted again once A lifts it', async () => {
    const [admin, target] = [await loginAs(app, { role: 'admin' }), await loginAs(app)];
    const socket = await on(b.url, target);
    await sendOk(socket, { text: `before the mute ${randomUUID()}` }); // B has cached "not muted"

    const muted = await request(a.url).post(`/users/${target.user.id}/mute`).set('access_token', admin.accessToken).send({ minutes: 20 }).expect(200);
    const refused = await socket.timeout(5000).emitWithAck('message:send', { text: 'muted' });
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(muted.body.mutedUntil as string) } });

    await request(a.url).delete(`/users/${target.user.id}/mute`).set('access_token', admin.accessToken).expect(200);
    await expect(sendOk(socket, { text: `after the mute ${randomUUID()}` })).resolves.toMatchObject({ UserId: target.user.id });
  });

  it('when REQUIRE_VERIFIED_EMAIL=true (instance B), then POST /reports by an unverified user is 403 EMAIL_NOT_VERIFIED and nothing is stored; A (false) accepts it', async () => {
    const [me, them] = [await loginAs(app), await loginAs(app)];
    const refused = await request(b.url).post('/reports').set('access_token', me.accessToken).send({ userId: them.user.id, reason: 'spam' });
    expectProblem(refused, 403, 'EMAIL_NOT_VERIFIED');
    expect(await Report.count({ where: { ReporterId: me.user.id } })).toBe(0);
    await request(a.url).post('/reports').set('access_token', me.accessToken).send({ userId: them.user.id, reason: 'spam' }).expect(201);
  });
});
