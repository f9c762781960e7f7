import net from 'node:net';
import axios from 'axios';
import express from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { AppError } from '../src/errors';
import { errorHandler } from '../src/middleware/error-handler';
import { requestLogger } from '../src/middleware/request-logger';
import { unique } from './helpers/factories';
import { LogCapture, type LogLine } from './helpers/log-capture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INFO = 30;
const ERROR = 50;

const completed = (id: string) => (l: LogLine) => l.reqId === id && typeof l.responseTime === 'number';

describe('request ids', () => {
  it('when a request carries a valid X-Request-Id, then the response and every log line of it carry the same id', async () => {
    const logs = new LogCapture();
    const id = `client-${unique()}`;
    const res = await request(createApp({ logger: logs.logger }))
      .get('/cars')
      .set('X-Request-Id', id);
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe(id);
    await logs.waitFor(completed(id));
    const mine = logs.lines.filter((l) => l.reqId === id);
    expect(mine.map((l) => l.msg)).toEqual(['request rejected', expect.stringMatching(/^GET \/cars 401 \d+ms$/)]);
    expect(logs.lines.every((l) => typeof l.reqId === 'string')).toBe(true);
  });

  it('when there is no X-Request-Id or it is not a plain id, then a fresh UUID is used and logged', async () => {
    const logs = new LogCapture();
    const app = createApp({ logger: logs.logger });
    for (const incoming of [undefined, 'has spaces in it', 'x'.repeat(129), 'line\tbreak']) {
      const req = request(app).get('/healthz');
      const res = await (incoming === undefined ? req : req.set('X-Request-Id', incoming)).expect(200);
      const id = String(res.headers['x-request-id']);
      expect(id).toMatch(UUID);
      const line = await logs.waitFor(completed(id));
      expect(line).toMatchObject({ level: INFO, req: { method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
    }
  });

  it('when a request is logged, then the line has method, path, status and time but no query string and no headers', async () => {
    const logs = new LogCapture();
    const res = await request(createApp({ logger: logs.logger }))
      .get('/healthz?secret=value-in-query')
      .set('Cookie', 'session=cookie-value')
      .set('User-Agent', 'agent-value');
    expect(res.status).toBe(400);
    const line = await logs.waitFor(completed(String(res.headers['x-request-id'])));
    expect(line).toMatchObject({ req: { method: 'GET', url: '/healthz' }, res: { statusCode: 400 } });
    expect(Object.keys(line.req as object).sort()).toEqual(['method', 'url']);
    expect(Object.keys(line.res as object)).toEqual(['statusCode']);
    expect(logs.text.join('\n')).not.toMatch(/value-in-query|cookie-value|agent-value/);
  });
});

describe('secrets in logs', () => {
  it('when a user registers, logs in, calls with both token headers and fails a login, then no password or token is logged', async () => {
    const logs = new LogCapture();
    const app = createApp({ logger: logs.logger });
    const username = unique('log_');
    const password = `Pw-${unique()}-${unique()}`;
    const email = `${username}@example.com`;
    await request(app).post('/register').send({ username, email, password }).expect(201);
    const login = await request(app).post('/login').send({ email, password }).expect(200);
    const access = String(login.body.access_token);
    const refresh = String(login.body.refresh_token);
    await request(app).get('/user').set('access_token', access).expect(200);
    await request(app).get('/user').set('Authorization', `Bearer ${access}`).expect(200);
    await request(app)
      .post('/login')
      .send({ email, password: `${password}-wrong` })
      .expect(401);
    await request(app).post('/register').send({ username, email, password }).expect(409);
    await logs.waitFor((l) => Boolean(l.msg?.startsWith('POST /register 409')));

    const all = logs.text.join('\n');
    expect(logs.lines.length).toBeGreaterThanOrEqual(8);
    for (const secret of [password, access, refresh]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toContain(access.split('.')[2]);
  });

  it('when objects holding credentials are logged, then their values are redacted at any of the first three levels', async () => {
    const logs = new LogCapture();
    logs.logger.info(
      {
        password: 'top-secret-1',
        body: { password: 'top-secret-2', current_password: 'top-secret-3', refresh_token: 'top-secret-4' },
        req: { headers: { authorization: 'Bearer top-secret-5', access_token: 'top-secret-6', cookie: 'top-secret-7' } },
        user: { passwordHash: 'top-secret-8' },
        err: {
          config: { headers: { 'X-Parse-Master-Key': 'top-secret-9' } },
          sql: "UPDATE x SET h='top-secret-10'",
          parent: { sql: 'top-secret-11' },
        },
      },
      'credentials',
    );
    const line = await logs.waitFor((l) => l.msg === 'credentials');
    expect(JSON.stringify(line)).not.toMatch(/top-secret/);
    expect(line).toMatchObject({ password: '[REDACTED]', body: { password: '[REDACTED]' }, req: { headers: { authorization: '[REDACTED]' } } });
  });
});

describe('redaction of real objects', () => {
  /** A loopback port nothing listens on. */
  function closedPort(): Promise<number> {
    return new Promise((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
  }

  it('when real errors carrying SQL or an API key are logged, then type, message and stack stay, the secrets go, and the errors are untouched', async () => {
    const logs = new LogCapture();
    const dbError = await getSequelize()
      .query(`SELECT 'top-secret-sql' FROM "no_such_table_${unique()}"`)
      .catch((e: unknown) => e);
    const httpError = await axios
      .get(`http://127.0.0.1:${await closedPort()}/`, { headers: { 'X-Parse-Master-Key': 'top-secret-key' } })
      .catch((e: unknown) => e);
    logs.logger.error({ err: dbError }, 'db failed');
    logs.logger.error({ err: httpError, attempts: [{ token: 'top-secret-token' }] }, 'http failed');
    const db = await logs.waitFor((l) => l.msg === 'db failed');
    const http = await logs.waitFor((l) => l.msg === 'http failed');
    expect(logs.text.join('\n')).not.toMatch(/top-secret/);
    expect(db.err).toMatchObject({ type: 'DatabaseError', message: expect.stringContaining('does not exist'), sql: '[REDACTED]' });
    expect(String((db.err as { stack?: string }).stack)).toMatch(/\n\s+at /);
    // Its `request` would otherwise dump the raw request headers, the key among them.
    expect(http.err).toMatchObject({ type: 'AxiosError', code: 'ECONNREFUSED', request: '[Stream]', config: { method: 'get' } });
    expect(http.attempts).toEqual([{ token: '[REDACTED]' }]);
    expect((dbError as { sql?: string }).sql).toContain('top-secret-sql');
  });

  it('when a logged object holds no secret, then it is logged as it is', async () => {
    const logs = new LogCapture();
    const payload = { car: { id: 7, make: 'Audi', tags: ['a', 'b'], at: new Date(0) }, count: 2 };
    logs.logger.info(payload, 'plain');
    const line = await logs.waitFor((l) => l.msg === 'plain');
    expect(line).toMatchObject({ car: { id: 7, make: 'Audi', tags: ['a', 'b'], at: new Date(0).toISOString() }, count: 2 });
  });
});

describe('error logging', () => {
  /** A small app with the real request logger and error handler around a route that fails on purpose. */
  function failingApp(logs: LogCapture) {
    const app = express();
    app.use(requestLogger(logs.logger));
    app.get('/crash', () => {
      throw new Error('kaboom: internal detail');
    });
    app.get('/missing', () => {
      throw AppError.notFound('Nothing here');
    });
    app.use(errorHandler);
    return app;
  }

  it('when a request fails with a 5xx, then the error is logged once at error with its stack and the client sees no internals', async () => {
    const logs = new LogCapture();
    const res = await request(failingApp(logs)).get('/crash').expect(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(res.body)).not.toMatch(/kaboom|at .*\.ts/);
    const id = String(res.headers['x-request-id']);
    await logs.waitFor(completed(id));
    const mine = logs.lines.filter((l) => l.reqId === id);
    const withErr = mine.filter((l) => l.err);
    expect(withErr).toHaveLength(1);
    expect(withErr[0]).toMatchObject({ level: ERROR, code: 'INTERNAL', err: { message: 'kaboom: internal detail' } });
    expect(String((withErr[0]?.err as { stack?: string }).stack)).toMatch(/\n\s+at /);
    expect(mine.find((l) => l.msg === 'GET /crash 500')).toMatchObject({ level: ERROR, res: { statusCode: 500 } });
  });

  it('when a request fails with a 4xx, then it is logged at info with its code and no stack', async () => {
    const logs = new LogCapture();
    const res = await request(failingApp(logs)).get('/missing').expect(404);
    const id = String(res.headers['x-request-id']);
    await logs.waitFor(completed(id));
    const mine = logs.lines.filter((l) => l.reqId === id);
    expect(mine.map((l) => l.level)).toEqual([INFO, INFO]);
    expect(mine[0]).toMatchObject({ msg: 'request rejected', code: 'NOT_FOUND', status: 404 });
    expect(JSON.stringify(mine)).not.toMatch(/stack|"err"/);
  });
});
