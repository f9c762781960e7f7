import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { createApp } from '../src/app';
import { Message } from '../src/models';
import { CATCHUP_LIMIT } from '../src/services/chat/change-feed.service';
import type { CatchupDone, ChatMessage, RoomName } from '../src/socket/events';
import { createCar, loginAs, type LoggedIn } from './helpers/factories';
import { connect, sendOk, serverForThisFile, nextEvent, record, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

function sent(socket: ClientSocket, text: string, room: RoomName = 'global'): Promise<ChatMessage> {
  return sendOk(socket, { text, room });
}

async function twoUsers(): Promise<[LoggedIn, ClientSocket]> {
  const reader = await loginAs(app);
  const writer = await connect(server().url, { token: (await loginAs(app)).accessToken });
  return [reader, writer];
}

describe('catch-up on reconnect', () => {
  it('when a client reconnects with auth.offset, then it gets exactly the global messages it missed, in order', async () => {
    const [reader, writer] = await twoUsers();
    const first = await connect(server().url, { token: reader.accessToken });
    const seenBefore = await sent(writer, `before ${randomUUID()}`);
    first.disconnect();
    const missed = [
      await sent(writer, `missed 1 ${randomUUID()}`),
      await sent(writer, `missed 2 ${randomUUID()}`),
      await sent(writer, `missed 3 ${randomUUID()}`),
    ];

    let received: ChatMessage[] = [];
    let finished: Promise<CatchupDone> | undefined;
    await connect(server().url, { token: reader.accessToken, offset: seenBefore.id }, (socket) => {
      received = record(socket, 'message:new');
      finished = nextEvent(socket, 'catchup:done');
    });
    const done = await (finished ?? Promise.reject(new Error('not listening')));
    const replayed = received.filter((m) => m.id <= (done.lastId ?? 0));

    // Other test files share the database and may post to `global` meanwhile (those can also
    // arrive live): what arrived up to the replay's last id must be exactly what the database
    // holds after the offset, once each, with ours in order.
    const expected = await Message.findAll({
      where: { room: 'global', id: { [Op.gt]: seenBefore.id, [Op.lte]: done.lastId ?? 0 } },
      order: [['id', 'ASC']],
    });
    expect(replayed.map((m) => m.id).sort((a, b) => a - b)).toEqual(expected.map((m) => m.id));
    expect(replayed.filter((m) => missed.some((x) => x.id === m.id))).toEqual(missed);
    expect(done).toMatchObject({ rooms: ['global'], lastId: expect.any(Number), more: false });
    expect(replayed.every((m) => m.room === 'global')).toBe(true);
  });

  it('when a client rejoins a car room with an offset, then exactly the missed messages of that room are replayed', async () => {
    const [reader, writer] = await twoUsers();
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    await writer.timeout(5000).emitWithAck('room:join', { room });
    const seen = await sent(writer, 'seen', room);
    const missed = [await sent(writer, 'missed a', room), await sent(writer, 'missed b', room)];
    await sent(writer, `elsewhere ${randomUUID()}`);

    const socket = await connect(server().url, { token: reader.accessToken });
    const replayed = record(socket, 'message:new');
    const done = nextEvent(socket, 'catchup:done', (d) => d.rooms.includes(room));
    expect(await socket.timeout(5000).emitWithAck('room:join', { room, offset: seen.id })).toEqual({ ok: true, room });
    expect(await done).toEqual({ rooms: [room], count: 2, lastId: missed[1]?.id, more: false });
    expect(replayed).toEqual(missed);
  });

  it('when more messages were missed than the bound, then the oldest are replayed and `more` says to page on', async () => {
    const [reader, writer] = await twoUsers();
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    await Message.bulkCreate(
      Array.from({ length: CATCHUP_LIMIT + 1 }, (_, i) => ({ text: `bulk ${i}`, room, UserId: reader.user.id, clientId: null })),
    );
    writer.disconnect();
    const socket = await connect(server().url, { token: reader.accessToken });
    const replayed = record(socket, 'message:new');
    const done = nextEvent(socket, 'catchup:done', (d) => d.rooms.includes(room));
    await socket.timeout(5000).emitWithAck('room:join', { room, offset: 0 });
    expect(await done).toMatchObject({ count: CATCHUP_LIMIT, more: true });
    expect(replayed.map((m) => m.text)).toEqual(Array.from({ length: CATCHUP_LIMIT }, (_, i) => `bulk ${i}`));
  });
});

describe('the change feed', () => {
  /** Every change event, in arrival order, as [event, id, seq]. */
  function changes(socket: ClientSocket): [string, number, number][] {
    const seen: [string, number, number][] = [];
    socket.onAny((event: string, arg: { id?: number; seq?: number }) => {
      if (event.startsWith('message:')) seen.push([event, arg.id ?? 0, arg.seq ?? 0]);
    });
    return seen;
  }

  it('when a client rejoins after edits and deletes, then it gets updated, deleted and new in seq order, and the feed settles', async () => {
    const [reader, writer] = await twoUsers();
    const car = await createCar();
    const room = `car:${car.id}` as RoomName;
    await writer.timeout(5000).emitWithAck('room:join', { room });
    const [m1, m2, m3] = [await sent(writer, 'one', room), await sent(writer, 'two', room), await sent(writer, 'three', room)];
    expect([m1.seq, m2.seq, m3.seq]).toEqual([m1.id, m2.id, m3.id]);
    const offset = m3.seq;

    const edited = await writer.timeout(5000).emitWithAck('message:edit', { id: m1.id, text: 'one, edited' });
    await writer.timeout(5000).emitWithAck('message:delete', { id: m2.id });
    const m4 = await sent(writer, 'four', room);
    await writer.timeout(5000).emitWithAck('message:edit', { id: m4.id, text: 'four, edited' });
    const m5 = await sent(writer, 'five', room);
    await writer.timeout(5000).emitWithAck('message:delete', { id: m5.id });
    const stored = await Message.findAll({ where: { id: [m1.id, m2.id, m4.id, m5.id] }, order: [['seq', 'ASC']] });

    const socket = await connect(server().url, { token: reader.accessToken });
    const seen = changes(socket);
    const texts = record(socket, 'message:new');
    const updated = record(socket, 'message:updated');
    const done = nextEvent(socket, 'catchup:done', (d) => d.rooms.includes(room));
    await socket.timeout(5000).emitWithAck('room:join', { room, offset });
    const summary = await done;
    expect(seen).toEqual([
      ['message:updated', m1.id, stored[0]?.seq],
      ['message:deleted', m2.id, stored[1]?.seq],
      ['message:new', m4.id, stored[2]?.seq],
      ['message:deleted', m5.id, stored[3]?.seq],
    ]);
    expect(edited.ok && updated[0]).toEqual(edited.ok && edited.message);
    expect(texts.map((m) => [m.text, m.editedAt === null])).toEqual([['four, edited', false]]);
    expect(summary).toEqual({ rooms: [room], count: 4, lastId: stored[3]?.seq, more: false });

    // From the last seq replayed, there is nothing more.
    const again = nextEvent(socket, 'catchup:done', (d) => d.rooms.includes(room) && d !== summary);
    await socket.timeout(5000).emitWithAck('room:join', { room, offset: summary.lastId ?? 0 });
    expect(await again).toEqual({ rooms: [room], count: 0, lastId: null, more: false });
    expect(seen).toHaveLength(4);
  });

  it('when a client reconnects with auth.offset, then its dm rooms are caught up with global', async () => {
    const reader = await loginAs(app);
    const writerLogin = await loginAs(app);
    const writer = await connect(server().url, { token: writerLogin.accessToken });
    const [a, b] = [reader.user.id, writerLogin.user.id].sort((x, y) => x - y);
    const room = `dm:${a}-${b}` as RoomName;
    const first = await sent(writer, 'hello there', room);
    const second = await sent(writer, 'typo', room);
    const fix = await writer.timeout(5000).emitWithAck('message:edit', { id: second.id, text: 'fixed' });
    let news: ChatMessage[] = [];
    let finished: Promise<CatchupDone> | undefined;
    await connect(server().url, { token: reader.accessToken, offset: first.seq - 1 }, (socket) => {
      news = record(socket, 'message:new');
      finished = nextEvent(socket, 'catchup:done');
    });
    const done = await (finished ?? Promise.reject(new Error('not listening')));
    expect(done.rooms).toEqual(['global', room]);
    const dm = news.filter((m) => m.room === room);
    expect(dm.map((m) => m.text)).toEqual(['hello there', 'fixed']);
    expect(fix.ok && dm[1]).toEqual(fix.ok && fix.message);
  });
});
