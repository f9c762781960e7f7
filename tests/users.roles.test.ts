import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import type { Role } from '../src/models/user';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { caller, parseLink } from './helpers/http';
import { expectProblem } from './helpers/problem';

const app = createApp();

const roleOf = async (id: number) => (await User.findByPk(id))?.role;
const quotesOf = async (id: number) => (await User.findByPk(id))?.quotes;

describe('a plain user', () => {
  it('when touching admin routes or another user, then 403 and nothing changes', async () => {
    const plain = await caller(app);
    const other = await createUser();
    const id = other.user.id;
    expectProblem(await plain.api.get('/users'), 403, 'FORBIDDEN');
    expectProblem(await plain.api.patch(`/users/${id}/role`).send({ role: 'admin' }), 403, 'FORBIDDEN');
    expectProblem(await plain.api.patch(`/users/${plain.user.id}/role`).send({ role: 'superadmin' }), 403, 'FORBIDDEN');
    expectProblem(await plain.api.put(`/user/${id}`).send({ quotes: 'hacked' }), 403, 'FORBIDDEN');
    expectProblem(await plain.api.delete(`/user/${id}`), 403, 'FORBIDDEN');
    expect(await quotesOf(id)).toBeNull();
    expect(await roleOf(plain.user.id)).toBe('user');
    expect(await User.count({ where: { id } })).toBe(1);
  });

  it('when the id is unknown, then 404; when it is not a positive integer, then 400', async () => {
    const plain = await caller(app);
    expectProblem(await plain.api.put('/user/2147483000').send({ quotes: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await plain.api.delete('/user/2147483000'), 404, 'NOT_FOUND');
    expectProblem(await plain.api.get('/users/2147483000'), 404, 'NOT_FOUND');
    expectProblem(await plain.api.delete('/user/abc'), 400, 'VALIDATION_ERROR');
    expectProblem(await plain.api.get('/users/0'), 400, 'VALIDATION_ERROR');
  });

  it('when role is in a register or profile body, then 400 and the role stays', async () => {
    const plain = await caller(app);
    const res = await plain.api.put(`/user/${plain.user.id}`).send({ quotes: 'hi', role: 'admin' });
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'role', location: 'body' })]);
    expect(await roleOf(plain.user.id)).toBe('user');
    const username = unique('mass_');
    const reg = await request(app)
      .post('/register')
      .send({ username, email: `${username}@example.com`, password: PASSWORD, role: 'admin' });
    expectProblem(reg, 400, 'VALIDATION_ERROR');
    expect(await User.count({ where: { username } })).toBe(0);
  });

  it('when viewing another user, then only the public profile; viewing self, the full user', async () => {
    const plain = await caller(app);
    const other = await createUser();
    const res = await plain.api.get(`/users/${other.user.id}`).expect(200);
    expect(res.body).toEqual({ id: other.user.id, username: other.user.username, quotes: null, avatarUrl: null, createdAt: expect.any(String) });
    const self = await plain.api.get(`/users/${plain.user.id}`).expect(200);
    expect(self.body).toMatchObject({ id: plain.user.id, email: plain.email, role: 'user' });
  });
});

describe('an admin', () => {
  it('when managing a plain user, then update and delete work and the full profile is shown', async () => {
    const admin = await caller(app, { role: 'admin' });
    const target = await createUser();
    const full = await admin.api.get(`/users/${target.user.id}`).expect(200);
    expect(full.body).toMatchObject({ id: target.user.id, email: target.email, role: 'user' });
    const res = await admin.api.put(`/user/${target.user.id}`).send({ quotes: 'moderated' }).expect(200);
    expect(res.body).toMatchObject({ message: 'success to update', user: { id: target.user.id, quotes: 'moderated' } });
    await admin.api.delete(`/user/${target.user.id}`).expect(200);
    expect(await User.count({ where: { id: target.user.id } })).toBe(0);
  });

  it.each<Role>(['admin', 'superadmin'])('when touching a %s, then 403 and nothing changes', async (role) => {
    const admin = await caller(app, { role: 'admin' });
    const target = await createUser({ role });
    expectProblem(await admin.api.put(`/user/${target.user.id}`).send({ quotes: 'x' }), 403, 'FORBIDDEN');
    expectProblem(await admin.api.delete(`/user/${target.user.id}`), 403, 'FORBIDDEN');
    expectProblem(await admin.api.patch(`/users/${target.user.id}/role`).send({ role: 'user' }), 403, 'FORBIDDEN');
    expect(await roleOf(target.user.id)).toBe(role);
    expect(await quotesOf(target.user.id)).toBeNull();
  });
});

describe('a superadmin', () => {
  it.each<Role>(['admin', 'superadmin'])('when managing a %s, then update and delete work', async (role) => {
    const boss = await caller(app, { role: 'superadmin' });
    const target = await createUser({ role });
    await boss.api.put(`/user/${target.user.id}`).send({ quotes: 'ok' }).expect(200);
    expect(await quotesOf(target.user.id)).toBe('ok');
    await boss.api.delete(`/user/${target.user.id}`).expect(200);
    expect(await User.count({ where: { id: target.user.id } })).toBe(0);
  });

  it("when changing a role, then it is stored and the target's live token carries it at once", async () => {
    const boss = await caller(app, { role: 'superadmin' });
    const target = await caller(app);
    expectProblem(await target.api.get('/users'), 403, 'FORBIDDEN');

    const res = await boss.api.patch(`/users/${target.user.id}/role`).send({ role: 'admin' }).expect(200);
    expect(res.body).toEqual({ message: 'success to update role', user: expect.objectContaining({ id: target.user.id, role: 'admin' }) });
    expect(await roleOf(target.user.id)).toBe('admin');
    await target.api.get('/users').expect(200);

    await boss.api.patch(`/users/${target.user.id}/role`).send({ role: 'user' }).expect(200);
    expectProblem(await target.api.get('/users'), 403, 'FORBIDDEN');
  });

  it('when another superadmin exists, then a superadmin may step down', async () => {
    const boss = await caller(app, { role: 'superadmin' });
    await createUser({ role: 'superadmin' });
    await boss.api.patch(`/users/${boss.user.id}/role`).send({ role: 'admin' }).expect(200);
    expect(await roleOf(boss.user.id)).toBe('admin');
  });

  it('when the role is unknown or the body has other fields, then 400', async () => {
    const boss = await caller(app, { role: 'superadmin' });
    const target = await createUser();
    expectProblem(await boss.api.patch(`/users/${target.user.id}/role`).send({ role: 'owner' }), 400, 'VALIDATION_ERROR');
    expectProblem(await boss.api.patch(`/users/${target.user.id}/role`).send({ role: 'admin', id: 1 }), 400, 'VALIDATION_ERROR');
    expectProblem(await boss.api.patch('/users/2147483000/role').send({ role: 'admin' }), 404, 'NOT_FOUND');
    expect(await roleOf(target.user.id)).toBe('user');
  });
});

describe('GET /users', () => {
  it('when paged and searched, then X-Total-Count and Link are set, and % and _ in q are literal', async () => {
    const admin = await caller(app, { role: 'admin' });
    const prefix = unique('pg').toLowerCase();
    const made = [];
    for (const suffix of ['a_b', 'axb', 'ayb']) made.push((await createUser({ username: `${prefix}${suffix}` })).user);

    const first = await admin.api.get(`/users?q=${prefix.toUpperCase()}&limit=2`).expect(200);
    expect(first.headers['x-total-count']).toBe('3');
    expect(first.body.map((u: { id: number }) => u.id)).toEqual(made.slice(0, 2).map((u) => u.id));
    expect(parseLink(first.headers.link)).toEqual({
      first: { path: '/users', q: prefix.toUpperCase(), limit: '2', page: '1' },
      next: { path: '/users', q: prefix.toUpperCase(), limit: '2', page: '2' },
      last: { path: '/users', q: prefix.toUpperCase(), limit: '2', page: '2' },
    });
    const second = await admin.api.get(`/users?q=${prefix}&limit=2&page=2`).expect(200);
    expect(second.body.map((u: { id: number }) => u.id)).toEqual([made[2]?.id]);
    expect(Object.keys(parseLink(second.headers.link)).sort()).toEqual(['first', 'last', 'prev']);
    expect((await admin.api.get(`/users?q=${prefix}&limit=2&page=3`).expect(200)).body).toEqual([]);

    const literal = await admin.api.get(`/users?q=${encodeURIComponent(`${prefix}a_b`)}`).expect(200);
    expect(literal.body.map((u: { username: string }) => u.username)).toEqual([`${prefix}a_b`]);
    expect((await admin.api.get(`/users?q=${encodeURIComponent(`${prefix}%`)}`).expect(200)).body).toEqual([]);
    const byEmail = await admin.api.get(`/users?q=${encodeURIComponent(`${prefix}axb@example`)}`).expect(200);
    expect(byEmail.body).toEqual([expect.objectContaining({ id: made[1]?.id, email: `${prefix}axb@example.com` })]);
    expect(JSON.stringify(first.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  it('when limit is over 100 or an unknown parameter is given, then 400', async () => {
    const admin = await caller(app, { role: 'superadmin' });
    expectProblem(await admin.api.get('/users?limit=101'), 400, 'VALIDATION_ERROR');
    expectProblem(await admin.api.get('/users?role=admin'), 400, 'VALIDATION_ERROR');
  });
});
