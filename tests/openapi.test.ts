import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import * as authSchemas from '../src/schemas/auth.schemas';
import { mountedRoutes, toOpenApiPath } from './helpers/routes';

const app = createApp();

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: {
    content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: boolean } }>;
  };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, string>>; responses: Record<string, { content: Record<string, unknown> }> };
};

const PUBLIC = [
  'POST /register',
  'POST /login',
  'POST /token/refresh',
  'GET /healthz',
  'GET /readyz',
  'GET /openapi.json',
  'GET /asyncapi.json',
  'GET /docs',
  'GET /metrics' /* its own METRICS_TOKEN bearer, not a user's */,
  'POST /password/forgot',
  'POST /password/reset',
  'GET /users/{id}/avatar',
];
/** Public with one body (the link's token), authenticated with another (a typed code). */
const OPTIONAL_AUTH = ['POST /email/verify'];

async function fetchDocument(): Promise<OpenApi> {
  const res = await request(app).get('/openapi.json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as OpenApi;
}

function operations(doc: OpenApi): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));
}

describe('GET /openapi.json', () => {
  it('when fetched, then it is a valid OpenAPI 3.1 document', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe('3.1.0');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
      const result = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
      expect(result.stdout).toContain('"valid": true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when compared with the routes mounted on the app, then every route is documented', async () => {
    const doc = await fetchDocument();
    const documented = new Set(operations(doc).map((o) => o.key));
    const mounted = mountedRoutes(app).map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect(mounted.length).toBeGreaterThan(10);
    const missing = mounted.filter((r) => !documented.has(r));
    expect({ 'mounted routes missing from the OpenAPI document (declare them in src/routes/)': missing }).toEqual({
      'mounted routes missing from the OpenAPI document (declare them in src/routes/)': [],
    });
  });

  it('when compared the other way, then it documents no route the app lacks', async () => {
    const doc = await fetchDocument();
    const mounted = new Set(mountedRoutes(app).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    const unmounted = operations(doc)
      .map((o) => o.key)
      .filter((k) => !mounted.has(k));
    expect({ 'documented routes the app does not mount': unmounted }).toEqual({ 'documented routes the app does not mount': [] });
  });

  it('when a request body is validated by a schema, then the document shows that same schema', async () => {
    const doc = await fetchDocument();
    const body = doc.paths['/register']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(Object.keys(authSchemas.register.body.shape).sort());
    expect(body?.required?.sort()).toEqual(['email', 'password', 'username']);
    expect(body?.additionalProperties).toBe(false);
    const query = doc.paths['/cars']?.get as unknown as { parameters: { name: string; in: string }[] };
    expect(query.parameters.map((p) => p.name).sort()).toEqual([
      'category',
      'limit',
      'make',
      'model',
      'page',
      'q',
      'sort',
      'year',
      'year_max',
      'year_min',
    ]);
    const facets = doc.paths['/cars/facets']?.get as unknown as { parameters: { name: string }[]; responses: Record<string, unknown> };
    expect(facets.parameters.map((p) => p.name).sort()).toEqual(['category', 'make', 'model', 'q', 'year', 'year_max', 'year_min']);
    expect(Object.keys(facets.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '401']));
  });

  it('when a route needs a token, then it lists both the access_token header and Bearer; public routes list none', async () => {
    const doc = await fetchDocument();
    expect(doc.components.securitySchemes.accessToken).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'access_token' }));
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    for (const { key, op } of operations(doc)) {
      if (PUBLIC.includes(key)) expect({ key, security: op.security }).toEqual({ key, security: undefined });
      else if (OPTIONAL_AUTH.includes(key))
        expect({ key, security: op.security }).toEqual({ key, security: [{}, { accessToken: [] }, { bearerAuth: [] }] });
      else expect({ key, security: op.security }).toEqual({ key, security: [{ accessToken: [] }, { bearerAuth: [] }] });
    }
  });

  it('when an operation can fail, then its errors are problem+json responses', async () => {
    const doc = await fetchDocument();
    for (const response of Object.values(doc.components.responses)) {
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    }
    for (const { key, op } of operations(doc)) {
      if (key === 'GET /openapi.json' || key === 'GET /asyncapi.json' || key === 'GET /docs') continue;
      const errorRefs = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect({ key, hasErrors: errorRefs.length > 0 }).toEqual({ key, hasErrors: true });
      for (const [, response] of errorRefs) expect(response.$ref).toMatch(/^#\/components\/responses\//);
      if (!PUBLIC.includes(key)) expect({ key, has401: '401' in op.responses }).toEqual({ key, has401: true });
    }
  });
});

describe('GET /docs', () => {
  it('when opened, then the Swagger UI page and every file it loads are served under the CSP', async () => {
    const page = await request(app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests'); // /docs must work over plain http on a LAN address
    // Inline scripts would be blocked by that policy: the page must have none.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-initializer.js']));
    for (const asset of assets) {
      const res = await request(app).get(asset);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      const type = asset.endsWith('.css') ? /^text\/css/ : asset.endsWith('.png') ? /^image\/png/ : /javascript/;
      expect(res.headers['content-type']).toMatch(type);
    }
    const init = await request(app).get('/docs/swagger-initializer.js');
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('when a file outside the Swagger UI assets is asked for, then 404', async () => {
    const res = await request(app).get('/docs/package.json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(app).get('/docs/..%2Fpackage.json').expect(404);
  });
});
