import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { QueryTypes } from 'sequelize';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { Log } from '../src/models';
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
