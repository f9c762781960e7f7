import request from 'supertest';
import { createApp } from '../src/app';
import { Message, Report } from '../src/models';
import { caller, parseLink, type Caller } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();

let admin: Caller;
let superadmin: Caller;

beforeAll(async () => {
  admin = await caller(app, { role: 'admin' });
  superadmin = await caller(app, { role: 'superadmin' });
});

async function messageBy(author: Caller, text = 'something rude', room = 'global'): Promise<Message> {
  return Message.create({ text, room, UserId: author.user.id, clientId: null });
}

interface ModerationReport {
  id: number;
  status: string;
  text: string | null;
  messageId: number | null;
  userId: number | null;
  reporter: { id: number } | null;
  target: { id: number } | null;
}

async function queued(id: number): Promise<ModerationReport | undefined> {
  const res = await admin.api.get('/reports?limit=100').expect(200);
  return (res.body as ModerationReport[]).find((r) => r.id === id);
}

describe('/reports without a token', () => {
  it.each([
    ['get', '/reports'],
    ['post', '/reports'],
    ['patch', '/reports/1'],
  ] as const)('when %s %s has no token, then 401', async (method, url) => {
    expectProblem(await request(app)[method](url).send({}), 401, 'UNAUTHENTICATED');
  });
});

describe('POST /reports', () => {
  it('when I report a message, then 201 with the report, and the report keeps a copy of its text', async () => {
    const [me, author] = [await caller(app), await caller(app)];
    const message = await messageBy(author, 'the reported words');
    const res = await me.api.post('/reports').send({ messageId: message.id, reason: 'harassment', note: '  keeps doing it  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      reason: 'harassment',
      note: 'keeps doing it',
      status: 'open',
      messageId: message.id,
      userId: author.user.id,
      createdAt: expect.any(String),
    });
    const stored = await Report.findByPk(res.body.id as number);
    expect(stored).toMatchObject({
      ReporterId: me.user.id,
      MessageId: message.id,
      UserId: author.user.id,
      text: 'the reported words',
      status: 'open',
    });
  });

  it('when the reported message is later edited and then deleted, then the queue still shows the text as reported', async () => {
    const [me, author] = [await caller(app), await caller(app)];
    const message = await messageBy(author, 'original words');
    const { body } = await me.api.post('/reports').send({ messageId: message.id, reason: 'hate' }).expect(201);
    await message.update({ text: 'innocent words' });
    expect(await queued(body.id as number)).toMatchObject({ text: 'original words', messageId: message.id });
    await message.destroy();
    expect(await queued(body.id as number)).toMatchObject({ text: 'original words', messageId: null, userId: author.user.id });
  });

  it('when I report a user, then 201 with messageId null and no text', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const res = await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reason: 'spam', note: null, status: 'open', messageId: null, userId: them.user.id });
    expect(await Report.findByPk(res.body.id as number)).toMatchObject({ ReporterId: me.user.id, text: null, isMessageReport: false });
  });

  it('when I report the same message or user again while my report is open, then 409; once closed, I may report again', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const message = await messageBy(them);
    const first = await me.api.post('/reports').send({ messageId: message.id, reason: 'spam' }).expect(201);
    expectProblem(await me.api.post('/reports').send({ messageId: message.id, reason: 'other' }), 409, 'CONFLICT');
    await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' }).expect(201); // the user is another target
    expectProblem(await me.api.post('/reports').send({ userId: them.user.id, reason: 'hate' }), 409, 'CONFLICT');
    expect(await Report.count({ where: { ReporterId: me.user.id } })).toBe(2);

    await admin.api.patch(`/reports/${first.body.id}`).send({ status: 'dismissed' }).expect(200);
    await me.api.post('/reports').send({ messageId: message.id, reason: 'spam' }).expect(201);
  });

  it('when two people report the same message, then both reports are filed', async () => {
    const [one, two, author] = [await caller(app), await caller(app), await caller(app)];
    const message = await messageBy(author);
    await one.api.post('/reports').send({ messageId: message.id, reason: 'spam' }).expect(201);
    await two.api.post('/reports').send({ messageId: message.id, reason: 'spam' }).expect(201);
    expect(await Report.count({ where: { MessageId: message.id } })).toBe(2);
  });

  it('when the message or the user does not exist, then 404', async () => {
    const me = await caller(app);
    expectProblem(await me.api.post('/reports').send({ messageId: 2147483647, reason: 'spam' }), 404, 'NOT_FOUND');
    expectProblem(await me.api.post('/reports').send({ userId: 2147483647, reason: 'spam' }), 404, 'NOT_FOUND');
  });

  it('when the message is in a direct conversation I am not part of, then 404; a member may report it', async () => {
    const [me, a, b] = [await caller(app), await caller(app), await caller(app)];
    const [low, high] = [a.user.id, b.user.id].sort((x, y) => x - y);
    const message = await messageBy(a, 'private words', `dm:${low}-${high}`);
    expectProblem(await me.api.post('/reports').send({ messageId: message.id, reason: 'spam' }), 404, 'NOT_FOUND');
    await b.api.post('/reports').send({ messageId: message.id, reason: 'harassment' }).expect(201);
  });

  it('when I report myself or my own message, then 400', async () => {
    const me = await caller(app);
    expectInvalid(await me.api.post('/reports').send({ userId: me.user.id, reason: 'spam' }), 'body', 'userId');
    const mine = await messageBy(me);
    expectInvalid(await me.api.post('/reports').send({ messageId: mine.id, reason: 'spam' }), 'body', 'messageId');
    expect(await Report.count({ where: { ReporterId: me.user.id } })).toBe(0);
  });

  it.each([
    ['neither messageId nor userId', { reason: 'spam' }, ['messageId']],
    ['both messageId and userId', { messageId: 1, userId: 1, reason: 'spam' }, ['messageId']],
    ['no reason', { userId: 1 }, ['reason']],
    ['an unknown reason', { userId: 1, reason: 'rude' }, ['reason']],
    ['a note of 501 characters', { userId: 1, reason: 'spam', note: 'x'.repeat(501) }, ['note']],
    ['a note with a NUL byte', { userId: 1, reason: 'spam', note: 'bad\u0000byte' }, ['note']],
    ['userId 0', { userId: 0, reason: 'spam' }, ['userId']],
    ['messageId as a string', { messageId: '5', reason: 'spam' }, ['messageId']],
    ['an unknown field', { userId: 1, reason: 'spam', status: 'resolved' }, ['status']],
  ])('when the body has %s, then 400 naming that field', async (_label, body, fields) => {
    const me = await caller(app);
    expectInvalid(await me.api.post('/reports').send(body), 'body', ...fields);
  });

  it('when the note is exactly 500 characters, then it is accepted', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await me.api
      .post('/reports')
      .send({ userId: them.user.id, reason: 'other', note: 'n'.repeat(500) })
      .expect(201);
  });
});

describe('the moderation queue', () => {
  it('when a plain user asks for reports or closes one, then 403', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const { body } = await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' }).expect(201);
    expectProblem(await me.api.get('/reports'), 403, 'FORBIDDEN');
    expectProblem(await me.api.patch(`/reports/${body.id}`).send({ status: 'resolved' }), 403, 'FORBIDDEN');
    expect((await Report.findByPk(body.id as number))?.status).toBe('open');
  });

  it('when an admin lists reports, then the newest come first, each with both public profiles and the reported text', async () => {
    const [me, author] = [await caller(app), await caller(app)];
    const message = await messageBy(author, 'listed words');
    const older = await me.api.post('/reports').send({ messageId: message.id, reason: 'spam' }).expect(201);
    const newer = await me.api.post('/reports').send({ userId: author.user.id, reason: 'violence' }).expect(201);

    const res = await admin.api.get('/reports?limit=100').expect(200);
    const list = res.body as ModerationReport[];
    const mine = list.filter((r) => r.reporter?.id === me.user.id);
    expect(mine.map((r) => r.id)).toEqual([newer.body.id, older.body.id]);
    const authorProfile = (await me.api.get(`/users/${author.user.id}`).expect(200)).body;
    const myProfile = (await author.api.get(`/users/${me.user.id}`).expect(200)).body;
    expect(mine[1]).toEqual({
      ...older.body,
      text: 'listed words',
      updatedAt: expect.any(String),
      reporter: myProfile,
      target: authorProfile,
    });
    const times = list.map((r) => Date.parse((r as unknown as { createdAt: string }).createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('when the queue is paged, then X-Total-Count and Link are set as for /cars, and past the end is []', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' }).expect(201);
    const first = await admin.api.get('/reports?page=1&limit=1').expect(200);
    const total = Number(first.headers['x-total-count']);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(first.body).toHaveLength(1);
    const links = parseLink(first.headers.link);
    expect(links.first).toMatchObject({ path: '/reports', page: '1', limit: '1' });
    expect(links.last).toMatchObject({ page: String(total) });
    expect(await admin.api.get(`/reports?page=${total + 5}&limit=100`).expect(200)).toMatchObject({ body: [] });
    expectInvalid(await admin.api.get('/reports?limit=101'), 'query', 'limit');
    expectInvalid(await admin.api.get('/reports?status=closed'), 'query', 'status');
    expectInvalid(await admin.api.get('/reports?sort=id'), 'query', 'sort');
  });

  it('when an admin resolves a report and a superadmin dismisses one, then 200 with the report and the status filter follows', async () => {
    const [me, them, other] = [await caller(app), await caller(app), await caller(app)];
    const one = await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' }).expect(201);
    const two = await me.api.post('/reports').send({ userId: other.user.id, reason: 'sexual' }).expect(201);

    const resolved = await admin.api.patch(`/reports/${one.body.id}`).send({ status: 'resolved' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: one.body.id, status: 'resolved', reporter: { id: me.user.id }, target: { id: them.user.id } });
    const dismissed = await superadmin.api.patch(`/reports/${two.body.id}`).send({ status: 'dismissed' }).expect(200);
    expect(dismissed.body).toMatchObject({ id: two.body.id, status: 'dismissed' });
    expect((await Report.findByPk(one.body.id as number))?.status).toBe('resolved');

    const byStatus = async (status: string) => (await admin.api.get(`/reports?status=${status}&limit=100`).expect(200)).body as ModerationReport[];
    expect((await byStatus('resolved')).every((r) => r.status === 'resolved')).toBe(true);
    expect((await byStatus('resolved')).map((r) => r.id)).toContain(one.body.id);
    expect((await byStatus('open')).map((r) => r.id)).not.toContain(one.body.id);
    expect((await byStatus('dismissed')).map((r) => r.id)).toContain(two.body.id);
  });

  it('when the report does not exist or the status is not a closing one, then 404 or 400', async () => {
    expectProblem(await admin.api.patch('/reports/2147483647').send({ status: 'resolved' }), 404, 'NOT_FOUND');
    expectInvalid(await admin.api.patch('/reports/1').send({ status: 'open' }), 'body', 'status');
    expectInvalid(await admin.api.patch('/reports/x').send({ status: 'resolved' }), 'params', 'id');
  });

  it('when the reporter deletes their account, then the report stays in the queue with reporter null', async () => {
    const [me, them] = [await caller(app), await caller(app)];
    const { body } = await me.api.post('/reports').send({ userId: them.user.id, reason: 'spam' }).expect(201);
    await me.api.delete(`/user/${me.user.id}`).expect(200);
    expect(await queued(body.id as number)).toMatchObject({ reporter: null, target: { id: them.user.id } });
  });
});
