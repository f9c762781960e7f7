import request from 'supertest';
import { createApp } from '../src/app';
import { AccountCode, Session, User } from '../src/models';
import { backgroundSettled } from '../src/services/operations/background.tasks';
import { comparePassword } from '../src/services/auth/password-hash.pool';
import { createUser, loginAs, PASSWORD, unique } from './helpers/factories';
import { LogCapture } from './helpers/log-capture';
import { MailCatcher, secretsOf } from './helpers/mail';
import { expectInvalid, expectProblem } from './helpers/problem';
import { connect, disconnection, serverForThisFile } from './helpers/sockets';
import { sessionIdOf } from './helpers/tokens';

const logs = new LogCapture();
const app = createApp({ logger: logs.logger });
const server = serverForThisFile();
let mail: MailCatcher;

beforeAll(async () => {
  mail = await MailCatcher.start();
});
afterAll(async () => {
  await backgroundSettled();
  await mail.stop();
});

const NEW_PASSWORD = 'gravel-road-sunset-77';
const ANSWER = { message: 'if the address is registered, a code has been sent' };

const forgot = (email: string, target = app) => request(target).post('/password/forgot').send({ email });
const reset = (body: Record<string, unknown>) => request(app).post('/password/reset').send(body);
const login = (email: string, password: string) => request(app).post('/login').send({ email, password });

async function resetMailFor(email: string) {
  await forgot(email).expect(202);
  return secretsOf(await mail.next(email));
}

describe('POST /password/forgot', () => {
  it('when the address is registered, then 202 and an email (text and HTML) with a 6-digit code and a link; only hashes are stored', async () => {
    const { user, email } = await createUser();
    const res = await forgot(email.toUpperCase()).expect(202);
    expect(res.body).toEqual(ANSWER);
    const received = await mail.next(email);
    const { code, token, link } = secretsOf(received);
    expect(received.subject).toMatch(/reset your password/);
    expect(received.html).toContain(code);
    expect(received.html).toContain(`/reset-password?token=${token}`);
    expect(link).toBe(`http://localhost:3000/reset-password?token=${token}`);
    const row = await AccountCode.findOne({ where: { UserId: user.id, purpose: 'password_reset' } });
    expect(row?.email).toBe(email);
    expect(JSON.stringify(row?.toJSON())).not.toContain(code);
    expect(JSON.stringify(row?.toJSON())).not.toContain(token);
    expect(JSON.stringify(res.body)).not.toContain(code);
    expect(logs.text.join('\n')).not.toContain(token);
  });

  it('when the address is not registered, then the same 202 and body, and no email is sent', async () => {
    const email = `${unique('nobody_')}@example.com`;
    const res = await forgot(email).expect(202);
    expect(res.body).toEqual(ANSWER);
    await backgroundSettled();
    expect(mail.to(email)).toEqual([]);
  });

  it('when over the per email+IP limit, then 429 with Retry-After for registered and unknown addresses alike', async () => {
    const limitedApp = createApp({ rateLimits: { loginMaxFailures: 2, namespace: unique('forgot') } });
    const { email } = await createUser();
    const nobody = `${unique('nobody_')}@example.com`;
    for (const address of [email, nobody]) {
      await forgot(address, limitedApp).expect(202);
      await forgot(address, limitedApp).expect(202);
      const refused = await forgot(address, limitedApp);
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    await backgroundSettled();
  });

  it('when the body is not an email, then 400', async () => {
    expectInvalid(await request(app).post('/password/forgot').send({ email: 'not-an-email' }), 'body', 'email');
    expectInvalid(await request(app).post('/password/forgot').send({ email: 'a@example.com', role: 'admin' }), 'body', 'role');
  });
});

describe('POST /password/reset', () => {
  it('when the emailed code is given, then 200, the new password works, every session is revoked and its socket disconnected', async () => {
    const device = await loginAs(app);
    const other = await login(device.email, PASSWORD).expect(200);
    const socket = await connect(server().url, { token: device.accessToken });
    const gone = disconnection(socket);
    const { code } = await resetMailFor(device.email);

    const res = await reset({ email: device.email, code, password: NEW_PASSWORD }).expect(200);
    expect(res.body).toEqual({ message: 'success to reset password' });

    expect(await gone).toBe('io server disconnect');
    expectProblem(await request(app).get('/user').set('access_token', device.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).get('/user').set('access_token', other.body.access_token), 401, 'INVALID_TOKEN');
    expect((await Session.findByPk(sessionIdOf(device.accessToken)))?.revokedAt).toBeInstanceOf(Date);
    expectProblem(await login(device.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    await login(device.email, NEW_PASSWORD).expect(200);
    const stored = await User.scope('withPassword').findByPk(device.user.id);
    expect(await comparePassword(NEW_PASSWORD, stored?.passwordHash ?? '')).toBe(true);
    expect(stored?.emailVerified).toBe(true);

    expectProblem(await reset({ email: device.email, code, password: 'another-fine-password-9' }), 400, 'INVALID_CODE');
  });

  it('when the link token is given, then 200 once; the token again is 400 INVALID_CODE', async () => {
    const { email } = await createUser();
    const { token } = await resetMailFor(email);
    await reset({ token, password: NEW_PASSWORD }).expect(200);
    await login(email, NEW_PASSWORD).expect(200);
    expectProblem(await reset({ token, password: 'another-fine-password-9' }), 400, 'INVALID_CODE');
  });

  it('when 5 wrong codes were tried, then the right one no longer works and the code is gone', async () => {
    const { user, email } = await createUser();
    const { code } = await resetMailFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expectProblem(await reset({ email, code: wrong, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    expectProblem(await reset({ email, code, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    expect(await AccountCode.count({ where: { UserId: user.id } })).toBe(0);
    await login(email, PASSWORD).expect(200);
  });

  it('when 4 wrong codes were tried, then the right one still works', async () => {
    const { email } = await createUser();
    const { code } = await resetMailFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) expectProblem(await reset({ email, code: wrong, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    await reset({ email, code, password: NEW_PASSWORD }).expect(200);
  });

  it('when a new code was requested, then the old code and link no longer work and the new ones do', async () => {
    const { email } = await createUser();
    const first = await resetMailFor(email);
    const second = await resetMailFor(email);
    expectProblem(await reset({ token: first.token, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    if (first.code !== second.code) expectProblem(await reset({ email, code: first.code, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    await reset({ email, code: second.code, password: NEW_PASSWORD }).expect(200);
  });

  it('when the code is past its 15 minutes, then 400 INVALID_CODE', async () => {
    const { user, email } = await createUser();
    const { code, token } = await resetMailFor(email);
    await AccountCode.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { UserId: user.id } });
    expectProblem(await reset({ token, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    expectProblem(await reset({ email, code, password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    await login(email, PASSWORD).expect(200);
  });

  it('when the new password breaks the rules, then 400 VALIDATION_ERROR and the code still works', async () => {
    const { user, email } = await createUser();
    const { code } = await resetMailFor(email);
    expectInvalid(await reset({ email, code, password: 'short' }), 'body', 'password');
    expectInvalid(await reset({ email, code, password: `${user.username}-is-me` }), 'body', 'password');
    await reset({ email, code, password: NEW_PASSWORD }).expect(200);
  });

  it('when the address is unknown or the body is malformed, then 400 with no hint about the account', async () => {
    expectProblem(await reset({ email: `${unique('nobody_')}@example.com`, code: '123456', password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    expectProblem(await reset({ token: 'x'.repeat(43), password: NEW_PASSWORD }), 400, 'INVALID_CODE');
    expectInvalid(await reset({ email: 'a@example.com', code: '12345', password: NEW_PASSWORD }), 'body', 'code');
    expectInvalid(await reset({ email: 'a@example.com', code: '123456', token: 'x'.repeat(43), password: NEW_PASSWORD }), 'body', 'token');
    expectInvalid(await reset({ password: NEW_PASSWORD }), 'body', 'email', 'code');
  });

  it('when wrong codes exceed the per-email budget, then 429 even with the right code', async () => {
    const limitedApp = createApp({ rateLimits: { loginMaxFailures: 2, namespace: unique('reset') } });
    const { email } = await createUser();
    const { code } = await resetMailFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const send = (c: string) => request(limitedApp).post('/password/reset').send({ email, code: c, password: NEW_PASSWORD });
    expectProblem(await send(wrong), 400, 'INVALID_CODE');
    expectProblem(await send(wrong), 400, 'INVALID_CODE');
    expectProblem(await send(code), 429, 'RATE_LIMITED');
  });
});
