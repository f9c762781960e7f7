import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const app = createApp();

describe('POST /register', () => {
  it('when the body is valid, then it creates a plain user and returns it without secrets', async () => {
    const username = unique('Reg_');
    const res = await request(app)
      .post('/register')
      .send({ username, email: `${username.toUpperCase()}@Example.COM`, password: PASSWORD, address: 'Jakarta', quotes: 'Vroom' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      username,
      email: `${username.toLowerCase()}@example.com`,
      emailVerified: false,
      address: 'Jakarta',
      quotes: 'Vroom',
      role: 'user',
      avatarUrl: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const stored = await User.scope('withPassword').findByPk(res.body.id);
    expect(stored?.email).toBe(`${username.toLowerCase()}@example.com`);
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(JSON.stringify(res.body)).not.toContain(stored?.passwordHash);
  });

  it('when the email or username is taken ignoring case, then 409 CONFLICT', async () => {
    const { user } = await createUser();
    const res = await request(app)
      .post('/register')
      .send({ username: user.username.toUpperCase(), email: user.email.toUpperCase(), password: PASSWORD });
    expectProblem(res, 409, 'CONFLICT');
  });

  it('when fields are invalid, then 400 lists each offending field', async () => {
    const res = await request(app).post('/register').send({ username: 'a', email: 'not-an-email', password: 'short' });
    expectProblem(res, 400, 'VALIDATION_ERROR');
    const paths = (res.body.errors as { path: string; location: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'email']));
  });

  it.each([
    ['a common password', 'password123'],
    ['a password containing the username', 'xx-USERNAME-xx'],
    ['a password over 72 bytes', 'é'.repeat(40)],
    ['a password under 8 characters', 'Zq9!x'],
  ])('when given %s, then 400 on password', async (_label, pw) => {
    const username = unique('pw_');
    const res = await request(app)
      .post('/register')
      .send({ username, email: `${username}@example.com`, password: pw.replace('USERNAME', username) });
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password', location: 'body' })]));
    expect(await User.count({ where: { username } })).toBe(0);
  });

  it('when the body carries role or id, then 400 and nothing is stored', async () => {
    const username = unique('mass_');
    const res = await request(app)
      .post('/register')
      .send({ username, email: `${username}@example.com`, password: PASSWORD, role: 'superadmin' });
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.errors[0]).toMatchObject({ path: 'role', location: 'body' });
    expect(await User.count({ where: { username } })).toBe(0);
  });

  it('when the JSON is malformed, then 400 MALFORMED_JSON', async () => {
    const res = await request(app).post('/register').set('Content-Type', 'application/json').send('{"username": ');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('when the body is not JSON, then 415', async () => {
    const res = await request(app).post('/register').type('form').send('username=abc');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the body is over 100 kB, then 413', async () => {
    const res = await request(app)
      .post('/register')
      .send({ username: 'big', email: 'big@example.com', password: PASSWORD, quotes: 'x'.repeat(110_000) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('POST /login', () => {
  it('when the credentials are right (email in any case), then tokens and the user', async () => {
    const { user, email } = await createUser();
    const res = await request(app).post('/login').send({ email: email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email } });
    expect(res.body.access_token.split('.')).toHaveLength(3);
    expect(typeof res.body.refresh_token).toBe('string');
    expect(JSON.stringify(res.body.user)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  it('when the password is wrong or the email unknown, then the same 401 body', async () => {
    const { email } = await createUser();
    const wrong = await request(app).post('/login').send({ email, password: 'wrong-password-123' });
    const unknown = await request(app)
      .post('/login')
      .send({ email: `${unique()}@example.com`, password: 'wrong-password-123' });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('when the email is missing, then 400 VALIDATION_ERROR', async () => {
    const res = await request(app).post('/login').send({ password: 'x' });
    expectProblem(res, 400, 'VALIDATION_ERROR');
  });
});

describe('GET /user', () => {
  it('when called with access_token or Bearer, then it returns me; without, 401', async () => {
    const { email, user } = await createUser();
    const login = await request(app).post('/login').send({ email, password: PASSWORD }).expect(200);
    const token = login.body.access_token as string;
    const viaHeader = await request(app).get('/user').set('access_token', token).expect(200);
    const viaBearer = await request(app).get('/user').set('Authorization', `Bearer ${token}`).expect(200);
    expect(viaHeader.body).toEqual(viaBearer.body);
    expect(viaHeader.body).toMatchObject({ id: user.id, username: user.username, role: 'user' });
    expectProblem(await request(app).get('/user'), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).get('/user').set('access_token', 'garbage'), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).get(`/user?access_token=${token}`), 401, 'UNAUTHENTICATED');
  });

  it('when an unknown route is requested, then 404 problem', async () => {
    expectProblem(await request(app).get('/no-such-route'), 404, 'NOT_FOUND');
  });
});
