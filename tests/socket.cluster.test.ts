import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { QueryTypes } from 'sequelize';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import request from 'supertest';
import { Log, Message } from '../src/models';
import { startServer, type RunningServer } from '../src/server';
import type { ChatMessage, RoomName } from '../src/socket/events';
import { createCar, loginAs } from './helpers/factories';
import { closeAllSockets, connect, disconnection, eventually, nextEvent, record, sendOk, type ClientSocket } from './helpers/sockets';

// Two instances in one process, sharing the test database through @socket.io/postgres-adapter.
const app = createApp();
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  a = await startServer({ port: 0, host: '127.0.0.1', socketAdapter: 'postgres', presenceGraceMs: 300 });
  b = await startServer({ port: 0, host: '127.0.0.1', socketAdapter: 'postgres', presenceGraceMs: 300 });
  // Instances find each other through adapter heartbeats (every 5 s at most).
  await eventually(
    async () => (await a.io.of('/').adapter.serverCount()) >= 2 && (await b.io.of('/').adapter.serverCount()) >= 2,
    15_000,
    'the two instances seeing each other',
  );
}, 30_000);

afterEach(() => closeAllSockets());

afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
});

async function on(server: RunningServer, token?: string): Promise<ClientSocket> {
  return connect(server.url, { token: token ?? (await loginAs(app)).accessToken });
}

function sent(socket: ClientSocket, text: string, room: RoomName = 'global'): Promise<ChatMessage> {
  return sendOk(socket, { text, room });
}

async function holders(userId: number): Promise<number> {
  const [row] = await getSequelize().query<{ n: number }>(`SELECT count(*)::int AS n FROM "PresenceHolders" WHERE "UserId" = $1`, {
    bind: [userId],
    type: QueryTypes.SELECT,
  });
  return row?.n ?? 0;
}

describe('two instances with the postgres adapter', () => {
  it('when a message is sent on instance A, then a client on instance B receives it', async () => {
    const [sender, receiver] = [await on(a), await on(b)];
    const text = `across ${randomUUID()}`;
    const delivered = nextEvent(receiver, 'message:new', (m) => m.text === text);
    const message = await sent(sender, text);
    expect(await delivered).toEqual(message);
  });

  it('when a car room message is sent on A, then only members on B receive it', async () => {
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    const [author, member, outsider] = [await on(a), await on(b), await on(b)];
    await author.timeout(5000).emitWithAck('room:join', { room });
    await member.timeout(5000).emitWithAck('room:join', { room });
    const outsiderSaw = record(outsider, 'message:new');
    const text = `members only ${randomUUID()}`;
    const delivered = nextEvent(member, 'message:new', (m) => m.text === text);
    await sent(author, text, room);
    await delivered;
    const fence = `fence ${randomUUID()}`;
    const fenced = nextEvent(outsider, 'message:new', (m) => m.text === fence);
    await sent(author, fence);
    await fenced;
    expect(outsiderSaw.map((m) => m.text)).not.toContain(text);
  });

  it('when a user has a tab on each instance, then closing one keeps them on and closing both sends one off', async () => {
    const observer = await on(a);
    const login = await loginAs(app);
    const seen = record(observer, 'presence');
    const wentOn = nextEvent(observer, 'presence', (e) => e.UserId === login.user.id && e.status === 'on');
    const tabA = await on(a, login.accessToken);
    await wentOn;
    const tabB = await on(b, login.accessToken);
    await eventually(async () => (await holders(login.user.id)) === 2, 5000, 'both instances holding the user');

    tabA.disconnect();
    // A's grace period ends, it finds the tab on B cluster-wide and only drops its own claim.
    await eventually(async () => (await holders(login.user.id)) === 1, 5000, 'instance A releasing the user');
    expect((await Log.findOne({ where: { UserId: login.user.id } }))?.status).toBe('on');

    const wentOff = nextEvent(observer, 'presence', (e) => e.UserId === login.user.id && e.status === 'off');
    tabB.disconnect();
    await wentOff;
    expect(seen.filter((e) => e.UserId === login.user.id).map((e) => e.status)).toEqual(['on', 'off']);
    expect((await Log.findOne({ where: { UserId: login.user.id } }))?.status).toBe('off');
  });

  it('when sockets of a session are disconnected from instance B, then its socket on A closes too', async () => {
    const login = await loginAs(app);
    const socket = await on(a, login.accessToken);
    const claims = jwt.decode(login.accessToken);
    const sid = typeof claims === 'object' && claims !== null ? String(claims.sid) : '';
    const closed = disconnection(socket);
    b.io.in(`session:${sid}`).disconnectSockets(true);
    expect(await closed).toBe('io server disconnect');
  });
});

describe('direct messages, deletes and typing across two instances', () => {
  function dmRoom(x: number, y: number): RoomName {
    return `dm:${Math.min(x, y)}-${Math.max(x, y)}`;
  }

  it('when a dm is sent on A, then every socket of both users on both instances gets it without joining, and nobody else', async () => {
    const [alice, bob] = [await loginAs(app), await loginAs(app)];
    const room = dmRoom(alice.user.id, bob.user.id);
    const aliceOnA = await on(a, alice.accessToken);
    const aliceOnB = await on(b, alice.accessToken);
    const bobOnB = await on(b, bob.accessToken);
    const bobOnA = await on(a, bob.accessToken);
    const outsider = await on(b);
    const outsiderSaw = record(outsider, 'message:new');
    const text = `psst ${randomUUID()}`;
    const arrivals = [aliceOnB, bobOnB, bobOnA].map((s) => nextEvent(s, 'message:new', (m) => m.text === text));
    const message = await sent(aliceOnA, text, room);
    expect(message).toMatchObject({ room, UserId: alice.user.id, text });
    for (const arrived of arrivals) expect(await arrived).toEqual(message);
    await fenceGlobal(aliceOnA, outsider);
    expect(outsiderSaw.map((m) => m.text)).not.toContain(text);

    const history = await request(b.url).get(`/socket/message?room=${room}`).set('access_token', bob.accessToken).expect(200);
    expect(history.body.map((m: ChatMessage) => m.id)).toEqual([message.id]);
    const stranger = await loginAs(app);
    const refused = await request(b.url).get(`/socket/message?room=${room}`).set('access_token', stranger.accessToken);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it("when someone writes to others' dm room or to a user that does not exist, then NOT_FOUND and nothing is stored", async () => {
    const [alice, bob, eve] = [await loginAs(app), await loginAs(app), await loginAs(app)];
    const eveSocket = await on(a, eve.accessToken);
    const others = dmRoom(alice.user.id, bob.user.id);
    expect(await eveSocket.timeout(5000).emitWithAck('message:send', { text: 'hi', room: others })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const ghost = dmRoom(eve.user.id, 2147483000);
    expect(await eveSocket.timeout(5000).emitWithAck('message:send', { text: 'hi', room: ghost })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await eveSocket.timeout(5000).emitWithAck('room:join', { room: others })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await Message.count({ where: { room: [others, ghost] } })).toBe(0);
  });

  it('when a message is deleted on A, then members on B get message:deleted; a dm delete reaches both parties', async () => {
    const [alice, bob] = [await loginAs(app), await loginAs(app)];
    const aliceOnA = await on(a, alice.accessToken);
    const bobOnB = await on(b, bob.accessToken);
    const inGlobal = await sent(aliceOnA, `oops ${randomUUID()}`);
    const dm = await sent(aliceOnA, 'private oops', dmRoom(alice.user.id, bob.user.id));
    const globalGone = nextEvent(bobOnB, 'message:deleted', (d) => d.id === inGlobal.id);
    const dmGone = nextEvent(bobOnB, 'message:deleted', (d) => d.id === dm.id);
    expect(await aliceOnA.timeout(5000).emitWithAck('message:delete', { id: inGlobal.id })).toEqual({ ok: true });
    await request(a.url).delete(`/socket/message/${dm.id}`).set('access_token', alice.accessToken).expect(200);
    expect(await globalGone).toEqual({ id: inGlobal.id, room: 'global', seq: expect.any(Number) });
    expect(await dmGone).toEqual({ id: dm.id, room: dm.room, seq: expect.any(Number) });
  });

  it('when a user types on A, then the room on B sees it once a second at most, never the typing socket, and the stop arrives', async () => {
    const [alice, bob] = [await loginAs(app), await loginAs(app)];
    const aliceOnA = await on(a, alice.accessToken);
    const bobOnB = await on(b, bob.accessToken);
    const room = dmRoom(alice.user.id, bob.user.id);
    const bobSaw = record(bobOnB, 'typing');
    const aliceSaw = record(aliceOnA, 'typing');
    const first = nextEvent(bobOnB, 'typing', (t) => t.UserId === alice.user.id);
    for (let i = 0; i < 5; i += 1) aliceOnA.emit('typing', { room, typing: true });
    expect(await first).toEqual({ room, UserId: alice.user.id, username: alice.user.username, typing: true });
    const stopped = nextEvent(bobOnB, 'typing', (t) => t.UserId === alice.user.id && !t.typing, 3000);
    aliceOnA.emit('typing', { room, typing: false });
    await stopped;
    expect(bobSaw.map((t) => t.typing)).toEqual([true, false]);
    expect(aliceSaw).toEqual([]);
    expect(await Message.count({ where: { room } })).toBe(0);

    // In global, through the room: another user on B hears it, an invalid payload is dropped.
    const globalSeen = nextEvent(bobOnB, 'typing', (t) => t.room === 'global' && t.UserId === alice.user.id);
    (aliceOnA.emit as (event: string, ...args: unknown[]) => void)('typing', { room: 'global', typing: 'yes' });
    aliceOnA.emit('typing', { room: 'global', typing: true });
    expect(await globalSeen).toMatchObject({ typing: true });
  });
});

async function fenceGlobal(from: ClientSocket, to: ClientSocket): Promise<void> {
  const text = `fence ${randomUUID()}`;
  const arrived = nextEvent(to, 'message:new', (m) => m.text === text);
  await sent(from, text);
  await arrived;
}
