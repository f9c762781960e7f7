import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { Message, User } from '../src/models';
import type { Role } from '../src/models/user';
import { caller, type Caller } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';
import { connect, nextEvent, record, sendOk, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

async function online(who: Caller): Promise<ClientSocket> {
  return connect(server().url, { token: who.accessToken });
}

async function storedMutedUntil(userId: number): Promise<Date | null> {
  return (await User.findByPk(userId))?.mutedUntil ?? null;
}

describe('POST /users/:id/mute and DELETE /users/:id/mute over HTTP', () => {
  it.each([
    ['post', '/users/1/mute'],
    ['delete', '/users/1/mute'],
  ] as const)('when %s %s has no token, then 401', async (method, url) => {
    expectProblem(await request(app)[method](url).send({ minutes: 5 }), 401, 'UNAUTHENTICATED');
  });

  it('when an admin mutes a plain user, then 200 with the public profile and mutedUntil, which the database holds', async () => {
    const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
    const before = Date.now();
    const res = await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 30 });
    expect(res.status).toBe(200);
    const profile = (await target.api.get(`/users/${admin.user.id}`).expect(200)).body as Record<string, unknown>;
    expect(Object.keys(res.body).sort()).toEqual([...Object.keys(profile), 'mutedUntil'].sort());
    expect(res.body).toMatchObject({ id: target.user.id, username: target.user.username });
    const until = new Date(res.body.mutedUntil as string).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    expect((await storedMutedUntil(target.user.id))?.toISOString()).toBe(res.body.mutedUntil);
  });

  it('when a mute is lifted, then 200 with mutedUntil null, and null is stored', async () => {
    const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
    await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 5 }).expect(200);
    const res = await admin.api.delete(`/users/${target.user.id}/mute`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.user.id, mutedUntil: null });
    expect(await storedMutedUntil(target.user.id)).toBeNull();
  });

  const RIGHTS: [Role, Role, number][] = [
    ['user', 'user', 403],
    ['admin', 'user', 200],
    ['admin', 'admin', 403],
    ['admin', 'superadmin', 403],
    ['superadmin', 'user', 200],
    ['superadmin', 'admin', 200],
    ['superadmin', 'superadmin', 403],
  ];

  it.each(RIGHTS)('when the role %s mutes and unmutes the role %s, then %i', async (actorRole, targetRole, status) => {
    const [actor, target] = [await caller(app, { role: actorRole }), await caller(app, { role: targetRole })];
    const muted = await actor.api.post(`/users/${target.user.id}/mute`).send({ minutes: 10 });
    const lifted = await actor.api.delete(`/users/${target.user.id}/mute`);
    if (status === 403) {
      expectProblem(muted, 403, 'FORBIDDEN');
      expectProblem(lifted, 403, 'FORBIDDEN');
      expect(await storedMutedUntil(target.user.id)).toBeNull();
    } else {
      expect([muted.status, lifted.status]).toEqual([200, 200]);
    }
  });

  it('when an admin mutes themselves, then 403 (an admin only mutes plain users)', async () => {
    const admin = await caller(app, { role: 'admin' });
    expectProblem(await admin.api.post(`/users/${admin.user.id}/mute`).send({ minutes: 10 }), 403, 'FORBIDDEN');
  });

  it('when the user does not exist, then 404', async () => {
    const admin = await caller(app, { role: 'admin' });
    expectProblem(await admin.api.post('/users/2147483647/mute').send({ minutes: 10 }), 404, 'NOT_FOUND');
    expectProblem(await admin.api.delete('/users/2147483647/mute'), 404, 'NOT_FOUND');
  });

  it.each([{}, { minutes: 0 }, { minutes: 43_201 }, { minutes: 1.5 }, { minutes: '10' }, { minutes: null }])(
    'when minutes is %j, then 400 and nothing changes',
    async (body) => {
      const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
      expectInvalid(await admin.api.post(`/users/${target.user.id}/mute`).send(body), 'body', 'minutes');
      expect(await storedMutedUntil(target.user.id)).toBeNull();
    },
  );

  it('when minutes is at the bounds (1 and 43,200), then both are accepted', async () => {
    const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
    await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 1 }).expect(200);
    const res = await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 43_200 }).expect(200);
    expect(new Date(res.body.mutedUntil as string).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3_600_000);
  });

  it('when an unknown field is sent, then 400', async () => {
    const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
    expectInvalid(await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 5, reason: 'x' }), 'body', 'reason');
  });
});

describe('a muted user on a socket', () => {
  it('when a connected user is muted, then their next send acks FORBIDDEN naming the end of the mute; nothing is stored or broadcast', async () => {
    const [admin, target, watcher] = [await caller(app, { role: 'admin' }), await caller(app), await caller(app)];
    const [socket, watching] = [await online(target), await online(watcher)];
    await sendOk(socket, { text: 'before the mute' });
    const seen = record(watching, 'message:new');

    const muted = await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 15 }).expect(200);
    const text = `while muted ${randomUUID()}`;
    const reply = await socket.timeout(5000).emitWithAck('message:send', { text });
    expect(reply).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(muted.body.mutedUntil as string) } });
    expect(await Message.count({ where: { text } })).toBe(0);

    const fence = `fence ${randomUUID()}`;
    const fenced = nextEvent(watching, 'message:new', (m) => m.text === fence);
    await sendOk(await online(await caller(app)), { text: fence });
    await fenced;
    expect(seen.map((m) => m.text)).not.toContain(text);
  });

  it('when the mute is lifted, then the same socket can send again at once', async () => {
    const [admin, target] = [await caller(app, { role: 'admin' }), await caller(app)];
    const socket = await online(target);
    await admin.api.post(`/users/${target.user.id}/mute`).send({ minutes: 15 }).expect(200);
    const refused = await socket.timeout(5000).emitWithAck('message:send', { text: 'refused' });
    expect(refused.ok).toBe(false);
    await admin.api.delete(`/users/${target.user.id}/mute`).expect(200);
    await expect(sendOk(socket, { text: `free again ${randomUUID()}` })).resolves.toMatchObject({ UserId: target.user.id });
  });
});
