import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { caller as newCaller } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();

const caller = () => newCaller(app);

const stored = async (id: number) => (await User.scope('withPassword').findByPk(id, { raw: true })) as User;

describe('GET /user', () => {
  it('when called with a token, then exactly my user fields and no secret', async () => {
    const me = await caller();
    const res = await me.api.get('/user').expect(200);
    expect(res.body).toEqual({
      id: me.user.id,
      username: me.user.username,
      email: me.email,
      emailVerified: false,
      address: null,
      quotes: null,
      role: 'user',
      avatarUrl: null,
      createdAt: me.user.createdAt.toISOString(),
      updatedAt: me.user.updatedAt.toISOString(),
    });
  });

  it('when a query parameter is given, then 400', async () => {
    const me = await caller();
    expectInvalid(await me.api.get('/user?id=1'), 'query', 'id');
  });
});

describe('PUT /user/:id without a token', () => {
  it('when no token is sent, then 401 and nothing changes', async () => {
    const { user } = await createUser();
    expectProblem(await request(app).put(`/user/${user.id}`).send({ quotes: 'hacked' }), 401, 'UNAUTHENTICATED');
    expect((await stored(user.id)).quotes).toBeNull();
  });

  it('when the token is garbage, then 401 INVALID_TOKEN', async () => {
    const { user } = await createUser();
    expectProblem(await request(app).put(`/user/${user.id}`).set('access_token', 'not.a.jwt').send({ quotes: 'x' }), 401, 'INVALID_TOKEN');
  });
});

describe('PUT /user/:id on myself', () => {
  it('when every profile field is given, then 200 success to update with the user, and the database holds it', async () => {
    const me = await caller();
    const username = unique('New_');
    const res = await me.api
      .put(`/user/${me.user.id}`)
      .send({
        username,
        email: `  ${username.toUpperCase()}@Example.ORG `,
        address: ' Bandung ',
        quotes: 'Speed is life',
        current_password: PASSWORD,
      })
      .expect(200);
    const email = `${username.toLowerCase()}@example.org`;
    expect(res.body).toEqual({
      message: 'success to update',
      user: {
        id: me.user.id,
        username,
        email,
        emailVerified: false,
        address: 'Bandung',
        quotes: 'Speed is life',
        role: 'user',
        avatarUrl: null,
        createdAt: me.user.createdAt.toISOString(),
        updatedAt: expect.any(String),
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/i);
    expect(await stored(me.user.id)).toMatchObject({ username, email, address: 'Bandung', quotes: 'Speed is life', role: 'user' });
  });

  it('when the email changes, then I can log in with the new one and not the old one', async () => {
    const me = await caller();
    const email = `${unique('mail')}@example.com`;
    await me.api.put(`/user/${me.user.id}`).send({ email, current_password: PASSWORD }).expect(200);
    await request(app).post('/login').send({ email, password: PASSWORD }).expect(200);
    expectProblem(await request(app).post('/login').send({ email: me.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
  });

  it('when address or quotes is null, then it is cleared and other fields stay', async () => {
    const me = await caller();
    await me.api.put(`/user/${me.user.id}`).send({ address: 'Somewhere', quotes: 'Keep me' }).expect(200);
    const res = await me.api.put(`/user/${me.user.id}`).send({ address: null }).expect(200);
    expect(res.body.user).toMatchObject({ address: null, quotes: 'Keep me', username: me.user.username });
    expect(await stored(me.user.id)).toMatchObject({ address: null, quotes: 'Keep me' });
  });

  it('when my own username is sent in another case, then it is not a conflict', async () => {
    const me = await caller();
    const res = await me.api.put(`/user/${me.user.id}`).send({ username: me.user.username.toUpperCase() }).expect(200);
    expect(res.body.user.username).toBe(me.user.username.toUpperCase());
  });

  it.each([
    ['username', (other: User) => ({ username: other.username.toUpperCase() })],
    ['email', (other: User) => ({ email: other.email.toUpperCase() })],
  ])('when the %s is taken by another user, ignoring case, then 409 and nothing changes', async (field, body) => {
    const me = await caller();
    const { user: other } = await createUser();
    const before = await stored(me.user.id);
    const res = await me.api
      .put(`/user/${me.user.id}`)
      .send({ ...body(other), quotes: 'should not stick', ...('email' in body(other) ? { current_password: PASSWORD } : {}) });
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: field, location: 'body' })]);
    expect(await stored(me.user.id)).toEqual(before);
  });

  it.each([
    ['role', { role: 'superadmin' }],
    ['id', { id: 1 }],
    ['password', { password: 'another-long-password' }],
    ['passwordHash', { passwordHash: 'x' }],
  ])('when the body carries %s, then 400 on it and nothing changes', async (field, body) => {
    const me = await caller();
    const before = await stored(me.user.id);
    const res = await me.api.put(`/user/${me.user.id}`).send({ quotes: 'mass assignment', ...body });
    expectInvalid(res, 'body', field);
    expect(await stored(me.user.id)).toEqual(before);
  });

  it.each([
    ['an empty body', {}, 'body'],
    ['a bad username', { username: 'a b' }, 'username'],
    ['a too short username', { username: 'ab' }, 'username'],
    ['a bad email', { email: 'nope' }, 'email'],
    ['a null username', { username: null }, 'username'],
    ['an address over 255 characters', { address: 'x'.repeat(256) }, 'address'],
    ['quotes over 500 characters', { quotes: 'x'.repeat(501) }, 'quotes'],
    ['quotes holding a NUL character', { quotes: 'a\u0000b' }, 'quotes'],
    ['an address that is a number', { address: 42 }, 'address'],
  ])('when given %s, then 400 naming it', async (_label, body, field) => {
    const me = await caller();
    const before = await stored(me.user.id);
    const res = await me.api.put(`/user/${me.user.id}`).send(body);
    expectInvalid(res, 'body', field);
    expect(await stored(me.user.id)).toEqual(before);
  });

  it('when the JSON is malformed, then 400 MALFORMED_JSON', async () => {
    const me = await caller();
    const res = await me.api.put(`/user/${me.user.id}`).set('Content-Type', 'application/json').send('{"quotes":');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });
});

describe('PUT /user/:id on someone else', () => {
  it("when a plain user updates another user's profile, then 403 and the other user is unchanged", async () => {
    const me = await caller();
    const { user: other } = await createUser();
    const before = await stored(other.id);
    expectProblem(await me.api.put(`/user/${other.id}`).send({ quotes: 'defaced' }), 403, 'FORBIDDEN');
    expect(await stored(other.id)).toEqual(before);
  });

  it('when no user has that id, then 404', async () => {
    const me = await caller();
    expectProblem(await me.api.put('/user/2147483647').send({ quotes: 'x' }), 404, 'NOT_FOUND');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('when the id is %s, then 400 on params.id', async (id) => {
    const me = await caller();
    const res = await me.api.put(`/user/${id}`).send({ quotes: 'x' });
    expectInvalid(res, 'params', 'id');
  });
});
