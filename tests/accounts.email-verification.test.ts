import request from 'supertest';
import { createApp } from '../src/app';
import { AccountCode, User } from '../src/models';
import { ensureSuperadmin } from '../src/services/users/admin-bootstrap.service';
import { backgroundSettled } from '../src/services/operations/background.tasks';
import { caller } from './helpers/http';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { MailCatcher, secretsOf } from './helpers/mail';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();
let mail: MailCatcher;

beforeAll(async () => {
  mail = await MailCatcher.start();
});
afterAll(async () => {
  await backgroundSettled();
  await mail.stop();
});

/** Registers through the API and logs in; returns the token and the verification email's secrets. */
async function registered() {
  const username = unique('v_');
  const email = `${username}@example.com`;
  const res = await request(app).post('/register').send({ username, email, password: PASSWORD }).expect(201);
  expect(res.body.emailVerified).toBe(false);
  const received = await mail.next(email);
  expect(received.subject).toMatch(/confirm your email/);
  const login = await request(app).post('/login').send({ email, password: PASSWORD }).expect(200);
  const token = login.body.access_token as string;
  return { id: res.body.id as number, email, token, secrets: secretsOf(received), received };
}

const verify = (body: Record<string, unknown>, token?: string) => {
  const req = request(app).post('/email/verify');
  return token ? req.set('access_token', token).send(body) : req.send(body);
};
const resend = (token?: string) => {
  const req = request(app).post('/email/verify/resend');
  return token ? req.set('access_token', token) : req;
};

describe('email verification', () => {
  it('when registered, then the email (text and HTML) carries a code and a link; the code with my token verifies me', async () => {
    const me = await registered();
    expect(me.secrets.link).toBe(`http://localhost:3000/verify-email?token=${me.secrets.token}`);
    expect(me.received.html).toContain(me.secrets.code);
    const res = await verify({ code: me.secrets.code }, me.token).expect(200);
    expect(res.body).toMatchObject({ id: me.id, email: me.email, emailVerified: true });
    expect(JSON.stringify(res.body)).not.toContain(me.secrets.token);
    expect((await User.findByPk(me.id))?.emailVerified).toBe(true);
    expect((await request(app).get('/user').set('access_token', me.token).expect(200)).body.emailVerified).toBe(true);
    expectProblem(await verify({ code: me.secrets.code }, me.token), 400, 'INVALID_CODE');
  });

  it('when the link token is posted with no access token, then 200 once, then 400 INVALID_CODE', async () => {
    const me = await registered();
    const res = await verify({ token: me.secrets.token }).expect(200);
    expect(res.body).toMatchObject({ id: me.id, emailVerified: true });
    expectProblem(await verify({ token: me.secrets.token }), 400, 'INVALID_CODE');
  });

  it('when a code is posted without an access token, then 401; a malformed body is 400', async () => {
    const me = await registered();
    expectProblem(await verify({ code: me.secrets.code }), 401, 'UNAUTHENTICATED');
    expectInvalid(await verify({ code: me.secrets.code, token: me.secrets.token }, me.token), 'body', 'code');
    expectInvalid(await verify({}, me.token), 'body', 'code');
    expectInvalid(await verify({ code: 'abcdef' }, me.token), 'body', 'code');
    expect((await User.findByPk(me.id))?.emailVerified).toBe(false);
  });

  it('when 5 wrong codes were tried, then the code is void', async () => {
    const me = await registered();
    const wrong = me.secrets.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expectProblem(await verify({ code: wrong }, me.token), 400, 'INVALID_CODE');
    expectProblem(await verify({ code: me.secrets.code }, me.token), 400, 'INVALID_CODE');
    expectProblem(await verify({ token: me.secrets.token }), 400, 'INVALID_CODE');
  });

  it('when the code is past its 24 hours, then 400 INVALID_CODE', async () => {
    const me = await registered();
    await AccountCode.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { UserId: me.id } });
    expectProblem(await verify({ token: me.secrets.token }), 400, 'INVALID_CODE');
    expectProblem(await verify({ code: me.secrets.code }, me.token), 400, 'INVALID_CODE');
  });

  it('when I ask for a resend within a minute, then 429; after it, 202 and a new code replaces the old; once verified, 409', async () => {
    const me = await registered();
    const early = await resend(me.token);
    expectProblem(early, 429, 'RATE_LIMITED');
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);
    await AccountCode.update({ createdAt: new Date(Date.now() - 61_000) }, { where: { UserId: me.id } });
    expect((await resend(me.token).expect(202)).body).toEqual({ message: 'a verification email has been sent' });
    const second = secretsOf(await mail.next(me.email));
    expectProblem(await verify({ token: me.secrets.token }), 400, 'INVALID_CODE');
    await verify({ code: second.code }, me.token).expect(200);
    expectProblem(await resend(me.token), 409, 'CONFLICT');
    expectProblem(await resend(), 401, 'UNAUTHENTICATED');
  });

  it('when two resends race, then one email is sent and the other is 429', async () => {
    const me = await registered();
    await AccountCode.update({ createdAt: new Date(Date.now() - 61_000) }, { where: { UserId: me.id } });
    const statuses = (await Promise.all([resend(me.token), resend(me.token)])).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 429]);
    await backgroundSettled();
    expect(mail.to(me.email)).toHaveLength(2);
  });
});

describe('an email change', () => {
  it('when I change my email with PUT /user/credential, then it is unverified, the new address gets a verification and the old a notice', async () => {
    const me = await registered();
    await verify({ code: me.secrets.code }, me.token).expect(200);
    const newEmail = `${unique('moved_')}@example.com`;
    const res = await request(app)
      .put('/user/credential')
      .set('access_token', me.token)
      .send({ current_password: PASSWORD, email: newEmail })
      .expect(200);
    expect(res.body.user).toMatchObject({ email: newEmail, emailVerified: false });
    const notice = await mail.next(me.email);
    expect(notice.subject).toMatch(/email address was changed/);
    expect(notice.text).toContain(`@example.com`);
    expect(notice.text).not.toMatch(/Your code/);
    const { code } = secretsOf(await mail.next(newEmail));
    await verify({ code }, res.body.access_token).expect(200);
    expect((await User.findByPk(me.id))?.emailVerified).toBe(true);
  });

  it('when an admin changes a plain user’s email with PUT /user/:id, then the same happens; a code sent to the old address no longer verifies', async () => {
    const admin = await caller(app, { role: 'admin' });
    const target = await registered();
    const newEmail = `${unique('moved_')}@example.com`;
    const res = await admin.api.put(`/user/${target.id}`).send({ email: newEmail }).expect(200);
    expect(res.body.user).toMatchObject({ email: newEmail, emailVerified: false });
    expect((await mail.next(target.email)).subject).toMatch(/email address was changed/);
    const fresh = secretsOf(await mail.next(newEmail));
    expectProblem(await verify({ token: target.secrets.token }), 400, 'INVALID_CODE');
    await verify({ token: fresh.token }).expect(200);
  });

  it('when the profile changes but not the email, then it stays verified and no email is sent', async () => {
    const me = await registered();
    await verify({ code: me.secrets.code }, me.token).expect(200);
    await request(app).put(`/user/${me.id}`).set('access_token', me.token).send({ quotes: 'Drive on' }).expect(200);
    await backgroundSettled();
    expect((await User.findByPk(me.id))?.emailVerified).toBe(true);
    expect(mail.to(me.email)).toHaveLength(1);
  });
});

describe('the first superadmin', () => {
  it('when created from ADMIN_EMAIL, then its email is verified, and so is an existing account it takes over', async () => {
    const email = `${unique('boss_')}@example.com`;
    const created = await ensureSuperadmin({ email, password: 'admin-password-for-tests-1' });
    expect((await User.findByPk(created.userId))?.emailVerified).toBe(true);
    const { user } = await createUser();
    await ensureSuperadmin({ email: user.email, password: 'admin-password-for-tests-1' });
    expect((await User.findByPk(user.id))?.emailVerified).toBe(true);
  });
});
