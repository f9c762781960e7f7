import request from 'supertest';
import { createApp } from '../src/app';
import { Session, User } from '../src/models';
import { loginAs, PASSWORD, unique } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const app = createApp();
const NEW_PASSWORD = 'violet-lantern-orbit-42';

const me = (token: string) => request(app).get('/user').set('access_token', token);
const refresh = (token: string) => request(app).post('/token/refresh').send({ refresh_token: token });
const changeCredential = (token: string, body: object) => request(app).put('/user/credential').set('access_token', token).send(body);

describe('PUT /user/credential', () => {
  it('when the password changes, then every earlier session dies, on every device, and the new tokens work', async () => {
    const phone = await loginAs(app);
    const laptop = await request(app).post('/login').send({ email: phone.email, password: PASSWORD }).expect(200);
    await me(laptop.body.access_token).expect(200);

    const res = await changeCredential(phone.accessToken, { current_password: PASSWORD, password: NEW_PASSWORD }).expect(200);
    expect(res.body).toEqual({
      message: 'success to update credential',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      user: expect.objectContaining({ id: phone.user.id, email: phone.email }),
    });

    expectProblem(await me(laptop.body.access_token), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(laptop.body.refresh_token), 401, 'INVALID_TOKEN');
    expectProblem(await me(phone.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(phone.refreshToken), 401, 'INVALID_TOKEN');
    await me(res.body.access_token).expect(200);
    await refresh(res.body.refresh_token).expect(200);
    expect(await Session.count({ where: { UserId: phone.user.id, revokedAt: null } })).toBe(1);

    expectProblem(await request(app).post('/login').send({ email: phone.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    await request(app).post('/login').send({ email: phone.email, password: NEW_PASSWORD }).expect(200);
  });

  it('when the email changes, then it is stored lower-case and only the new email logs in', async () => {
    const device = await loginAs(app);
    const newEmail = `${unique('moved_')}@Example.com`;
    const res = await changeCredential(device.accessToken, { current_password: PASSWORD, email: newEmail }).expect(200);
    expect(res.body.user.email).toBe(newEmail.toLowerCase());
    expect((await User.findByPk(device.user.id))?.email).toBe(newEmail.toLowerCase());
    expectProblem(await me(device.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).post('/login').send({ email: device.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    await request(app).post('/login').send({ email: newEmail, password: PASSWORD }).expect(200);
  });

  it('when the current password is wrong, then 401 INVALID_CREDENTIALS and nothing changes', async () => {
    const device = await loginAs(app);
    const res = await changeCredential(device.accessToken, { current_password: 'not-my-password-1', password: NEW_PASSWORD });
    expectProblem(res, 401, 'INVALID_CREDENTIALS');
    await me(device.accessToken).expect(200);
    await request(app).post('/login').send({ email: device.email, password: PASSWORD }).expect(200);
  });

  it('when the new email is taken (in any case), then 409 and nothing changes', async () => {
    const device = await loginAs(app);
    const other = await loginAs(app);
    const res = await changeCredential(device.accessToken, { current_password: PASSWORD, email: other.email.toUpperCase(), password: NEW_PASSWORD });
    expectProblem(res, 409, 'CONFLICT');
    expect((await User.findByPk(device.user.id))?.email).toBe(device.email);
    await me(device.accessToken).expect(200);
  });

  it.each([
    ['no current_password', { password: NEW_PASSWORD }, 'current_password'],
    ['neither email nor password', { current_password: PASSWORD }, 'password'],
    ['a common password', { current_password: PASSWORD, password: 'password123' }, 'password'],
    ['a short password', { current_password: PASSWORD, password: 'Zq9!x' }, 'password'],
    ['a password containing the username', { current_password: PASSWORD, password: 'my-USERNAME-pw' }, 'password'],
    [
      'a password containing the new email local part',
      { current_password: PASSWORD, email: 'zebracrossing@example.com', password: 'zebracrossing-77' },
      'password',
    ],
    ['an invalid email', { current_password: PASSWORD, email: 'nope' }, 'email'],
    ['a role', { current_password: PASSWORD, password: NEW_PASSWORD, role: 'superadmin' }, 'role'],
  ])('when given %s, then 400 on that field and nothing changes', async (_label, body, field) => {
    const device = await loginAs(app);
    const sent = JSON.parse(JSON.stringify(body).replace('USERNAME', device.user.username));
    const res = await changeCredential(device.accessToken, sent);
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field, location: 'body' })]));
    await me(device.accessToken).expect(200);
    expect((await User.findByPk(device.user.id))?.role).toBe('user');
  });

  it('when there is no access token, then 401', async () => {
    expectProblem(await request(app).put('/user/credential').send({ current_password: PASSWORD, password: NEW_PASSWORD }), 401, 'UNAUTHENTICATED');
  });

  it('when the current password is guessed too often, then 429 with Retry-After even for the right one', async () => {
    const limited = createApp({ rateLimits: { loginMaxFailures: 2 } });
    const device = await loginAs(limited);
    for (let i = 0; i < 2; i += 1) {
      const res = await request(limited)
        .put('/user/credential')
        .set('access_token', device.accessToken)
        .send({ current_password: `guess-${i}-wrong`, password: NEW_PASSWORD });
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
    }
    const res = await request(limited)
      .put('/user/credential')
      .set('access_token', device.accessToken)
      .send({ current_password: PASSWORD, password: NEW_PASSWORD });
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await request(limited).get('/user').set('access_token', device.accessToken).expect(200);
  });
});
