import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { loginAs } from './helpers/factories';
import { expectProblem } from './helpers/problem';

/** The app as it is built under another environment (the config module is read afresh). */
function appWithEnv(env: Record<string, string>): Express {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let app: Express | undefined;
    jest.isolateModules(() => {
      app = jest.requireActual<typeof import('../src/app')>('../src/app').createApp();
    });
    if (!app) throw new Error('createApp did not run');
    return app;
  } finally {
    process.env = saved;
  }
}

describe('security headers', () => {
  it('when any response is sent, then it has helmet headers and no X-Powered-By', async () => {
    const res = await request(createApp()).get('/healthz').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
  });

  it('when the body is just over 100 kB, then 413 problem; just under, it is parsed (and validated)', async () => {
    const app = createApp();
    const over = await request(app)
      .post('/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(101 * 1024) }));
    expectProblem(over, 413, 'PAYLOAD_TOO_LARGE');
    const under = await request(app)
      .post('/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', password: 'x', pad: 'y'.repeat(99 * 1024) }));
    expectProblem(under, 400, 'VALIDATION_ERROR');
  });
});

describe('requests that cannot be read', () => {
  it('when a path parameter is not valid percent-encoding, then 400 VALIDATION_ERROR on params, not 500', async () => {
    const app = createApp();
    const { accessToken } = await loginAs(app);
    const res = await request(app).get('/cars/%E0%A4%A').set('access_token', accessToken);
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.errors).toEqual([expect.objectContaining({ location: 'params' })]);
  });

  it('when a compressed body is corrupt, then 400 MALFORMED_JSON, not 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(createApp())
        .post('/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"email": "not really compressed"}');
      expectProblem(res, 400, 'MALFORMED_JSON');
    }
  });

  it('when the content encoding is unknown, then 415', async () => {
    const res = await request(createApp()).post('/login').set('Content-Type', 'application/json').set('Content-Encoding', 'x-custom').send('{}');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('CORS', () => {
  it('when CORS_ORIGINS is unset outside production, then any origin may call and read the exposed headers', async () => {
    const app = createApp();
    const res = await request(app).get('/healthz').set('Origin', 'https://anywhere.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const preflight = await request(app)
      .options('/cars')
      .set('Origin', 'https://anywhere.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'access_token');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('access_token');
  });

  it('when in production with a list, then only listed origins get CORS headers', async () => {
    const app = appWithEnv({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('hex'),
      CORS_ORIGINS: 'https://app.example',
    });
    const allowed = await request(app).get('/healthz').set('Origin', 'https://app.example').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await request(app).get('/healthz').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when in production without a list, then no origin gets CORS headers', async () => {
    const app = appWithEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(32).toString('hex'), CORS_ORIGINS: '' });
    const res = await request(app).get('/healthz').set('Origin', 'https://app.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
