import request from 'supertest';
import { Op } from 'sequelize';
import { createApp } from '../src/app';
import { Log, Message } from '../src/models';
import { createCar, createUser, loginAs, unique } from './helpers/factories';
import { as, parseLink } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();
let api: ReturnType<typeof as>;

beforeAll(async () => {
  const { accessToken } = await loginAs(app);
  api = as(app, accessToken);
});

/** `count` messages of one user in `room`, written straight to the table, in id order. */
async function postMessages(room: string, count: number, userId: number | null): Promise<Message[]> {
  const rows = Array.from({ length: count }, (_, i) => ({ text: `message ${i}`, room, UserId: userId, clientId: null }));
  const created = await Message.bulkCreate(rows, { returning: true });
  return created.sort((a, b) => a.id - b.id);
}

async function carRoom(): Promise<string> {
  return `car:${(await createCar()).id}`;
}

const ids = (body: { id: number }[]) => body.map((m) => m.id);

describe('GET /socket/message and /socket/log without a token', () => {
  it.each(['/socket/message', '/socket/message?room=global', '/socket/log', '/socket/log?status=on'])(
    'when %s is requested without a token, then 401',
    async (url) => {
      expectProblem(await request(app).get(url), 401, 'UNAUTHENTICATED');
    },
  );
});

describe('GET /socket/message', () => {
  it('when a message is returned, then it has the contract shape with its author', async () => {
    const { user } = await createUser();
    const room = await carRoom();
    const message = await Message.create({ text: 'hello', room, UserId: user.id, clientId: 'c-1' });
    const res = await api.get(`/socket/message?room=${room}`).expect(200);
    expect(res.body).toEqual([
      {
        id: message.id,
        seq: message.id,
        text: 'hello',
        room,
        UserId: user.id,
        User: { id: user.id, username: user.username, avatarUrl: null },
        clientId: 'c-1',
        createdAt: message.createdAt.toISOString(),
        editedAt: null,
      },
    ]);
  });

  it('when its author has been deleted, then the message stays with UserId and User null', async () => {
    const { user } = await createUser();
    const room = await carRoom();
    const [message] = await postMessages(room, 1, user.id);
    await user.destroy();
    const res = await api.get(`/socket/message?room=${room}`).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ id: message.id, text: 'message 0', UserId: null, User: null })]);
  });

  it('when no room is given, then the newest 50 messages of global, oldest first', async () => {
    const { user } = await createUser();
    const mine = await postMessages('global', 55, user.id);
    const res = await api.get('/socket/message').expect(200);
    const got = ids(res.body);
    expect(got).toHaveLength(50);
    expect(res.body.every((m: { room: string }) => m.room === 'global')).toBe(true);
    expect([...got].sort((a, b) => a - b)).toEqual(got);
    // Newest: nothing of global between the first and last returned is left out, and mine (already stored) are included.
    const between = await Message.findAll({ where: { room: 'global', id: { [Op.between]: [got[0], got[49]] } }, order: [['id', 'ASC']] });
    expect(ids(between)).toEqual(got);
    expect(got[49]).toBeGreaterThanOrEqual(mine[54].id);
  });

  it('when a room is given, then only that room', async () => {
    const [roomA, roomB] = [await carRoom(), await carRoom()];
    const a = await postMessages(roomA, 3, null);
    await postMessages(roomB, 2, null);
    const res = await api.get(`/socket/message?room=${roomA}`).expect(200);
    expect(ids(res.body)).toEqual(ids(a));
  });

  it('when limit is given, then the newest that many, oldest first', async () => {
    const room = await carRoom();
    const all = await postMessages(room, 10, null);
    const res = await api.get(`/socket/message?room=${room}&limit=4`).expect(200);
    expect(ids(res.body)).toEqual(ids(all.slice(6)));
  });

  it('when before is given, then the newest messages older than that id, oldest first', async () => {
    const room = await carRoom();
    const all = await postMessages(room, 10, null);
    const res = await api.get(`/socket/message?room=${room}&before=${all[7].id}&limit=3`).expect(200);
    expect(ids(res.body)).toEqual(ids(all.slice(4, 7)));
    const start = await api.get(`/socket/message?room=${room}&before=${all[0].id}`).expect(200);
    expect(start.body).toEqual([]);
  });

  it('when after is given, then the oldest messages newer than that id, oldest first', async () => {
    const room = await carRoom();
    const all = await postMessages(room, 10, null);
    const res = await api.get(`/socket/message?room=${room}&after=${all[2].id}&limit=3`).expect(200);
    expect(ids(res.body)).toEqual(ids(all.slice(3, 6)));
    const end = await api.get(`/socket/message?room=${room}&after=${all[9].id}`).expect(200);
    expect(end.body).toEqual([]);
    const fromStart = await api.get(`/socket/message?room=${room}&after=0&limit=2`).expect(200);
    expect(ids(fromStart.body)).toEqual(ids(all.slice(0, 2)));
  });

  it('when limit is 200, then up to 200 are returned', async () => {
    const room = await carRoom();
    const all = await postMessages(room, 201, null);
    const res = await api.get(`/socket/message?room=${room}&limit=200`).expect(200);
    expect(ids(res.body)).toEqual(ids(all.slice(1)));
  });

  it('when the room is a car that does not exist, then 404', async () => {
    expectProblem(await api.get('/socket/message?room=car:2147483647'), 404, 'NOT_FOUND');
  });

  it.each([
    ['a limit over 200', 'limit=201', 'limit'],
    ['a zero limit', 'limit=0', 'limit'],
    ['a limit that is not a number', 'limit=all', 'limit'],
    ['a before that is not an id', 'before=abc', 'before'],
    ['an after that is not an id', 'after=-5', 'after'],
    ['both before and after', 'before=10&after=5', 'before'],
    ['an unknown room kind', 'room=lobby', 'room'],
    ['a car room with id 0', 'room=car:0', 'room'],
    ['a car room without an id', 'room=car:', 'room'],
    ['a car room whose id is over 32 bits', 'room=car:9999999999', 'room'],
    ['a room given in another case', 'room=GLOBAL', 'room'],
    ['an unknown parameter', 'offset=3', 'offset'],
  ])('when given %s, then 400 naming it', async (_label, query, field) => {
    const res = await api.get(`/socket/message?${query}`);
    expectInvalid(res, 'query', field);
  });
});

describe('GET /socket/log', () => {
  async function userWithStatus(status: 'on' | 'off', username?: string) {
    const { user } = await createUser(username ? { username } : {});
    const log = await Log.create({ UserId: user.id, status });
    return { user, log };
  }

  type Entry = { UserId: number; status: string; User: { username: string } };

  it('when users have presence rows, then one entry per user with status, time and user', async () => {
    const online = await userWithStatus('on');
    const offline = await userWithStatus('off');
    const res = await api.get(`/socket/log?q=${online.user.username}`).expect(200);
    expect(res.body).toEqual([
      {
        UserId: online.user.id,
        status: 'on',
        updatedAt: online.log.updatedAt.toISOString(),
        User: { id: online.user.id, username: online.user.username, avatarUrl: null },
      },
    ]);
    const other = await api.get(`/socket/log?q=${offline.user.username}`).expect(200);
    expect(other.body).toEqual([
      expect.objectContaining({ status: 'off', User: { id: offline.user.id, username: offline.user.username, avatarUrl: null } }),
    ]);
  });

  it.each(['on', 'off'] as const)('when status=%s, then only users with that status', async (status) => {
    const prefix = unique('st_');
    const wanted = await userWithStatus(status, `${prefix}a`);
    await userWithStatus(status === 'on' ? 'off' : 'on', `${prefix}b`);
    const res = await api.get(`/socket/log?status=${status}&q=${prefix}`).expect(200);
    expect(res.body.map((e: Entry) => [e.UserId, e.status])).toEqual([[wanted.user.id, status]]);
    expect(res.headers['x-total-count']).toBe('1');
  });

  it('when paged, then ordered by username ignoring case, with X-Total-Count and Link like /cars', async () => {
    const prefix = unique('pg_');
    const names = ['d', 'B', 'a', 'C', 'e'].map((s) => `${prefix}${s}`);
    for (const name of names) await userWithStatus('off', name);
    const sorted = [...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()));
    const page1 = await api.get(`/socket/log?q=${prefix.toUpperCase()}&limit=2`).expect(200);
    expect(page1.body.map((e: Entry) => e.User.username)).toEqual(sorted.slice(0, 2));
    expect(page1.headers['x-total-count']).toBe('5');
    const links = parseLink(page1.headers.link);
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next']);
    expect(links.last).toMatchObject({ page: '3', limit: '2', q: prefix.toUpperCase() });
    const page3 = await api.get(`/socket/log?q=${prefix}&limit=2&page=3`).expect(200);
    expect(page3.body.map((e: Entry) => e.User.username)).toEqual(sorted.slice(4));
    expect(Object.keys(parseLink(page3.headers.link)).sort()).toEqual(['first', 'last', 'prev']);
    const past = await api.get(`/socket/log?q=${prefix}&limit=2&page=9`).expect(200);
    expect(past.body).toEqual([]);
  });

  it('when no filter is given, then the first page of 20 in username order', async () => {
    const res = await api.get('/socket/log').expect(200);
    const names = res.body.map((e: Entry) => e.User.username.toLowerCase());
    expect(names.length).toBeLessThanOrEqual(20);
    expect(names).toEqual([...names].sort());
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(names.length);
  });

  it('when q holds % or _, then they match only themselves', async () => {
    const prefix = unique('lk_');
    await userWithStatus('on', `${prefix}x_y`);
    await userWithStatus('on', `${prefix}xzy`);
    const underscore = await api.get(`/socket/log?q=${prefix}x_`).expect(200);
    expect(underscore.body.map((e: Entry) => e.User.username)).toEqual([`${prefix}x_y`]);
    const percent = await api.get(`/socket/log?q=${encodeURIComponent('%')}`).expect(200);
    expect(percent.body).toEqual([]);
  });

  it('when a user renames themselves, then their entry is found and ordered by the new name only', async () => {
    const prefix = unique('rn_');
    await userWithStatus('on', `${prefix}b`);
    const me = await loginAs(app, { username: `${prefix}c` });
    await Log.create({ UserId: me.user.id, status: 'on' });
    await as(app, me.accessToken)
      .put(`/user/${me.user.id}`)
      .send({ username: `${prefix.toUpperCase()}A` })
      .expect(200);
    const res = await api.get(`/socket/log?q=${prefix}`).expect(200);
    expect(res.body.map((e: Entry) => e.User.username)).toEqual([`${prefix.toUpperCase()}A`, `${prefix}b`]);
    expect((await api.get(`/socket/log?q=${prefix}c`).expect(200)).body).toEqual([]);
  });

  it('when a user is deleted, then their entry is gone', async () => {
    const { user } = await userWithStatus('on');
    await user.destroy();
    const res = await api.get(`/socket/log?q=${user.username}`).expect(200);
    expect(res.body).toEqual([]);
  });

  it.each([
    ['an unknown status', 'status=away', 'status'],
    ['an unknown parameter', 'room=global', 'room'],
    ['a limit over 100', 'limit=101', 'limit'],
    ['page 0', 'page=0', 'page'],
    ['a q over 30 characters', `q=${'a'.repeat(31)}`, 'q'],
    ['a q with a NUL', 'q=a%00b', 'q'],
  ])('when given %s, then 400 naming it', async (_label, query, field) => {
    const res = await api.get(`/socket/log?${query}`);
    expectInvalid(res, 'query', field);
  });
});
