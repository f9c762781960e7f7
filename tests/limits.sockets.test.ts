import { io as ioClient } from 'socket.io-client';
import { createApp } from '../src/app';
import { logger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';
import type { SocketLimits } from '../src/socket/connection-limits';
import type { ChatMessage } from '../src/socket/events';
import { createCar, loginAs } from './helpers/factories';
import { get, rawConnect } from './helpers/raw-http';
import { rawEngineSession, rawSocketIo } from './helpers/raw-socketio';
import { closeAllSockets, connect, eventually, refusal, sendOk, type ClientSocket } from './helpers/sockets';

const app = createApp();
const logs = [jest.spyOn(logger, 'warn'), jest.spyOn(logger, 'info')];

let server: RunningServer | undefined;
afterEach(async () => {
  closeAllSockets();
  await server?.stop();
  server = undefined;
  for (const spy of logs) spy.mockClear();
});

function logged(msg: RegExp): Record<string, unknown>[] {
  return logs.flatMap((spy) =>
    spy.mock.calls.filter(([, text]) => typeof text === 'string' && msg.test(text)).map(([fields]) => fields as Record<string, unknown>),
  );
}

async function start(socketLimits: Partial<SocketLimits>): Promise<RunningServer> {
  server = await startServer({ port: 0, host: '127.0.0.1', socketLimits, shutdownTimeoutMs: 500 });
  return server;
}

/** An Engine.IO polling handshake, the first request of any Socket.IO client: no token needed yet. */
function pollingHandshake(port: number) {
  return get(port, `/socket.io/?EIO=4&transport=polling&t=${Date.now()}`);
}

describe('sockets per user (SOCKETS_PER_USER)', () => {
  it('when one account opens more sockets than allowed, then connect_error TOO_MANY_CONNECTIONS; other users and its open sockets are unaffected', async () => {
    const { url } = await start({ perUser: 3 });
    const hoarder = await loginAs(app);
    const held = await Promise.all([1, 2, 3].map(() => connect(url, { token: hoarder.accessToken })));
    const refused = await refusal(url, { token: hoarder.accessToken });
    expect(refused.message).toBe('TOO_MANY_CONNECTIONS');
    expect(refused.data).toEqual({ code: 'TOO_MANY_CONNECTIONS', message: expect.stringContaining('3') });
    expect(logged(/SOCKETS_PER_USER/)).toEqual([expect.objectContaining({ userId: hoarder.user.id, socketId: expect.any(String), limit: 3 })]);

    const other = await connect(url, { token: (await loginAs(app)).accessToken });
    expect((await sendOk(other, { text: 'still here' })).text).toBe('still here');
    expect((await sendOk(held[0] as ClientSocket, { text: 'me too' })).text).toBe('me too');

    held[1]?.disconnect();
    await eventually(
      async () => {
        const again = await connect(url, { token: hoarder.accessToken }).catch(() => undefined);
        return again?.connected === true;
      },
      3000,
      'a freed slot being usable',
    );
  });
});

describe('transport sessions per address (SOCKETS_PER_IP) and unauthenticated sessions (SOCKET_AUTH_TIMEOUT_MS)', () => {
  it('when one address opens sessions past the limit, then HTTP 429 at the transport handshake (polling and WebSocket); another address still connects', async () => {
    const { port, url } = await start({ perIp: 3, authTimeoutMs: 5000 });
    for (let i = 0; i < 3; i += 1) expect((await pollingHandshake(port)).status).toBe(200);

    const refused = await pollingHandshake(port);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const upgrade = await rawConnect(port);
    upgrade.socket.write(
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(await upgrade.closed(2000)).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(logged(/SOCKETS_PER_IP/)[0]).toMatchObject({ remoteAddress: '127.0.0.1', limit: 3 });

    // 127.0.0.2 is loopback too, but another client address.
    const { accessToken } = await loginAs(app);
    // engine.io-client hands `localAddress` to the WebSocket in Node; its option types leave it out.
    const options = Object.assign(
      { auth: { token: accessToken }, transports: ['websocket'], reconnection: false, forceNew: true },
      { localAddress: '127.0.0.2' },
    );
    const elsewhere = ioClient(url, options);
    try {
      await new Promise<void>((resolve, reject) => {
        elsewhere.once('connect', resolve);
        elsewhere.once('connect_error', reject);
      });
      const reply = await elsewhere.timeout(2000).emitWithAck('room:join', { room: 'global' });
      expect(reply).toEqual({ ok: true, room: 'global' });
    } finally {
      elsewhere.disconnect();
    }
  });

  it('when transport sessions never authenticate, then each is closed after the timeout, so they cannot pile up', async () => {
    const { port } = await start({ perIp: 2, authTimeoutMs: 300 });
    const first = await pollingHandshake(port);
    const sid = (JSON.parse(first.body.slice(1)) as { sid: string }).sid;
    expect((await pollingHandshake(port)).status).toBe(200);
    expect((await pollingHandshake(port)).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 700));
    const poll = await get(port, `/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(poll.status).toBe(400);
    expect(JSON.parse(poll.body)).toMatchObject({ message: 'Session ID unknown' });
    expect(logged(/not authenticated in time/)[0]).toMatchObject({ transportId: sid, remoteAddress: '127.0.0.1' });
    // Their slots are free again.
    expect((await pollingHandshake(port)).status).toBe(200);
  });

  it('when a client fails authentication, then its transport session is closed after the timeout too', async () => {
    const { port } = await start({ authTimeoutMs: 300 });
    const session = await rawEngineSession(port);
    const startedAt = Date.now();
    expect(await session.connectWith({ token: 'not-a-token' })).toMatch(/^44\{"message":"INVALID_TOKEN"/);
    await session.closed(3000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
  });
});

describe('per-socket event budgets (SOCKET_EVENTS_PER_SECOND) and joined rooms (SOCKET_MAX_ROOMS)', () => {
  it('when a socket floods room:join and room:leave, then the surplus acks RATE_LIMITED while another socket is served; the budget comes back', async () => {
    const { url } = await start({ eventsPerSecond: 10 });
    const flooder = await connect(url, { token: (await loginAs(app)).accessToken });
    const neighbour = await connect(url, { token: (await loginAs(app)).accessToken });
    const joins = await Promise.all(Array.from({ length: 40 }, () => flooder.timeout(5000).emitWithAck('room:join', { room: 'global' })));
    expect(joins.filter((r) => r.ok)).toHaveLength(10);
    expect(joins.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(30).fill('RATE_LIMITED'));
    const leaves = await Promise.all(Array.from({ length: 15 }, () => flooder.timeout(5000).emitWithAck('room:leave', { room: 'car:1' })));
    expect(leaves.filter((r) => !r.ok).length).toBe(5);
    expect(logged(/over its budget/)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ socketId: flooder.id, event: 'room:join' }),
        expect.objectContaining({ event: 'room:leave' }),
      ]),
    );

    expect(await neighbour.timeout(2000).emitWithAck('room:join', { room: 'global' })).toEqual({ ok: true, room: 'global' });
    expect((await sendOk(flooder, { text: 'messages have their own budget' })).text).toBe('messages have their own budget');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await flooder.timeout(2000).emitWithAck('room:join', { room: 'global' })).toEqual({ ok: true, room: 'global' });
  });

  it('when a socket is in its maximum of rooms, then room:join acks FORBIDDEN before the car is even looked up', async () => {
    const { url } = await start({ maxRooms: 2 });
    const [a, b, c] = await Promise.all([createCar(), createCar(), createCar()]);
    const socket = await connect(url, { token: (await loginAs(app)).accessToken });
    for (const car of [a, b]) expect(await socket.timeout(2000).emitWithAck('room:join', { room: `car:${car?.id}` })).toMatchObject({ ok: true });

    const full = await socket.timeout(2000).emitWithAck('room:join', { room: `car:${c?.id}` });
    expect(full).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('2') } });
    // A car that does not exist would be NOT_FOUND after a look-up: FORBIDDEN shows none was made.
    const missing = await socket.timeout(2000).emitWithAck('room:join', { room: 'car:999999999' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await socket.timeout(2000).emitWithAck('room:join', { room: 'global' })).toEqual({ ok: true, room: 'global' });

    await socket.timeout(2000).emitWithAck('room:leave', { room: `car:${a?.id}` });
    expect(await socket.timeout(2000).emitWithAck('room:join', { room: `car:${c?.id}` })).toMatchObject({ ok: true });
  });
});

describe('slow readers (SOCKET_MAX_BUFFERED_BYTES)', () => {
  const chunk = (n: number): ChatMessage => ({
    id: n,
    seq: n,
    editedAt: null,
    text: 'x'.repeat(256 * 1024),
    room: 'global',
    UserId: null,
    User: null,
    clientId: null,
    createdAt: new Date().toISOString(),
  });

  it('when a client stops reading, then past 1 MB of unread output it is disconnected; a reading client given a bigger burst is not', async () => {
    const { port, url, io } = await start({});
    const slow = await rawSocketIo(port, (await loginAs(app)).accessToken);
    const reader = await connect(url, { token: (await loginAs(app)).accessToken });
    slow.stopReading();

    // A reader is sent 3 MB in one go: more than the bound for a moment, but it reads it.
    const received: number[] = [];
    reader.on('message:new', (m) => received.push(m.id));
    for (let n = 1; n <= 12; n += 1) io.to(reader.id ?? '').emit('message:new', chunk(n));

    // The slow reader is sent up to 40 × 256 kB, a little at a time, while nobody reads it.
    for (let n = 1; n <= 40 && io.of('/').sockets.has(slow.sid); n += 1) {
      io.to(slow.sid).emit('message:new', chunk(n));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(() => !io.of('/').sockets.has(slow.sid), 5000, 'the slow reader being disconnected');
    expect(logged(/slow reader/)).toEqual([expect.objectContaining({ socketId: slow.sid, limit: 1_000_000, unreadBytes: expect.any(Number) })]);

    await eventually(() => received.length === 12, 5000, 'the reader getting its burst');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reader.connected).toBe(true);
    expect((await sendOk(reader, { text: 'answered in normal time' })).text).toBe('answered in normal time');
    slow.socket.resume();
    await slow.closed(5000);
  });
});
