import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import type { RateLimits } from '../src/middleware/rate-limit';
import { createUser, PASSWORD, unique } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const WRONG = 'definitely-not-it-9';

/** Two instances on the one database, as behind a load balancer; their own namespace keeps other tests' counts out. */
function twoInstances(limits: Partial<RateLimits>) {
  const shared = { store: 'postgres' as const, namespace: unique('rl'), ...limits };
  return { namespace: shared.namespace, a: createApp({ rateLimits: shared }), b: createApp({ rateLimits: shared }) };
}

const login = (app: ReturnType<typeof createApp>, email: string, password: string) => request(app).post('/login').send({ email, password });

async function storedPoints(namespace: string): Promise<{ key: string; points: number }[]> {
  return getSequelize().query<{ key: string; points: number }>('SELECT key, points FROM "RateLimits" WHERE key LIKE $1 ORDER BY key', {
    bind: [`${namespace}:%`],
    type: QueryTypes.SELECT,
  });
}

describe('brute-force counters in the database (RATE_LIMIT_STORE=postgres)', () => {
  it('when failures are spread over two instances, then together they reach the limit and both answer 429 even to the right password', async () => {
    const { a, b, namespace } = twoInstances({ loginMaxFailures: 2, loginWindowMs: 60_000 });
    const { email } = await createUser();
    expectProblem(await login(a, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(b, email, WRONG), 401, 'INVALID_CREDENTIALS');
    for (const app of [a, b]) {
      const res = await login(app, email, PASSWORD);
      expectProblem(res, 429, 'RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // One row per rule (the account's and the IP's), each holding the two failures.
    const rows = await storedPoints(namespace);
    expect(rows.map((r) => [r.key.split(':')[1], r.points])).toEqual([
      ['login-account', 2],
      ['login-ip', 2],
    ]);
  });

  it('when 15 correct logins to one account arrive at once on two instances, then all succeed and nothing is counted', async () => {
    const { a, b, namespace } = twoInstances({ loginMaxFailures: 10 });
    const { email } = await createUser();
    const logins = await Promise.all(Array.from({ length: 15 }, (_, i) => login(i % 2 ? a : b, email, PASSWORD)));
    expect(logins.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect(await storedPoints(namespace)).toEqual([]);
  });

  it('when an instance uses another namespace, then it does not see these counts', async () => {
    const { a } = twoInstances({ loginMaxFailures: 1 });
    const { b: elsewhere } = twoInstances({ loginMaxFailures: 1 });
    const { email } = await createUser();
    expectProblem(await login(a, email, WRONG), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(a, email, PASSWORD), 429, 'RATE_LIMITED');
    await login(elsewhere, email, PASSWORD).expect(200);
  });
});
