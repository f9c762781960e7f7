import request from 'supertest';
import { QueryTypes } from 'sequelize';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { Favorite, Message } from '../src/models';
import type { ChatMessage, RoomName } from '../src/socket/events';
import { createCar, loginAs, type LoggedIn } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { connect, sendOk, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

interface RoomSummary {
  room: string;
  unread: number;
  lastMessage: ChatMessage | null;
}

async function rooms(login: LoggedIn): Promise<RoomSummary[]> {
  return (await request(app).get('/socket/rooms').set('access_token', login.accessToken).expect(200)).body as RoomSummary[];
}

function read(socket: ClientSocket, room: string, id: number) {
  return socket.timeout(5000).emitWithAck('room:read', { room: room as RoomName, id });
}

async function storedMarker(userId: number, room: string): Promise<number | undefined> {
  const [row] = await getSequelize().query<{ lastReadId: number }>(`SELECT "lastReadId" FROM "RoomReads" WHERE "UserId" = $1 AND "room" = $2`, {
    bind: [userId, room],
    type: QueryTypes.SELECT,
  });
  return row?.lastReadId;
}

async function carRoomFor(...users: LoggedIn[]): Promise<RoomName> {
  const car = await createCar();
  for (const u of users) await Favorite.create({ UserId: u.user.id, CarId: car.id });
  return `car:${car.id}`;
}

describe('read markers and GET /socket/rooms', () => {
  it("when messages arrive and are read, then unread counts others' messages after the marker, and every device agrees", async () => {
    const [me, other] = [await loginAs(app), await loginAs(app)];
    const room = await carRoomFor(me, other);
    const [phone, laptop] = [await connect(server().url, { token: me.accessToken }), await connect(server().url, { token: me.accessToken })];
    const writer = await connect(server().url, { token: other.accessToken });
    await writer.timeout(5000).emitWithAck('room:join', { room });
    await phone.timeout(5000).emitWithAck('room:join', { room });
    const theirs = [await sendOk(writer, { text: 'a', room }), await sendOk(writer, { text: 'b', room }), await sendOk(writer, { text: 'c', room })];
    const mine = await sendOk(phone, { text: 'mine', room });

    const before = (await rooms(me)).find((r) => r.room === room);
    expect(before).toEqual({ room, unread: 3, lastMessage: mine });

    expect(await read(phone, room, theirs[1].id)).toEqual({ ok: true, room, unread: 1 });
    expect(await storedMarker(me.user.id, room)).toBe(theirs[1].id);
    // A marker never moves back.
    expect(await read(laptop, room, theirs[0].id)).toEqual({ ok: true, room, unread: 1 });
    expect(await storedMarker(me.user.id, room)).toBe(theirs[1].id);
    expect((await rooms(me)).find((r) => r.room === room)?.unread).toBe(1);

    // A deleted message is not unread; a made-up id past the newest does not hide what comes next.
    await writer.timeout(5000).emitWithAck('message:delete', { id: theirs[2].id });
    expect((await rooms(me)).find((r) => r.room === room)).toEqual({ room, unread: 0, lastMessage: mine });
    expect(await read(laptop, room, 2147483000)).toEqual({ ok: true, room, unread: 0 });
    const next = await sendOk(writer, { text: 'd', room });
    expect((await rooms(me)).find((r) => r.room === room)).toEqual({ room, unread: 1, lastMessage: next });
  });

  it('when I have favorites and dms, then my rooms are global, each favorite car room and each dm room, and no others', async () => {
    const [me, friend, stranger] = [await loginAs(app), await loginAs(app), await loginAs(app)];
    const carRoom = await carRoomFor(me);
    const empty = await carRoomFor(me);
    await carRoomFor(stranger);
    const friendSocket = await connect(server().url, { token: friend.accessToken });
    const [x, y] = [me.user.id, friend.user.id].sort((p, q) => p - q);
    const dm = `dm:${x}-${y}` as RoomName;
    const hello = await sendOk(friendSocket, { text: 'hi!', room: dm });
    const list = await rooms(me);
    expect(list.map((r) => r.room)).toEqual(['global', ...[carRoom, empty].sort((p, q) => Number(p.slice(4)) - Number(q.slice(4))), dm]);
    expect(list.find((r) => r.room === dm)).toEqual({ room: dm, unread: 1, lastMessage: hello });
    expect(list.find((r) => r.room === empty)).toEqual({ room: empty, unread: 0, lastMessage: null });
    expect((await rooms(stranger)).map((r) => r.room)).not.toContain(dm);
    expect((await rooms(friend)).find((r) => r.room === dm)).toEqual({ room: dm, unread: 0, lastMessage: hello });
  });

  it('when over 999 messages are unread, then the count stops at 999', async () => {
    const [me, other] = [await loginAs(app), await loginAs(app)];
    const room = await carRoomFor(me);
    await Message.bulkCreate(Array.from({ length: 1005 }, (_, i) => ({ text: `m${i}`, room, UserId: other.user.id, clientId: null })));
    expect((await rooms(me)).find((r) => r.room === room)?.unread).toBe(999);
  });

  it('when room:read names a room I may not read or a bad id, then NOT_FOUND or VALIDATION_ERROR; no token is 401', async () => {
    const [me, a, b] = [await loginAs(app), await loginAs(app), await loginAs(app)];
    const socket = await connect(server().url, { token: me.accessToken });
    const [x, y] = [a.user.id, b.user.id].sort((p, q) => p - q);
    expect(await read(socket, `dm:${x}-${y}`, 1)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await read(socket, 'car:2147483000', 1)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await read(socket, 'global', 0)).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await read(socket, `dm:${y}-${x}`, 1)).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await storedMarker(me.user.id, `dm:${x}-${y}`)).toBeUndefined();
    expectProblem(await request(app).get('/socket/rooms'), 401, 'UNAUTHENTICATED');
    const extra = await request(app).get('/socket/rooms?x=1').set('access_token', me.accessToken);
    expectProblem(extra, 400, 'VALIDATION_ERROR');
  });
});
