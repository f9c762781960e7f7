import { randomUUID } from 'node:crypto';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { getSequelize } from '../src/db/sequelize';
import { Message } from '../src/models';
import type { Ack, ChatMessage, SendMessagePayload } from '../src/socket/events';
import { createCar, loginAs } from './helpers/factories';
import { connect, sendOk, serverForThisFile, nextEvent, record, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

async function user(): Promise<ClientSocket> {
  const login = await loginAs(app);
  return connect(server().url, { token: login.accessToken });
}

function send(socket: ClientSocket, payload: unknown): Promise<Ack<{ message: ChatMessage }>> {
  return socket.timeout(5000).emitWithAck('message:send', payload as SendMessagePayload);
}

function join(socket: ClientSocket, room: string) {
  return socket.timeout(5000).emitWithAck('room:join', { room: room as `car:${number}` });
}

/** Sends a marker from `from` and resolves once `to` has it: everything broadcast before has arrived too. */
async function fence(from: ClientSocket, to: ClientSocket, room = 'global'): Promise<ChatMessage> {
  const text = `fence ${randomUUID()}`;
  const arrived = nextEvent(to, 'message:new', (m) => m.text === text);
  await sendOk(from, { text, room: room as 'global' });
  return arrived;
}

describe('message:send', () => {
  it('when a message is sent, then it is committed before the ack and another client gets message:new', async () => {
    const [alice, bob] = [await user(), await user()];
    const text = `hello ${randomUUID()}`;
    const delivered = nextEvent(bob, 'message:new', (m) => m.text === text);
    const reply = await send(alice, { text: `  ${text}  ` });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const row = await Message.findByPk(reply.message.id);
    expect(row?.text).toBe(text);
    expect(reply.message).toEqual({
      id: row?.id,
      seq: row?.id,
      text,
      room: 'global',
      UserId: row?.UserId,
      User: { id: row?.UserId, username: expect.any(String), avatarUrl: null },
      clientId: null,
      createdAt: row?.createdAt.toISOString(),
      editedAt: null,
    });
    expect(await delivered).toEqual(reply.message);
  });

  it('when a user has two tabs, then the other tab gets message:new and the sending socket only the ack', async () => {
    const login = await loginAs(app);
    const tab1 = await connect(server().url, { token: login.accessToken });
    const tab2 = await connect(server().url, { token: login.accessToken });
    const onTab1 = record(tab1, 'message:new');
    const text = `tabs ${randomUUID()}`;
    const other = nextEvent(tab2, 'message:new', (m) => m.text === text);
    const message = await sendOk(tab1, { text });
    expect(await other).toEqual(message);
    await fence(tab2, tab1);
    expect(onTab1.map((m) => m.text)).not.toContain(text);
  });

  it('when the same clientId is sent again, then the same message is acked with one row and one broadcast', async () => {
    const [alice, bob] = [await user(), await user()];
    const clientId = randomUUID();
    const seen = record(bob, 'message:new');
    const first = await sendOk(alice, { text: 'once', clientId });
    const again = await sendOk(alice, { text: 'once', clientId });
    const [raceA, raceB] = await Promise.all([
      sendOk(alice, { text: 'race', clientId: `${clientId}-r` }),
      sendOk(alice, { text: 'race', clientId: `${clientId}-r` }),
    ]);
    expect(again).toEqual(first);
    expect(raceA).toEqual(raceB);
    await fence(alice, bob);
    expect(seen.filter((m) => m.clientId === clientId || m.clientId === `${clientId}-r`).map((m) => m.id)).toEqual([first.id, raceA.id]);
    expect(await Message.count({ where: { clientId } })).toBe(1);
    expect(await Message.count({ where: { clientId: `${clientId}-r` } })).toBe(1);
  });

  it.each([
    ['empty text', { text: '' }],
    ['whitespace-only text', { text: '   \n\t ' }],
    ['text over 2,000 characters', { text: 'é'.repeat(2001) }],
    ['a bad room name', { text: 'hi', room: 'user:1' }],
    ['a clientId over 64 characters', { text: 'hi', clientId: 'x'.repeat(65) }],
    ['an unknown field', { text: 'hi', UserId: 1 }],
    ['a string payload', 'hello'],
    ['no payload', undefined],
  ])('when given %s, then the ack is VALIDATION_ERROR and nothing is stored', async (_label, payload) => {
    const login = await loginAs(app);
    const socket = await connect(server().url, { token: login.accessToken });
    const reply = await send(socket, payload);
    expect(reply).toEqual({ ok: false, error: { code: 'VALIDATION_ERROR', message: expect.any(String), errors: expect.any(Array) } });
    expect(await Message.count({ where: { UserId: login.user.id } })).toBe(0);
  });

  it('when text is exactly 2,000 characters (emoji count as one), then it is accepted', async () => {
    const socket = await user();
    const message = await sendOk(socket, { text: '🚗'.repeat(2000) });
    expect([...message.text]).toHaveLength(2000);
  });

  it('when a client emits without an ack or with junk, then the server keeps serving', async () => {
    const socket = await user();
    socket.emit('message:send', { text: 'no ack here' } as SendMessagePayload, undefined as never);
    (socket.emit as (event: string, ...args: unknown[]) => void)('message:send');
    (socket.emit as (event: string, ...args: unknown[]) => void)('message:send', 42, 'not a function');
    (socket.emit as (event: string, ...args: unknown[]) => void)('room:join', null);
    const reply = await send(socket, { text: 'still alive' });
    expect(reply.ok).toBe(true);
  });

  it('when a user sends faster than the limit, then the ack is RATE_LIMITED and the extra message is not stored', async () => {
    const socket = await user();
    const tag = randomUUID();
    const replies = [];
    for (let i = 0; i <= config.CHAT_RATE_LIMIT; i += 1) replies.push(await send(socket, { text: `burst ${tag} ${i}` }));
    expect(replies.slice(0, config.CHAT_RATE_LIMIT).every((r) => r.ok)).toBe(true);
    expect(replies.at(-1)).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    const stored = await Message.count({ where: getSequelize().where(getSequelize().col('text'), 'LIKE', `burst ${tag} %`) });
    expect(stored).toBe(config.CHAT_RATE_LIMIT);
  });

  it('when the database is unavailable, then the ack is UNAVAILABLE and nothing is stored or broadcast', async () => {
    const [alice, bob] = [await user(), await user()];
    const seen = record(bob, 'message:new');
    const clientId = randomUUID();
    const manager = getSequelize().connectionManager;
    // Every connection of the pool is taken: the send waits DB_ACQUIRE_TIMEOUT_MS and gives up.
    const held = await Promise.all(Array.from({ length: config.DB_POOL_MAX }, () => manager.getConnection({ type: 'write' })));
    let reply: Ack<{ message: ChatMessage }>;
    try {
      reply = await send(alice, { text: 'into the void', clientId });
    } finally {
      for (const connection of held) manager.releaseConnection(connection);
    }
    expect(reply).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    await fence(alice, bob);
    expect(seen.map((m) => m.clientId)).not.toContain(clientId);
    expect(await Message.count({ where: { clientId } })).toBe(0);
  });
});

describe('rooms', () => {
  it('when a message goes to a car room, then only its members receive it', async () => {
    const car = await createCar();
    const room = `car:${car.id}`;
    const [member, outsider, author] = [await user(), await user(), await user()];
    expect(await join(member, room)).toEqual({ ok: true, room });
    expect(await join(author, room)).toEqual({ ok: true, room });
    const outsiderSaw = record(outsider, 'message:new');
    const text = `car talk ${randomUUID()}`;
    const delivered = nextEvent(member, 'message:new', (m) => m.text === text);
    const message = await sendOk(author, { text, room: room as `car:${number}` });
    expect(await delivered).toEqual(message);
    expect(message.room).toBe(room);
    await fence(author, outsider);
    expect(outsiderSaw.map((m) => m.text)).not.toContain(text);
  });

  it('when sending to a car room not joined, then FORBIDDEN; to a car that does not exist, then NOT_FOUND', async () => {
    const car = await createCar();
    const socket = await user();
    expect(await send(socket, { text: 'hi', room: `car:${car.id}` })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await send(socket, { text: 'hi', room: 'car:2147483000' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await join(socket, 'car:2147483000')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await Message.count({ where: { room: `car:${car.id}` } })).toBe(0);
  });

  it('when a socket leaves a room, then it can no longer send there', async () => {
    const car = await createCar();
    const room = `car:${car.id}`;
    const socket = await user();
    await join(socket, room);
    expect((await send(socket, { text: 'inside', room: room as `car:${number}` })).ok).toBe(true);
    expect(await socket.timeout(5000).emitWithAck('room:leave', { room: room as `car:${number}` })).toEqual({ ok: true, room });
    expect(await send(socket, { text: 'outside', room: room as `car:${number}` })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
