import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../src/app';
import { errorHandler } from '../src/middleware/error-handler';
import { declaredEndpoints } from '../src/routes';
import { defineEndpoint, json, needsToken, type Endpoint } from '../src/routes/endpoint';
import { mountEndpoints } from '../src/routes/mount';
import { takeResponseMismatches } from '../src/routes/response-check';
import { rateLimitsFromConfig } from '../src/middleware/rate-limit';
import { caller } from './helpers/http';
import { expectProblem } from './helpers/problem';

const app = createApp();

/** A path with plausible values in its parameters: what validation would accept, so only access decides. */
function pathOf(endpoint: Endpoint): string {
  return endpoint.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const params = endpoint.request.params;
    return params?.safeParse({ [name]: '1' }).success === false ? randomUUID() : '1';
  });
}

function send(endpoint: Endpoint, headers: Record<string, string> = {}) {
  const test = request(app)[endpoint.method](pathOf(endpoint));
  for (const [name, value] of Object.entries(headers)) test.set(name, value);
  return test;
}

const label = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path}`;
const withToken = declaredEndpoints.filter((e) => needsToken(e.access));
const staffOnly = declaredEndpoints.filter((e) => e.access === 'admin' || e.access === 'superadmin');

describe('every declared endpoint', () => {
  it('when listed, then every kind of access is used and the lists are not empty', () => {
    expect(withToken.length).toBeGreaterThan(20);
    expect(staffOnly.map(label).sort()).toEqual(
      ['DELETE /users/:id/mute', 'GET /reports', 'GET /users', 'PATCH /reports/:id', 'PATCH /users/:id/role', 'POST /users/:id/mute'].sort(),
    );
    expect(declaredEndpoints.filter((e) => e.access === 'optional').map(label)).toEqual(['POST /email/verify']);
  });

  it.each(withToken.map((e) => [label(e), e] as const))(
    'when %s is called without a token or with a malformed one, then 401',
    async (_, endpoint) => {
      expectProblem(await send(endpoint), 401, 'UNAUTHENTICATED');
      expectProblem(await send(endpoint, { access_token: 'not-a-jwt' }), 401, 'INVALID_TOKEN');
      expectProblem(await send(endpoint, { authorization: 'Bearer not.a.jwt' }), 401, 'INVALID_TOKEN');
    },
  );

  it('when POST /email/verify has a typed code but no valid token, then 401', async () => {
    expectProblem(await request(app).post('/email/verify').send({ code: '123456' }), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).post('/email/verify').set('access_token', 'not-a-jwt').send({ code: '123456' }), 401, 'INVALID_TOKEN');
  });

  it('when a plain user calls an admin or superadmin endpoint, then 403 before any validation', async () => {
    const plain = await caller(app);
    for (const endpoint of staffOnly) {
      const res = await send(endpoint, { access_token: plain.accessToken });
      expect({ endpoint: label(endpoint), status: res.status }).toEqual({ endpoint: label(endpoint), status: 403 });
      expectProblem(res, 403, 'FORBIDDEN');
    }
  });

  it('when an admin calls a superadmin endpoint, then 403', async () => {
    const admin = await caller(app, { role: 'admin' });
    for (const endpoint of staffOnly.filter((e) => e.access === 'superadmin')) {
      expectProblem(await send(endpoint, { access_token: admin.accessToken }), 403, 'FORBIDDEN');
    }
  });

  it('when a path matches no endpoint outside a token-only area, then 404 problem+json without asking for a token', async () => {
    for (const path of ['/email/unknown', '/email/verify/unknown', '/password/unknown', '/garage', '/healthz/x']) {
      expectProblem(await request(app).get(path), 404, 'NOT_FOUND');
    }
  });

  it('when a path matches no endpoint inside a token-only area, then 401 without a token and 404 with one', async () => {
    const plain = await caller(app);
    for (const path of ['/cars/1/owners', '/socket/unknown', '/users/1/unknown', '/favorites/1/x', '/email/verify/resend/x']) {
      expectProblem(await request(app).get(path), 401, 'UNAUTHENTICATED');
      expectProblem(await plain.api.get(path), 404, 'NOT_FOUND');
    }
  });
});

describe('the response check (tests only)', () => {
  const lying = defineEndpoint({
    method: 'get',
    path: '/lying',
    access: 'public',
    tags: ['operations'],
    summary: 'Declares one shape and answers another',
    request: { query: z.object({ status: z.enum(['200', '201']).optional() }).strict() },
    responses: { 200: json(z.strictObject({ ok: z.boolean() }), 'A flag.') },
    handler: (_req, res, { query }) => {
      res.status(Number(query.status ?? 200)).json({ ok: true, passwordHash: 'leaked' });
    },
  });
  const small = express()
    .use(mountEndpoints([lying], rateLimitsFromConfig()))
    .use(errorHandler);

  it('when an answer has a field its schema does not declare, or a status the endpoint does not declare, then it is recorded', async () => {
    takeResponseMismatches();
    await request(small).get('/lying').expect(200);
    await request(small).get('/lying?status=201').expect(201);
    const mismatches = takeResponseMismatches();
    expect(mismatches).toEqual([
      expect.stringMatching(/GET \/lying .*does not match its declaration.*passwordHash/),
      expect.stringMatching(/GET \/lying\?status=201 .*answered 201, which it does not declare/),
    ]);
  });

  it('when an answer is an implied error (a 400 problem), then it is not a mismatch', async () => {
    await request(small).get('/lying?status=x').expect(400);
    expect(takeResponseMismatches()).toEqual([]);
  });
});
