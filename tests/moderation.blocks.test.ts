import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { Block, Message } from '../src/models';
import { isBlockedEitherWay } from '../src/services/moderation/block.cache';
import type { CatchupDone, ChatMessage, RoomName } from '../src/socket/events';
import { createCar } from './helpers/factories';
import { caller, type Caller } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';
import { connect, nextEvent, record, sendOk, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

async function online(who: Caller, offset?: number): Promise<ClientSocket> {
  return connect(server().url, { token: who.accessToken, offset });
}

function say(socket: ClientSocket, text = `hello ${randomUUID()}`, room: RoomName = 'global'): Promise<ChatMessage> {
  return sendOk(socket, { text, room });
}

/** Resolves once `socket` received the message with this text, so anything sent before it to the same socket has arrived too. */
function fenceAt(socket: ClientSocket, text: string): Promise<ChatMessage> {
  return nextEvent(socket, 'message:new', (m) => m.text === text);
}

async function blocks(blocker: Caller, blocked: Caller): Promise<void> {
  const res = await blocker.api.post(`/users/${blocked.user.id}/block`);
  expect(res.status).toBe(201);
}

describe('blocks over HTTP', () => {
  it.each([
    ['get', '/user/blocks'],
    ['post', '/users/1/block'],
    ['delete', '/users/1/block'],
  ] as const)('when %s %s has no token, then 401', async (method, url) => {
    expectProblem(await request(app)[method](url), 401, 'UNAUTHENTICATED');
  });

  it('when I block a user, then 201, the row is stored and GET /user/blocks lists their public profile', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const res = await me.api.post(`/users/${them.user.id}/block`);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ message: 'success to block' });
    expect(await Block.count({ where: { UserId: me.user.id, BlockedUserId: them.user.id } })).toBe(1);

    const profile = (await me.api.get(`/users/${them.user.id}`).expect(200)).body;
    const list = await me.api.get('/user/blocks').expect(200);
    expect(list.body).toEqual([profile]);
    expect(list.body[0]).not.toHaveProperty('email');
  });

  it('when I block several users, then the list holds them all, most recent first, and only mine', async () => {
    const [me, first, second, other] = [await caller(app), await caller(app), await caller(app), await caller(app)];
    await blocks(me, first);
    await blocks(me, second);
    await blocks(other, me);
    const list = (await me.api.get('/user/blocks').expect(200)).body as { id: number }[];
    expect(list.map((u) => u.id)).toEqual([second.user.id, first.user.id]);
  });

  it('when the blocked user looks, then nothing tells them: their block list is empty and their sends succeed', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await blocks(me, them);
    expect((await them.api.get('/user/blocks').expect(200)).body).toEqual([]);
    const socket = await online(them);
    await expect(say(socket)).resolves.toMatchObject({ UserId: them.user.id });
  });

  it('when I block the same user again, then 409 CONFLICT and still one row', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await blocks(me, them);
    expectProblem(await me.api.post(`/users/${them.user.id}/block`), 409, 'CONFLICT');
    expect(await Block.count({ where: { UserId: me.user.id } })).toBe(1);
  });

  it('when I block myself, then 400 and nothing is stored', async () => {
    const me = await caller(app);
    expectInvalid(await me.api.post(`/users/${me.user.id}/block`), 'params', 'id');
    expect(await Block.count({ where: { UserId: me.user.id } })).toBe(0);
  });

  it('when the user does not exist, then 404; a malformed id is 400', async () => {
    const me = await caller(app);
    expectProblem(await me.api.post('/users/2147483647/block'), 404, 'NOT_FOUND');
    expectInvalid(await me.api.post('/users/abc/block'), 'params', 'id');
    expectInvalid(await me.api.post('/users/1/block').send({ extra: true }), 'body', 'extra');
  });

  it('when I unblock, then 200 and the row is gone; unblocking again is 404', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await blocks(me, them);
    const res = await me.api.delete(`/users/${them.user.id}/block`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'success to unblock' });
    expect(await Block.count({ where: { UserId: me.user.id } })).toBe(0);
    expect((await me.api.get('/user/blocks').expect(200)).body).toEqual([]);
    expectProblem(await me.api.delete(`/users/${them.user.id}/block`), 404, 'NOT_FOUND');
  });

  it('when the blocked user deletes their account, then the block goes with it', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await blocks(me, them);
    await them.api.delete(`/user/${them.user.id}`).expect(200);
    expect((await me.api.get('/user/blocks').expect(200)).body).toEqual([]);
  });
});

describe('isBlockedEitherWay (for dm: rooms)', () => {
  it('when one user blocks another, then the pair is blocked both ways, others are not, and an unblock clears it at once', async () => {
    const [me, them, other] = [await caller(app), await caller(app), await caller(app)];
    expect(await isBlockedEitherWay(me.user.id, them.user.id)).toBe(false); // now cached
    await blocks(me, them);
    expect(await isBlockedEitherWay(me.user.id, them.user.id)).toBe(true);
    expect(await isBlockedEitherWay(them.user.id, me.user.id)).toBe(true);
    expect(await isBlockedEitherWay(them.user.id, other.user.id)).toBe(false);
    await me.api.delete(`/users/${them.user.id}/block`).expect(200);
    expect(await isBlockedEitherWay(them.user.id, me.user.id)).toBe(false);
  });
});

describe('blocks hold live', () => {
  it('when someone I block sends, then none of my sockets gets it while others do, and they still get mine', async () => {
    const [me, them, bystander] = [await caller(app), await caller(app), await caller(app)];
    const [tab1, tab2, theirs, watcher] = [await online(me), await online(me), await online(them), await online(bystander)];
    await blocks(me, them);
    const onTab1 = record(tab1, 'message:new');
    const onTab2 = record(tab2, 'message:new');

    const hidden = `from the blocked ${randomUUID()}`;
    const watcherGot = fenceAt(watcher, hidden);
    await say(theirs, hidden);
    await watcherGot;
    // The bystander's message reaches my tabs after the blocked one would have.
    const fence = `fence ${randomUUID()}`;
    const fenced = Promise.all([fenceAt(tab1, fence), fenceAt(tab2, fence)]);
    await say(watcher, fence);
    await fenced;
    expect([...onTab1, ...onTab2].map((m) => m.text)).not.toContain(hidden);

    const mine = `from the blocker ${randomUUID()}`;
    const theyGot = fenceAt(theirs, mine);
    await say(tab1, mine);
    await expect(theyGot).resolves.toMatchObject({ UserId: me.user.id });
  });

  it('when I block someone while connected, then it holds at once in a car room too, and unblocking restores delivery', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    const [mine, theirs] = [await online(me), await online(them)];
    await mine.timeout(5000).emitWithAck('room:join', { room });
    await theirs.timeout(5000).emitWithAck('room:join', { room });
    const before = `before the block ${randomUUID()}`;
    const gotBefore = fenceAt(mine, before);
    await say(theirs, before, room);
    await gotBefore;

    await blocks(me, them);
    const seen = record(mine, 'message:new');
    const hidden = `during the block ${randomUUID()}`;
    await say(theirs, hidden, room);

    await me.api.delete(`/users/${them.user.id}/block`).expect(200);
    const after = `after the unblock ${randomUUID()}`;
    const gotAfter = fenceAt(mine, after);
    await say(theirs, after, room);
    await gotAfter;
    expect(seen.map((m) => m.text)).toEqual([after]);
  });
});

describe('blocks hold in history and catch-up', () => {
  async function scene(): Promise<{ me: Caller; them: Caller; other: Caller; theirs: ClientSocket; others: ClientSocket }> {
    const [me, them, other] = [await caller(app), await caller(app), await caller(app)];
    return { me, them, other, theirs: await online(them), others: await online(other) };
  }

  it('when I read a room history, then messages of users I block are left out, and back after unblocking', async () => {
    const { me, them, other, theirs, others } = await scene();
    const room = `car:${(await createCar()).id}` as RoomName;
    await theirs.timeout(5000).emitWithAck('room:join', { room });
    await others.timeout(5000).emitWithAck('room:join', { room });
    const sent = [await say(theirs, 'one', room), await say(others, 'two', room), await say(theirs, 'three', room)];
    // A message whose author deleted their account (UserId null) stays visible.
    const orphan = await Message.create({ text: 'orphan', room, UserId: null, clientId: null });
    await blocks(me, them);

    const url = `/socket/message?room=${room}`;
    const mine = (await me.api.get(url).expect(200)).body as ChatMessage[];
    expect(mine.map((m) => m.id)).toEqual([sent[1].id, orphan.id]);
    const theirView = (await other.api.get(url).expect(200)).body as ChatMessage[];
    expect(theirView.map((m) => m.id)).toEqual([...sent.map((m) => m.id), orphan.id]);

    await me.api.delete(`/users/${them.user.id}/block`).expect(200);
    expect(((await me.api.get(url).expect(200)).body as ChatMessage[]).map((m) => m.id)).toEqual(theirView.map((m) => m.id));
  });

  it('when I reconnect with an offset, then the catch-up leaves out the messages of users I block', async () => {
    const { me, them, theirs, others } = await scene();
    await blocks(me, them);
    const start = await say(others, `start ${randomUUID()}`);
    const missed = [
      await say(theirs, `blocked 1 ${randomUUID()}`),
      await say(others, `kept ${randomUUID()}`),
      await say(theirs, `blocked 2 ${randomUUID()}`),
    ];

    let received: ChatMessage[] = [];
    let finished: Promise<CatchupDone> | undefined;
    await connect(server().url, { token: me.accessToken, offset: start.id }, (socket) => {
      received = record(socket, 'message:new');
      finished = nextEvent(socket, 'catchup:done');
    });
    await (finished ?? Promise.reject(new Error('not listening')));
    const ids = received.map((m) => m.id);
    expect(ids).toContain(missed[1].id);
    expect(ids).not.toContain(missed[0].id);
    expect(ids).not.toContain(missed[2].id);
    expect(received.some((m) => m.UserId === them.user.id)).toBe(false);
  });
});
