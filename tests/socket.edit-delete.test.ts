import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { Message } from '../src/models';
import type { Ack, ChatMessage, DeleteMessagePayload, EditMessagePayload, RoomName } from '../src/socket/events';
import { createCar, loginAs, type LoggedIn } from './helpers/factories';
import { expectInvalid, expectProblem } from './helpers/problem';
import { connect, nextEvent, record, sendOk, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

interface Member {
  login: LoggedIn;
  socket: ClientSocket;
}

async function member(role: 'user' | 'admin' | 'superadmin' = 'user'): Promise<Member> {
  const login = await loginAs(app, { role });
  return { login, socket: await connect(server().url, { token: login.accessToken }) };
}

function edit(socket: ClientSocket, payload: unknown): Promise<Ack<{ message: ChatMessage }>> {
  return socket.timeout(5000).emitWithAck('message:edit', payload as EditMessagePayload);
}

function remove(socket: ClientSocket, payload: unknown): Promise<Ack<object>> {
  return socket.timeout(5000).emitWithAck('message:delete', payload as DeleteMessagePayload);
}

/** REST against the running server, so its broadcasts reach the sockets. */
function rest(token: string) {
  return {
    patch: (url: string) => request(server().url).patch(url).set('access_token', token),
    delete: (url: string) => request(server().url).delete(url).set('access_token', token),
    get: (url: string) => request(server().url).get(url).set('access_token', token),
  };
}

describe('message:edit', () => {
  it('when the author edits, then the ack and the room get the new text with editedAt and a larger seq, and the row holds it', async () => {
    const [alice, bob] = [await member(), await member()];
    const original = await sendOk(alice.socket, { text: `typo ${randomUUID()}` });
    const updated = nextEvent(bob.socket, 'message:updated', (m) => m.id === original.id);
    const reply = await edit(alice.socket, { id: original.id, text: '  fixed  ' });
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    expect(reply.message).toEqual({ ...original, text: 'fixed', seq: expect.any(Number), editedAt: expect.any(String) });
    expect(reply.message.seq).toBeGreaterThan(original.seq);
    expect(await updated).toEqual(reply.message);
    const row = await Message.findByPk(original.id);
    expect({ text: row?.text, seq: row?.seq, editedAt: row?.editedAt?.toISOString() }).toEqual({
      text: 'fixed',
      seq: reply.message.seq,
      editedAt: reply.message.editedAt,
    });
  });

  it('when someone else edits, or the message does not exist, then NOT_FOUND and nothing changes', async () => {
    const [alice, bob] = [await member(), await member('admin')];
    const original = await sendOk(alice.socket, { text: 'mine' });
    expect(await edit(bob.socket, { id: original.id, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await edit(alice.socket, { id: 2147483647, text: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await Message.findByPk(original.id))?.text).toBe('mine');
  });

  it.each([
    ['empty text', { text: '  ' }],
    ['text with a NUL', { text: 'a\u0000b' }],
    ['text over 2,000 characters', { text: 'x'.repeat(2001) }],
    ['no id', { text: 'x', id: undefined }],
    ['an unknown field', { text: 'x', room: 'global' }],
  ])('when given %s, then VALIDATION_ERROR', async (_label, fields) => {
    const alice = await member();
    const original = await sendOk(alice.socket, { text: 'keep' });
    const reply = await edit(alice.socket, { id: original.id, ...fields });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect((await Message.findByPk(original.id))?.text).toBe('keep');
  });
});

describe('message:delete', () => {
  it('when the author deletes, then the room gets message:deleted, history leaves it out and a tombstone stays', async () => {
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    const [alice, bob] = [await member(), await member()];
    for (const m of [alice, bob]) await m.socket.timeout(5000).emitWithAck('room:join', { room });
    const doomed = await sendOk(alice.socket, { text: 'regret', room });
    const kept = await sendOk(alice.socket, { text: 'fine', room });
    const deleted = nextEvent(bob.socket, 'message:deleted', (d) => d.id === doomed.id);
    expect(await remove(alice.socket, { id: doomed.id })).toEqual({ ok: true });
    const event = await deleted;
    expect(event).toEqual({ id: doomed.id, room, seq: expect.any(Number) });
    expect(event.seq).toBeGreaterThan(kept.seq);
    const history = await rest(bob.login.accessToken).get(`/socket/message?room=${room}`).expect(200);
    expect(history.body.map((m: ChatMessage) => m.id)).toEqual([kept.id]);
    const row = await Message.findByPk(doomed.id);
    expect({ text: row?.text, deleted: row?.deletedAt instanceof Date, seq: row?.seq }).toEqual({ text: '', deleted: true, seq: event.seq });
    expect(await remove(alice.socket, { id: doomed.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await edit(alice.socket, { id: doomed.id, text: 'back' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it("when a plain user deletes someone else's message, then FORBIDDEN and it stays", async () => {
    const [alice, bob] = [await member(), await member()];
    const message = await sendOk(alice.socket, { text: 'stays' });
    expect(await remove(bob.socket, { id: message.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await Message.findByPk(message.id))?.deletedAt).toBeNull();
  });

  it.each(['admin', 'superadmin'] as const)("when a %s deletes someone else's message, then it is deleted and broadcast", async (role) => {
    const [alice, moderator] = [await member(), await member(role)];
    const message = await sendOk(alice.socket, { text: `spam ${randomUUID()}` });
    const seen = nextEvent(alice.socket, 'message:deleted', (d) => d.id === message.id);
    expect(await remove(moderator.socket, { id: message.id })).toEqual({ ok: true });
    expect(await seen).toMatchObject({ id: message.id, room: 'global' });
    expect((await Message.findByPk(message.id))?.deletedAt).toBeInstanceOf(Date);
  });
});

describe('PATCH and DELETE /socket/message/:id', () => {
  it('when the author patches, then 200 with the message and sockets get message:updated', async () => {
    const [alice, bob] = [await member(), await member()];
    const original = await sendOk(alice.socket, { text: 'rest typo' });
    const updated = nextEvent(bob.socket, 'message:updated', (m) => m.id === original.id);
    const res = await rest(alice.login.accessToken).patch(`/socket/message/${original.id}`).send({ text: ' rest fixed ' }).expect(200);
    expect(res.body).toEqual({ ...original, text: 'rest fixed', seq: expect.any(Number), editedAt: expect.any(String) });
    // The author's own sockets hear REST changes too.
    expect(await updated).toEqual(res.body);
  });

  it('when someone else patches, then 404; a NUL is 400; no token is 401', async () => {
    const [alice, bob] = [await member(), await member('superadmin')];
    const original = await sendOk(alice.socket, { text: 'only mine' });
    expectProblem(await rest(bob.login.accessToken).patch(`/socket/message/${original.id}`).send({ text: 'x' }), 404, 'NOT_FOUND');
    expectInvalid(await rest(alice.login.accessToken).patch(`/socket/message/${original.id}`).send({ text: 'a\u0000b' }), 'body', 'text');
    expectInvalid(await rest(alice.login.accessToken).patch(`/socket/message/${original.id}`).send({ text: 'x', seq: 1 }), 'body', 'seq');
    expectProblem(await request(server().url).patch(`/socket/message/${original.id}`).send({ text: 'x' }), 401, 'UNAUTHENTICATED');
    expectProblem(await request(server().url).delete(`/socket/message/${original.id}`), 401, 'UNAUTHENTICATED');
    expect((await Message.findByPk(original.id))?.text).toBe('only mine');
  });

  it("when a plain user deletes someone else's message, then 404; the author or an admin, then 200 and message:deleted", async () => {
    const [alice, bob, admin] = [await member(), await member(), await member('admin')];
    const first = await sendOk(alice.socket, { text: 'one' });
    const second = await sendOk(alice.socket, { text: 'two' });
    expectProblem(await rest(bob.login.accessToken).delete(`/socket/message/${first.id}`), 404, 'NOT_FOUND');
    const seen = record(bob.socket, 'message:deleted');
    const firstGone = nextEvent(bob.socket, 'message:deleted', (d) => d.id === first.id);
    const res = await rest(alice.login.accessToken).delete(`/socket/message/${first.id}`).expect(200);
    expect(res.body).toEqual({ message: 'success to delete' });
    await firstGone;
    const secondGone = nextEvent(bob.socket, 'message:deleted', (d) => d.id === second.id);
    await rest(admin.login.accessToken).delete(`/socket/message/${second.id}`).expect(200);
    await secondGone;
    expect(seen.map((d) => d.id)).toEqual([first.id, second.id]);
    expectProblem(await rest(alice.login.accessToken).delete(`/socket/message/${first.id}`), 404, 'NOT_FOUND');
  });
});

describe('one text rule for REST and Socket.IO', () => {
  it.each([
    ['a NUL', 'a\u0000b'],
    ['a bell', 'ding\u0007'],
    ['an escape', '\u001b[31mred'],
  ])('when message:send text holds %s, then VALIDATION_ERROR as REST answers 400, and nothing is stored', async (_label, text) => {
    const alice = await member();
    const reply = await alice.socket.timeout(5000).emitWithAck('message:send', { text });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: expect.any(String),
        errors: [{ path: 'text', message: 'text must not contain control characters' }],
      },
    });
    expectInvalid(await rest(alice.login.accessToken).patch('/socket/message/1').send({ text }), 'body', 'text');
    expect(await Message.count({ where: { UserId: alice.login.user.id } })).toBe(0);
  });

  it('when text has tabs and line breaks, then they are kept', async () => {
    const alice = await member();
    const message = await sendOk(alice.socket, { text: 'line one\n\tline two\r\n' });
    expect(message.text).toBe('line one\n\tline two');
  });

  it('when a clientId holds a NUL, then VALIDATION_ERROR, not INTERNAL', async () => {
    const alice = await member();
    const reply = await alice.socket.timeout(5000).emitWithAck('message:send', { text: 'hi', clientId: 'a\u0000' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });
});
