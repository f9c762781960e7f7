import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createApp } from '../src/app';
import { createUser } from './helpers/factories';
import { mountedRoutes } from './helpers/routes';
import { forged, queryString, send, Tokens, type Auth, type FuzzRequest } from './helpers/fuzz-client';

jest.setTimeout(180_000);

const SEED = 20_261_121;
const BATCHES = 600;
const PER_BATCH = 10; // requests sent at once: 6,000 in all

const printable = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });
const pathSafe = (maxLength: number) => printable(maxLength).map((s) => s.replace(/[/?# ]/g, (c) => encodeURIComponent(c)));

const idSegment = fc.oneof(
  fc.integer({ min: -5, max: 3_000_000_000 }).map(String),
  fc.constantFrom(
    '0',
    '1',
    '01',
    '1e3',
    '2147483647',
    '2147483648',
    '99999999999999999999',
    '-1',
    '%201',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '..',
    'null',
    'NaN',
    '1.5',
    '0x10',
  ),
  pathSafe(40),
);

const FIELDS = [
  'username',
  'email',
  'password',
  'current_password',
  'address',
  'quotes',
  'refresh_token',
  'CarId',
  'role',
  'id',
  'text',
  '__proto__',
  'constructor',
];
const QUERY_KEYS = [
  'page',
  'limit',
  'q',
  'make',
  'model',
  'year',
  'category',
  'sort',
  'room',
  'before',
  'after',
  'status',
  'role',
  'page[]',
  'a[b]',
  '__proto__',
];

const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  printable(80),
  fc.emailAddress(),
  fc.integer(),
  fc.constantFrom(null, '', ' ', 'user', 'admin', 'superadmin', 'global', 'car:1', 'correct-horse-battery-staple', 'a'.repeat(600)),
);

const body = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 5 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: printable(200) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"a":',
      '[1,2',
      '"\\u12"',
      '{"email": "a@b.c", "email": 1}',
      ' '.repeat(10),
      `{"pad":"${'x'.repeat(120 * 1024)}"}`,
    ),
  },
);

const headerValue = printable(60).map((s) => s.trim());

/** `arbitrary`'s value `yes` times in `yes + no`, else undefined. */
function sometimes<T>(yes: number, no: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: yes, arbitrary }, { weight: no, arbitrary: fc.constant(undefined) });
}

/** A route of the app with its path parameters filled in, or a path that matches none. */
function requestArbitrary(routes: { method: string; path: string }[]): fc.Arbitrary<FuzzRequest> {
  const target = fc.oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(fc.constantFrom(...routes), fc.array(idSegment, { minLength: 3, maxLength: 3 })).map(([r, ids]) => ({
        method: r.method,
        path: r.path
          .split('/')
          .map((seg) => (seg.startsWith(':') ? (ids.pop() ?? '1') : seg))
          .join('/'),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.array(pathSafe(12), { minLength: 1, maxLength: 4 }))
        .map(([method, segs]) => ({ method, path: `/${segs.join('/')}` })),
    },
  );
  return fc
    .record({
      target,
      otherMethod: sometimes(1, 9, fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')),
      query: fc.oneof(
        fc.constant<[string, string][]>([]),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), printable(10)), fc.oneof(printable(30), fc.integer().map(String))), {
          minLength: 1,
          maxLength: 4,
        }),
      ),
      auth: fc.constantFrom<Auth>('none', 'user', 'user', 'user', 'bearer', 'admin', 'garbage', 'alg-none', 'wrong-key', 'expired', 'wrong-alg'),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'application/problem+json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
          ),
        },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      contentEncoding: sometimes(1, 19, fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown')),
      body: sometimes(1, 1, body),
      headers: fc.dictionary(
        fc.constantFrom('x-request-id', 'accept', 'x-forwarded-for', 'origin', 'if-none-match', 'range', 'accept-encoding'),
        headerValue,
        { maxKeys: 3 },
      ),
    })
    .map((r) => ({
      method: r.otherMethod ?? r.target.method,
      path: r.target.path,
      query: r.query,
      auth: r.auth,
      contentType: r.body === undefined && r.contentType === 'application/json' ? undefined : r.contentType,
      contentEncoding: r.contentEncoding,
      body: r.body,
      headers: r.headers,
    }));
}

describe('fuzzing every route', () => {
  const app = createApp();
  const server = http.createServer(app);
  // A loopback address of its own: the fuzz's failed logins and registrations are counted
  // against this IP, never against the 127.0.0.1 of the other test files.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: PER_BATCH,
    localAddress: `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`,
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('when thousands of random requests hit every route, then none gets a 5xx and every error is problem+json', async () => {
    const { port } = server.address() as AddressInfo;
    const users = { user: await createUser(), admin: await createUser({ role: 'admin' }) };
    const tokens = new Tokens(port, agent, users);
    const routes = mountedRoutes(app);
    const statuses = new Map<number, number>();
    const failures: string[] = [];

    const sendOne = async (r: FuzzRequest): Promise<void> => {
      // Admin tokens only read: the fuzz must not delete or demote other tests' users.
      const kind = r.auth === 'admin' && r.method === 'GET' ? 'admin' : 'user';
      const token = r.auth === 'user' || r.auth === 'bearer' || r.auth === 'admin' ? await tokens.get(kind) : forged(r.auth, users.user.user.id);
      const res = await send(port, agent, r, token).catch((err: Error) => ({ status: 0, contentType: '', body: `transport error: ${err.message}` }));
      if (res.status === 0) failures.push(`${r.method} ${r.path}: ${res.body}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const sent = JSON.stringify({ ...r, body: r.body?.slice(0, 80).toString() });
      const where = `${r.method} ${r.path}${queryString(r.query)} -> ${res.status} ${res.body.slice(0, 200)} (sent ${sent})`;
      if (res.status >= 500) failures.push(where);
      if (res.status >= 400 && !res.contentType.startsWith('application/problem+json')) failures.push(`not problem+json: ${where}`);
      if (res.status >= 400 && r.method !== 'HEAD' && !/"code":"[A-Z_]+"/.test(res.body)) failures.push(`no code: ${where}`);
      if (res.status === 401 && token && !forged(r.auth, 0)) tokens.forget(kind);
    };

    const run = fc.assert(
      fc.asyncProperty(fc.array(requestArbitrary(routes), { minLength: PER_BATCH, maxLength: PER_BATCH }), async (batch) => {
        await Promise.all(batch.map(sendOne));
        return failures.length === 0;
      }),
      { seed: SEED, numRuns: BATCHES, endOnFailure: true },
    );
    // On failure, show the offending requests themselves rather than fast-check's whole batch.
    await run.catch((err: unknown) => {
      if (failures.length === 0) throw err;
    });
    expect(failures).toEqual([]);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(BATCHES * PER_BATCH);
    // Not vacuous: the requests reached handlers, validation, auth and the body parser alike.
    for (const status of [200, 400, 401, 404, 413, 415]) expect({ status, seen: (statuses.get(status) ?? 0) > 0 }).toEqual({ status, seen: true });
  });
});
