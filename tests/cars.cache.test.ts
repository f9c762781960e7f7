import { rmSync } from 'node:fs';
import { QueryTypes } from 'sequelize';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { importCars } from '../src/importer';
import { carRows, FAKE_APP_ID, FAKE_CLASS, FAKE_MASTER_KEY, startFakeParseServer, type FakeParseServer } from './helpers/fake-parse-server';
import { ChildServer, tempDir } from './helpers/child-server';
import { createCar, loginAs, type LoggedIn } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { as } from './helpers/http';
import { expectProblem } from './helpers/problem';
import { recordingLog } from './helpers/recording-log';

// Its own database: the catalogue version must change only when this file writes cars.
useFreshDatabase('cache_test');
const app = createApp();
let api: ReturnType<typeof as>;
let me: LoggedIn;
let back4app: FakeParseServer;
let carId: number;

beforeAll(async () => {
  me = await loginAs(app);
  api = as(app, me.accessToken);
  back4app = await startFakeParseServer();
  carId = (await createCar({ make: 'Porsche', model: '911', year: 2020, category: 'Coupe' })).id;
});

afterAll(async () => {
  await back4app.close();
});

/** Imports `rows` through the real importer from the fake Back4App. */
async function importFromBack4App(prefix: string, count: number) {
  back4app.reset();
  back4app.rows = carRows(prefix, count);
  return importCars({
    mode: 'back4app',
    log: recordingLog().log,
    pageSize: 100,
    source: {
      baseUrl: back4app.url,
      className: FAKE_CLASS,
      appId: FAKE_APP_ID,
      key: FAKE_MASTER_KEY,
      keyHeader: 'X-Parse-Master-Key',
      timeoutMs: 2_000,
      retry: { retries: 0, baseDelayMs: 5, maxDelayMs: 10 },
    },
  });
}

const ROUTES = () => ['/cars?make=porsche', `/cars/${carId}`, '/cars/facets?make=Porsche', '/cars?q=porsche%20911'];

describe('catalogue caching', () => {
  it.each([0, 1, 2, 3])('when route #%i is read, then an ETag and Cache-Control: private, max-age=60', async (i) => {
    const res = await api.get(ROUTES()[i] ?? '').expect(200);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
  });

  it('when If-None-Match holds the current ETag, then 304 with no body, for each catalogue route', async () => {
    for (const url of ROUTES()) {
      const first = await api.get(url).expect(200);
      const again = await api.get(url).set('If-None-Match', first.headers.etag);
      expect({ url, status: again.status, text: again.text }).toEqual({ url, status: 304, text: '' });
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe('private, max-age=60');
    }
  });

  it('when If-None-Match is a list or weak, then a match anywhere in it is a 304', async () => {
    const { etag } = (await api.get('/cars?make=porsche').expect(200)).headers;
    await api.get('/cars?make=porsche').set('If-None-Match', `"other", W/${etag}`).expect(304);
    await api.get('/cars?make=porsche').set('If-None-Match', '"something-else"').expect(200);
  });

  it('when two URLs are read, then their ETags differ', async () => {
    const a = await api.get('/cars?make=porsche').expect(200);
    const b = await api.get('/cars?make=porsche&limit=5').expect(200);
    expect(a.headers.etag).not.toBe(b.headers.etag);
    await api.get('/cars?make=porsche&limit=5').set('If-None-Match', a.headers.etag).expect(200);
  });

  it('when an import writes rows, then every ETag changes and totals, facets and searches show the new cars', async () => {
    const before = await Promise.all(ROUTES().map((url) => api.get(url).expect(200)));
    expect(before[0]?.headers['x-total-count']).toBe('1');
    const summary = await importFromBack4App('cacheA', 12);
    expect(summary.inserted).toBe(12);
    for (const [i, url] of ROUTES().entries()) {
      const res = await api.get(url).set('If-None-Match', before[i]?.headers.etag ?? '');
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.headers.etag).not.toBe(before[i]?.headers.etag);
    }
    // carRows has a Porsche 911 every sixth row: two more.
    expect((await api.get('/cars?make=porsche').expect(200)).headers['x-total-count']).toBe('3');
    expect((await api.get('/cars?q=porsche%20911').expect(200)).headers['x-total-count']).toBe('3');
    const facets = await api.get('/cars/facets?make=Porsche').expect(200);
    expect(facets.body.models).toEqual([{ value: '911', count: 3 }]);
    expect(facets.body.makes.map((m: { value: string }) => m.value)).toEqual(['Audi', 'Chevrolet', 'MAZDA', 'Mercedes-Benz', 'Porsche', 'smart']);
  });

  it('when an import changes nothing, then the ETags stay and 304 still answers', async () => {
    await importFromBack4App('cacheB', 6);
    const etags = await Promise.all(ROUTES().map(async (url) => (await api.get(url).expect(200)).headers.etag));
    const summary = await importFromBack4App('cacheB', 6);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    for (const [i, url] of ROUTES().entries())
      await api
        .get(url)
        .set('If-None-Match', etags[i] ?? '')
        .expect(304);
  });

  it('when a car is changed or deleted outside the importer, then the version moves too', async () => {
    const version = async () =>
      (await getSequelize().query<{ v: string }>('SELECT "version"::text AS v FROM "CatalogueVersion"', { type: QueryTypes.SELECT }))[0]?.v;
    const start = await version();
    await getSequelize().query(`UPDATE "Cars" SET "category" = 'Coupe, Convertible' WHERE "id" = ${carId}`);
    const afterUpdate = await version();
    expect(afterUpdate).not.toBe(start);
    expect((await api.get(`/cars/${carId}`).expect(200)).body.category).toBe('Coupe, Convertible');
    await getSequelize().query(`DELETE FROM "Cars" WHERE "id" = ${carId}`);
    expect(await version()).not.toBe(afterUpdate);
    expectProblem(await api.get(`/cars/${carId}`), 404, 'NOT_FOUND');
  });

  it('when a catalogue read fails, then the error carries no ETag or caching header', async () => {
    const res = await api.get('/cars/2147483647');
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).not.toBe('private, max-age=60');
    const bad = await api.get('/cars?year_min=2020&year_max=2019');
    expectProblem(bad, 400, 'VALIDATION_ERROR');
    expect(bad.headers.etag).toBeUndefined();
  });
});

describe('catalogue caching across instances', () => {
  let other: ChildServer;
  let token: string;
  const dataDir = tempDir('cache-instance');

  beforeAll(async () => {
    // A second API process on the same database, with its own in-memory caches.
    other = await new ChildServer({ DATABASE_URL: String(process.env.DATABASE_URL), DATA_DIR: dataDir }).ready();
    const login = await fetch(`${other.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: me.email, password: me.password }),
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await other.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when this instance imports rows, then the other one answers the new ETag and total at once', async () => {
    const read = (etag?: string) =>
      fetch(`${other.url}/cars?make=porsche`, { headers: { access_token: token, ...(etag ? { 'if-none-match': etag } : {}) } });
    const before = await read();
    const etag = before.headers.get('etag') ?? '';
    const total = Number(before.headers.get('x-total-count'));
    expect((await read(etag)).status).toBe(304);
    await importFromBack4App('cacheOther', 6);
    const after = await read(etag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(Number(after.headers.get('x-total-count'))).toBe(total + 1);
  });
});
