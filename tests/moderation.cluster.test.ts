import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { createApp } from '../src/app';
import { Message, Report, type Car } from '../src/models';
import { blockersOf } from '../src/services/moderation/block.cache';
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
 * LISTEN/NOTIFY. B also runs with REQUIRE_VERIFIED_EMAIL=true, so the users who chat there
 * have verified their email.
 */
const app = createApp();
let a: RunningServer;
let b: ChildServer;
let dataDir: string;
let car: Car;

beforeAll(async () => {
  car = await createCar(); // a catalogue that is not empty: B starts without importing
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

/** Far below the caches' 60 s TTL: only the notification can make a change hold this soon on the other instance. */
const AT_ONCE_MS = 2000;

/** The authors in my `global` history as instance B serves it. */
async function historyOnB(me: LoggedIn): Promise<(number | null)[]> {
  const res = await request(b.url).get('/socket/message?limit=200').set('access_token', me.accessToken).expect(200);
  return (res.body as ChatMessage[]).map((m) => m.UserId);
}

/**
 * Why a send to a car room the socket has not joined is refused: a muted user hears about
 * the mute (checked first), anyone else that they must join. Nothing is stored either way.
 */
async function refusalOf(socket: ClientSocket): Promise<string> {
  const reply = await socket.timeout(5000).emitWithAck('message:send', { text: 'probe', room: `car:${car.id}` });
  if (reply.ok) throw new Error('a send to a room not joined was accepted');
  return reply.error.message;
}

function arrives(socket: ClientSocket, text: string): Promise<ChatMessage> {
  return nextEvent(socket, 'message:new', (m) => m.text === text);
}

describe('moderation across two instances (separate processes)', () => {
  it('when I block someone through instance A, then at once history on B leaves them out and their messages sent on B reach none of my sockets', async () => {
    const verified = { emailVerified: true };
    const [me, them, bystander] = [await loginAs(app, verified), await loginAs(app, verified), await loginAs(app, verified)];
    const [mineOnA, mineOnB, theirsOnB, watcherOnB] = [await on(a.url, me), await on(b.url, me), await on(b.url, them), await on(b.url, bystander)];
    // B looks up (and caches) who blocks them, and whom I block: nobody either way.
    const warm = `before ${randomUUID()}`;
    const warmed = Promise.all([arrives(mineOnA, warm), arrives(mineOnB, warm)]);
    await sendOk(theirsOnB, { text: warm });
    await warmed;
    expect(await historyOnB(me)).toContain(them.user.id);

    await request(a.url).post(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(201);
    await eventually(async () => !(await historyOnB(me)).includes(them.user.id), AT_ONCE_MS, 'B leaving them out of my history');

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
  });

  it('when I unblock through B, then at once their messages sent on A reach me on both instances again', async () => {
    const [me, them] = [await loginAs(app), await loginAs(app)];
    await request(b.url).post(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(201);
    const [mineOnA, mineOnB, theirsOnA] = [await on(a.url, me), await on(b.url, me), await on(a.url, them)];
    const hidden = `blocked ${randomUUID()}`;
    const seen = [record(mineOnA, 'message:new'), record(mineOnB, 'message:new')];
    await sendOk(theirsOnA, { text: hidden }); // A has now cached that I block them

    await request(b.url).delete(`/users/${them.user.id}/block`).set('access_token', me.accessToken).expect(200);
    // A runs in this process: its cache is this module's.
    await eventually(async () => !(await blockersOf(them.user.id)).has(me.user.id), AT_ONCE_MS, 'A forgetting the block');
    const back = `unblocked ${randomUUID()}`;
    const delivered = Promise.all([arrives(mineOnA, back), arrives(mineOnB, back)]);
    await sendOk(theirsOnA, { text: back });
    await delivered;
    expect(seen.flat().map((m) => m.text)).not.toContain(hidden);
  });

  it('when an admin mutes a user through A, then at once their sends on B are refused, and accepted again once A lifts it', async () => {
    const [admin, target] = [await loginAs(app, { role: 'admin' }), await loginAs(app, { emailVerified: true })];
    const socket = await on(b.url, target);
    await sendOk(socket, { text: `before the mute ${randomUUID()}` }); // B has cached "not muted"

    const muted = await request(a.url).post(`/users/${target.user.id}/mute`).set('access_token', admin.accessToken).send({ minutes: 20 }).expect(200);
    await eventually(async () => (await refusalOf(socket)).includes('muted'), AT_ONCE_MS, 'B refusing the muted user');
    const text = `muted ${randomUUID()}`;
    const refused = await socket.timeout(5000).emitWithAck('message:send', { text });
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(muted.body.mutedUntil as string) } });
    expect(await Message.count({ where: { text } })).toBe(0);

    await request(a.url).delete(`/users/${target.user.id}/mute`).set('access_token', admin.accessToken).expect(200);
    await eventually(async () => !(await refusalOf(socket)).includes('muted'), AT_ONCE_MS, 'B accepting the user again');
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
