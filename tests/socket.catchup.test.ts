import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { createApp } from '../src/app';
import { Message } from '../src/models';
import { CATCHUP_LIMIT } from '../src/services/change-feed.service';
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
