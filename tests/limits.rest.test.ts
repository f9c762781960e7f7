import request from 'supertest';
import { createApp } from '../src/app';
import type { RateLimits } from '../src/middleware/rate-limit';
import { RefreshToken, Report, Session, User } from '../src/models';
import { createUser, loginAs, PASSWORD, unique } from './helpers/factories';
import { as } from './helpers/http';
import { LogCapture } from './helpers/log-capture';
import { expectInvalid, expectProblem } from './helpers/problem';

function appWith(limits: Partial<RateLimits>, logs?: LogCapture) {
  return createApp({ rateLimits: { namespace: unique('limits'), ...limits }, logger: logs?.logger });
}

const emailOf = async (id: number) => (await User.findByPk(id))?.email;

describe('POST /token/refresh per session (REFRESH_MAX_PER_MINUTE)', () => {
  it('when one session refreshes past its budget, then 429 with Retry-After and nothing rotated; another session still refreshes', async () => {
    const logs = new LogCapture();
    const app = appWith({ refreshPerMinute: 3 }, logs);
    const me = await loginAs(app);
    let token = me.refreshToken;
    for (let i = 0; i < 3; i += 1)
      token = (await request(app).post('/token/refresh').send({ refresh_token: token }).expect(200)).body.refresh_token as string;

    const res = await request(app).post('/token/refresh').set('X-Request-Id', 'refresh-flood').send({ refresh_token: token });
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    await logs.waitFor((l) => l.reqId === 'refresh-flood' && l.msg === 'request refused: over its budget');
    const sid = (await Session.findOne({ where: { UserId: me.user.id } }))?.id;
    expect(await RefreshToken.count({ where: { SessionId: sid } })).toBe(4);
    expect(await RefreshToken.count({ where: { SessionId: sid, rotatedAt: null } })).toBe(1);

    const other = await request(app).post('/login').send({ email: me.email, password: PASSWORD }).expect(200);
    await request(app).post('/token/refresh').send({ refresh_token: other.body.refresh_token }).expect(200);
  });

  it('when the refresh token is unknown, then 401 as before (nothing to count it against)', async () => {
    const app = appWith({ refreshPerMinute: 1 });
    for (let i = 0; i < 3; i += 1)
      expectProblem(
        await request(app)
          .post('/token/refresh')
          .send({ refresh_token: unique('nope') }),
        401,
        'INVALID_TOKEN',
      );
  });
});

describe('PUT /user/:id per caller (PROFILE_UPDATES_PER_HOUR)', () => {
  it('when a caller updates past the budget, then 429 and nothing changes; another caller is served', async () => {
    const app = appWith({ profileUpdatesPerHour: 3 });
    const me = await loginAs(app);
    for (let i = 1; i <= 3; i += 1)
      await as(app, me.accessToken)
        .put(`/user/${me.user.id}`)
        .send({ quotes: `take ${i}` })
        .expect(200);
    const res = await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ quotes: 'one too many' });
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
    expect((await User.findByPk(me.user.id))?.quotes).toBe('take 3');

    const other = await loginAs(app);
    await as(app, other.accessToken).put(`/user/${other.user.id}`).send({ quotes: 'mine' }).expect(200);
  });

  it('when a caller probes whether usernames are taken, then the probes are throttled too (not an unthrottled oracle)', async () => {
    const app = appWith({ profileUpdatesPerHour: 3 });
    const me = await loginAs(app);
    const { user: taken } = await createUser();
    for (let i = 0; i < 3; i += 1)
      expectProblem(await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ username: taken.username }), 409, 'CONFLICT');
    expectProblem(await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ username: taken.username }), 429, 'RATE_LIMITED');
  });
});

describe('POST /reports per reporter (REPORTS_PER_HOUR)', () => {
  it('when a reporter files past the budget, then 429 and no report is stored; another reporter is served', async () => {
    const app = appWith({ reportsPerHour: 2 });
    const me = await loginAs(app);
    const targets = await Promise.all([createUser(), createUser(), createUser()]);
    for (const { user } of targets.slice(0, 2)) await as(app, me.accessToken).post('/reports').send({ userId: user.id, reason: 'spam' }).expect(201);
    const res = await as(app, me.accessToken).post('/reports').send({ userId: targets[2]?.user.id, reason: 'spam' });
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
    expect(await Report.count({ where: { ReporterId: me.user.id } })).toBe(2);

    const other = await loginAs(app);
    await as(app, other.accessToken).post('/reports').send({ userId: targets[2]?.user.id, reason: 'spam' }).expect(201);
  });
});

describe('PUT /user/:id changing my own email', () => {
  const app = appWith({});

  it('when current_password is missing or wrong, then 401 INVALID_CREDENTIALS and the email stays', async () => {
    const me = await loginAs(app);
    const email = `${unique('new')}@example.com`;
    expectProblem(await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ email }), 401, 'INVALID_CREDENTIALS');
    expectProblem(
      await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ email, current_password: 'not-my-password' }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect(await emailOf(me.user.id)).toBe(me.email);
  });

  it('when the new email is taken, then a wrong password answers 401, not 409: the password is checked first', async () => {
    const me = await loginAs(app);
    const { email: taken } = await createUser();
    const wrong = await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ email: taken, current_password: 'not-my-password' });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    const right = await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ email: taken, current_password: PASSWORD });
    expectProblem(right, 409, 'CONFLICT');
    expect(await emailOf(me.user.id)).toBe(me.email);
  });

  it('when current_password is right, then the email changes, my other sessions are revoked and this one goes on', async () => {
    const me = await loginAs(app);
    const laptop = await request(app).post('/login').send({ email: me.email, password: PASSWORD }).expect(200);
    const email = `${unique('new')}@example.com`;
    const res = await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ email, current_password: PASSWORD }).expect(200);
    expect(res.body.user.email).toBe(email);
    expect(await emailOf(me.user.id)).toBe(email);
    await as(app, me.accessToken).get('/user').expect(200);
    expectProblem(await as(app, laptop.body.access_token as string).get('/user'), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).post('/token/refresh').send({ refresh_token: laptop.body.refresh_token }), 401, 'INVALID_TOKEN');
    expect(await Session.count({ where: { UserId: me.user.id, revokedAt: null } })).toBe(1);
  });

  it('when current_password comes without email, then 400 on it', async () => {
    const me = await loginAs(app);
    expectInvalid(
      await as(app, me.accessToken).put(`/user/${me.user.id}`).send({ quotes: 'x', current_password: PASSWORD }),
      'body',
      'current_password',
    );
  });

  it('when an admin changes a plain user’s email, then no password of theirs is needed and the user’s sessions end', async () => {
    const admin = await loginAs(app, { role: 'admin' });
    const target = await loginAs(app);
    const email = `${unique('moved')}@example.com`;
    await as(app, admin.accessToken).put(`/user/${target.user.id}`).send({ email }).expect(200);
    expect(await emailOf(target.user.id)).toBe(email);
    expectProblem(await as(app, target.accessToken).get('/user'), 401, 'INVALID_TOKEN');
  });
});

describe('a password over 72 bytes at login', () => {
  const password = `${'p'.repeat(61)}-72-bytes!!`;

  it('when the right password has anything appended, then 401 INVALID_CREDENTIALS exactly like a wrong password, and it counts as a failure', async () => {
    expect(Buffer.byteLength(password)).toBe(72);
    const app = appWith({ loginMaxFailures: 2 });
    const { email } = await createUser({ password });
    await request(app).post('/login').send({ email, password }).expect(200);
    const longer = await request(app)
      .post('/login')
      .send({ email, password: `${password}x` });
    const wrong = await request(app)
      .post('/login')
      .send({ email, password: `${password.slice(0, -1)}?` });
    expectProblem(longer, 401, 'INVALID_CREDENTIALS');
    expect(longer.body).toEqual(wrong.body);
    expectProblem(await request(app).post('/login').send({ email, password }), 429, 'RATE_LIMITED');
  });
});
