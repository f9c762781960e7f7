import request from 'supertest';
import { createApp } from '../src/app';
import { Session, User } from '../src/models';
import { createUser, loginAs, PASSWORD, unique } from './helpers/factories';
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

describe('simultaneous logins', () => {
  const statuses = (responses: request.Response[]) => responses.map((r) => r.status).sort();

  it('when 15 correct logins to one account arrive at once with LOGIN_MAX_FAILURES=10, then all succeed, and failures still lock out at exactly the limit', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 10, loginWindowMs: 60_000 } });
    const { email, user } = await createUser();
    const logins = await Promise.all(Array.from({ length: 15 }, () => loginFrom(app, email, PASSWORD)));
    expect(statuses(logins)).toEqual(Array(15).fill(200));
    expect(await Session.count({ where: { UserId: user.id } })).toBe(15);
    for (let i = 0; i < 10; i += 1) expectProblem(await loginFrom(app, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectRateLimited(await loginFrom(app, email, PASSWORD), 60);
    expect(await Session.count({ where: { UserId: user.id } })).toBe(15);
  });

  it('when 15 wrong passwords for one account arrive at once, then exactly LOGIN_MAX_FAILURES are tried (401) and the rest are 429', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 10 } });
    const { email } = await createUser();
    const guesses = await Promise.all(Array.from({ length: 15 }, () => loginFrom(app, email, WRONG)));
    expect(statuses(guesses)).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    expectProblem(await loginFrom(app, email, PASSWORD), 429, 'RATE_LIMITED');
  });

  it('when wrong and right passwords for one account arrive at once within the limit, then every right one succeeds', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 4 } });
    const { email } = await createUser();
    const mixed = await Promise.all(Array.from({ length: 12 }, (_, i) => loginFrom(app, email, i % 4 === 0 ? WRONG : PASSWORD)));
    expect(statuses(mixed)).toEqual([...Array(9).fill(200), ...Array(3).fill(401)]);
    // 3 of 4 failures used: one more wrong guess is tried, the next is refused.
    expectProblem(await loginFrom(app, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectProblem(await loginFrom(app, email, PASSWORD), 429, 'RATE_LIMITED');
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

  it('when requests that do not count (400) arrive at once with valid ones, then the valid ones are not refused for them', async () => {
    const app = createApp({ rateLimits: { registerMaxPerHour: 2 } });
    const weak = Array.from({ length: 3 }, () => {
      const username = unique('rl_');
      return request(app)
        .post('/register')
        .send({ username, email: `${username}@example.com`, password: 'password' });
    });
    const usernames = [unique('rl_'), unique('rl_')];
    const responses = await Promise.all([...weak, ...usernames.map((username) => register(app, username))]);
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 201, 201]);
    expect(await User.count({ where: { username: usernames } })).toBe(2);
  });

  it('when more registrations than REGISTER_MAX_PER_HOUR arrive at once, then exactly that many are stored and the rest are 429', async () => {
    const app = createApp({ rateLimits: { registerMaxPerHour: 2 } });
    const usernames = Array.from({ length: 5 }, () => unique('rl_'));
    const responses = await Promise.all(usernames.map((username) => register(app, username)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429]);
    expect(await User.count({ where: { username: usernames } })).toBe(2);
  });

  it('when a registration hits a taken email, then it counts as an attempt', async () => {
    const app = createApp({ rateLimits: { registerMaxPerHour: 1 } });
    const { user } = await createUser();
    expectProblem(await register(app, user.username), 409, 'CONFLICT');
    expectProblem(await register(app), 429, 'RATE_LIMITED');
  });
});

describe('wrong current passwords on PUT /user/credential', () => {
  const changeCredential = (app: ReturnType<typeof createApp>, token: string, body: object) =>
    request(app).put('/user/credential').set('access_token', token).send(body);

  it('when several changes with the right current password are refused at once for another reason (400), then none is 429', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 } });
    const device = await loginAs(app);
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => changeCredential(app, device.accessToken, { current_password: PASSWORD, password: 'password' })),
    );
    for (const res of attempts) expectProblem(res, 400, 'VALIDATION_ERROR');
    await changeCredential(app, device.accessToken, { current_password: PASSWORD, password: 'a-brand-new-passphrase-7' }).expect(200);
  });

  it('when wrong current passwords arrive at once, then exactly LOGIN_MAX_FAILURES are tried and the rest are 429', async () => {
    const app = createApp({ rateLimits: { loginMaxFailures: 2 } });
    const device = await loginAs(app);
    const guesses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        changeCredential(app, device.accessToken, { current_password: `guess-${i}-wrong`, password: 'a-brand-new-passphrase-7' }),
      ),
    );
    expect(guesses.map((r) => r.status).sort()).toEqual([401, 401, 429, 429, 429]);
    await loginFrom(app, device.email, PASSWORD).expect(200);
  });
});
