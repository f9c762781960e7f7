import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const WRONG = 'definitely-not-it-9';

function loginFrom(app: ReturnType<typeof createApp>, email: string, password: string, forwardedFor?: string) {
  const req = request(app).post('/login');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ email, password });
}

function expectRateLimited(res: request.Response, windowSeconds: number): void {
  expectProblem(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('failed logins per email and IP', () => {
  it('when an email fails LOGIN_MAX_FAILURES times, then 429 with Retry-After even with the right password; other emails still log in', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 3, loginWindowMs: 60_000 } });
    const { email } = await createUser();
    const bystander = await createUser();
    for (let i = 0; i < 3; i += 1) expectProblem(await loginFrom(app, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectRateLimited(await loginFrom(app, email, PASSWORD), 60);
    expectRateLimited(await loginFrom(app, email.toUpperCase(), PASSWORD), 60);
    await loginFrom(app, bystander.email, PASSWORD).expect(200);
  });

  it('when the failures are for an unknown email, then they count alike', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 } });
    const email = `${unique('ghost_')}@example.com`;
    for (let i = 0; i < 2; i += 1) expectProblem(await loginFrom(app, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, WRONG), 429, 'RATE_LIMITED');
  });

  it('when requests are malformed (400) or succeed, then they do not count', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 } });
    const { email } = await createUser();
    for (let i = 0; i < 4; i += 1) {
      expectProblem(await request(app).post('/login').send({ email, password: PASSWORD, extra: i }), 400, 'VALIDATION_ERROR');
      await loginFrom(app, email, PASSWORD).expect(200);
    }
    expectProblem(await loginFrom(app, email, WRONG), 401, 'INVALID_CREDENTIALS');
    await loginFrom(app, email, PASSWORD).expect(200);
  });

  it('when the client sets X-Forwarded-For and TRUST_PROXY is unset, then the header does not reset the count', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 }, trustProxy: undefined });
    const { email } = await createUser();
    expectProblem(await loginFrom(app, email, WRONG, '203.0.113.1'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, WRONG, '203.0.113.2'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, PASSWORD, '203.0.113.3'), 429, 'RATE_LIMITED');
  });

  it('when TRUST_PROXY trusts the proxy in front, then each forwarded client has its own count', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 }, trustProxy: 'loopback' });
    const { email } = await createUser();
    expectProblem(await loginFrom(app, email, WRONG, '203.0.113.1'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, WRONG, '203.0.113.1'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, PASSWORD, '203.0.113.1'), 429, 'RATE_LIMITED');
    await loginFrom(app, email, PASSWORD, '203.0.113.2').expect(200);
  });
});

describe('failed logins per IP', () => {
  it('when one IP fails 10 x LOGIN_MAX_FAILURES times across many emails, then every login from it is 429', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 1 } });
    const { email } = await createUser();
    for (let i = 0; i < 10; i += 1) {
      expectProblem(await loginFrom(app, `${unique('spray_')}@example.com`, WRONG), 401, 'INVALID_CREDENTIALS');
    }
    expectProblem(await loginFrom(app, email, PASSWORD), 429, 'RATE_LIMITED');
  });
});

describe('registrations per IP', () => {
  const register = (app: ReturnType<typeof createApp>, username = unique('rl_')) =>
    request(app)
      .post('/register')
      .send({ username, email: `${username}@example.com`, password: PASSWORD });

  it('when an IP registers REGISTER_MAX_PER_HOUR accounts, then the next is 429 and not stored; malformed bodies do not count', async () => {
    const app = createApp({ rateLimits: { registerMaxPerHour: 2 } });
    expectProblem(await request(app).post('/register').send({ username: 'x' }), 400, 'VALIDATION_ERROR');
    await register(app).expect(201);
    await register(app).expect(201);
    const username = unique('rl_');
    expectRateLimited(await register(app, username), 3600);
    expect(await User.count({ where: { username } })).toBe(0);
  });

  it('when a registration hits a taken email, then it counts as an attempt', async () => {
    const app = createApp({ rateLimits: { registerMaxPerHour: 1 } });
    const { user } = await createUser();
    expectProblem(await register(app, user.username), 409, 'CONFLICT');
    expectProblem(await register(app), 429, 'RATE_LIMITED');
  });
});
