import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Op, QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';
import { importCars, type ImportOptions } from '../src/importer';
import type { ParseClientOptions } from '../src/importer/parse-client';
import { Car } from '../src/models';
import {
  carRows,
  FAKE_APP_ID,
  FAKE_CLASS,
  FAKE_MASTER_KEY,
  FAKE_REST_KEY,
  startFakeParseServer,
  unreachableUrl,
  type FakeParseServer,
  type ParseRow,
} from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { recordingLog } from './helpers/recording-log';

useFreshDatabase();
let server: FakeParseServer;

beforeAll(async () => {
  server = await startFakeParseServer();
});

afterAll(async () => {
  await server.close();
});

function sourceOptions(overrides: Partial<ParseClientOptions> = {}): Partial<ParseClientOptions> {
  return {
    baseUrl: server.url,
    className: FAKE_CLASS,
    appId: FAKE_APP_ID,
    key: FAKE_MASTER_KEY,
    keyHeader: 'X-Parse-Master-Key',
    timeoutMs: 2_000,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 2_000 },
    ...overrides,
  };
}

/** Serves `rows` from the fake Back4App, forgetting earlier requests and pending failures. */
function serve(rows: ParseRow[]): void {
  server.reset();
  server.rows = rows;
}

function runImport(options: Partial<ImportOptions> & { source?: Partial<ParseClientOptions> } = {}) {
  const recorder = recordingLog();
  const result = importCars({ mode: 'back4app', log: recorder.log, pageSize: 100, ...options, source: sourceOptions(options.source) });
  return { result, messages: recorder.messages };
}

async function storedCars(prefix: string): Promise<Car[]> {
  return Car.findAll({ where: { objectId: { [Op.startsWith]: prefix } }, order: [['objectId', 'ASC']] });
}

function snapshotFileOf(rows: ParseRow[]): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'snapshot-')), 'cars.json');
  writeFileSync(file, JSON.stringify({ results: rows }));
  return file;
}

const shuffled = <T>(items: T[]): T[] => [...items].reverse();

describe('importCars from Back4App', () => {
  it('when the class spans several pages, then every page is fetched in objectId order and every row is stored as given', async () => {
    const prefix = unique('p');
    serve(shuffled(carRows(prefix, 250)));
    const { result, messages } = runImport();

    await expect(result).resolves.toEqual({ source: 'back4app', fetched: 250, inserted: 250, updated: 0, unchanged: 0, skipped: 0 });
    expect(server.requests.map((r) => [r.query.skip, r.query.limit, r.query.order, r.query.count])).toEqual([
      ['0', '100', 'objectId', '1'],
      ['100', '100', 'objectId', undefined],
      ['200', '100', 'objectId', undefined],
    ]);
    expect(
      server.requests.every((r) => r.headers['x-parse-application-id'] === FAKE_APP_ID && r.headers['x-parse-master-key'] === FAKE_MASTER_KEY),
    ).toBe(true);
    const cars = await storedCars(prefix);
    expect(cars.map((c) => c.objectId)).toEqual(carRows(prefix, 250).map((r) => r.objectId));
    expect(cars.slice(0, 6).map((c) => [c.make, c.model, c.year, c.category])).toEqual([
      ['Audi', 'Q3', 1990, 'SUV'],
      ['Chevrolet', 'Corvette', 1991, 'Coupe, Convertible'],
      ['Porsche', '911', 1992, 'Coupe'],
      ['MAZDA', 'MX-5 Miata', 1993, 'Convertible'],
      ['smart', 'fortwo', 1994, 'SUV1992'],
      ['Mercedes-Benz', 'GLE', 1995, 'SUV2020'],
    ]);
    expect(messages()).toEqual(expect.arrayContaining(['fetching 250 cars from Back4App', 'fetched 100 of 250 rows', 'fetched 250 of 250 rows']));
  });

  it('when the row count is an exact multiple of the page size, then the empty page after the last ends the import', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 200));
    const { result } = runImport();

    await expect(result).resolves.toMatchObject({ fetched: 200, inserted: 200 });
    expect(server.requests.map((r) => r.query.skip)).toEqual(['0', '100', '200']);
    expect(await storedCars(prefix)).toHaveLength(200);
  });

  it('when some rows lack a make or model or have a non-numeric year, then they are skipped, counted and never stored', async () => {
    const prefix = unique('p');
    const good = carRows(prefix, 4);
    const bad: ParseRow[] = [
      { objectId: `${prefix}x1`, Year: 2020, Model: 'No make', Category: 'SUV' },
      { objectId: `${prefix}x2`, Year: 2020, Make: '  ', Model: 'Blank make', Category: 'SUV' },
      { objectId: `${prefix}x3`, Year: 2020, Make: 'Audi', Category: 'SUV' },
      { objectId: `${prefix}x4`, Year: 'abc', Make: 'Audi', Model: 'A4', Category: 'Sedan' },
      { objectId: `${prefix}x5`, Year: null, Make: 'Audi', Model: 'A6', Category: 'Sedan' },
    ];
    serve([...good, ...bad]);
    const { result } = runImport({ pageSize: 3 });

    await expect(result).resolves.toEqual({ source: 'back4app', fetched: 9, inserted: 4, updated: 0, unchanged: 0, skipped: 5 });
    expect((await storedCars(prefix)).map((c) => c.objectId)).toEqual(good.map((r) => r.objectId));
  });

  it('when it runs a second time, then it inserts nothing and changes nothing', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 120));
    await runImport().result;
    const before = (await storedCars(prefix)).map((c) => c.toJSON());

    await expect(runImport().result).resolves.toEqual({ source: 'back4app', fetched: 120, inserted: 0, updated: 0, unchanged: 120, skipped: 0 });
    expect((await storedCars(prefix)).map((c) => c.toJSON())).toEqual(before);
  });

  it('when an import stores rows, then the planner statistics of Cars are refreshed; when it changes nothing, they are not', async () => {
    const manualAnalyses = async () =>
      (
        await getSequelize().query<{ count: number }>(`SELECT analyze_count::int AS count FROM pg_stat_user_tables WHERE relname = 'Cars'`, {
          type: QueryTypes.SELECT,
        })
      )[0]?.count ?? 0;
    const prefix = unique('p');
    serve(carRows(prefix, 40));
    const before = await manualAnalyses();
    await runImport().result;
    expect(await manualAnalyses()).toBe(before + 1);
    await expect(runImport().result).resolves.toMatchObject({ inserted: 0, updated: 0 });
    expect(await manualAnalyses()).toBe(before + 1);
  });

  it('when a row changed upstream, then the next run updates that row and only that row', async () => {
    const prefix = unique('p');
    const rows = carRows(prefix, 30);
    serve(rows);
    await runImport().result;
    const before = await storedCars(prefix);
    serve(rows.map((r, i) => (i === 7 ? { ...r, Model: 'Renamed', Category: 'Coupe, Convertible' } : r)));

    await expect(runImport().result).resolves.toEqual({ source: 'back4app', fetched: 30, inserted: 0, updated: 1, unchanged: 29, skipped: 0 });
    const after = await storedCars(prefix);
    expect([after[7]?.model, after[7]?.category]).toEqual(['Renamed', 'Coupe, Convertible']);
    expect(after.filter((c, i) => c.updatedAt.getTime() !== before[i]?.updatedAt.getTime()).map((c) => c.objectId)).toEqual([rows[7]?.objectId]);
  });

  it('when the REST API key is configured instead of the master key, then it is sent and accepted', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 3));
    const { result } = runImport({ source: { key: FAKE_REST_KEY, keyHeader: 'X-Parse-REST-API-Key' } });

    await expect(result).resolves.toMatchObject({ inserted: 3 });
    expect(server.requests[0]?.headers['x-parse-rest-api-key']).toBe(FAKE_REST_KEY);
  });
});

describe('importCars when Back4App misbehaves', () => {
  it('when Back4App answers 429 twice, then it waits (honouring Retry-After) and completes', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 150));
    server.failNext(429, 1, { retryAfter: '1', afterRequests: 1 });
    server.failNext(429, 1);
    const { result } = runImport();

    await expect(result).resolves.toMatchObject({ fetched: 150, inserted: 150 });
    expect(server.requests.map((r) => [r.status, r.query.skip])).toEqual([
      [200, '0'],
      [429, '100'],
      [429, '100'],
      [200, '100'],
    ]);
    const [, firstThrottle, secondTry] = server.requests;
    expect((secondTry?.at ?? 0) - (firstThrottle?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await storedCars(prefix)).toHaveLength(150);
  });

  it('when Back4App answers 500 once, then the request is retried and the import completes', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 5));
    server.failNext(500);

    await expect(runImport().result).resolves.toMatchObject({ fetched: 5, inserted: 5 });
    expect(server.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('when Back4App keeps answering 500 past the retries, then it fails without falling back and stores nothing', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 150));
    server.failNext(500, 10, { afterRequests: 1 });
    // (the failures left over when it gives up are forgotten by the next serve())
    const { result } = runImport({ mode: 'auto', snapshotFile: snapshotFileOf(carRows(unique('s'), 2)) });

    await expect(result).rejects.toThrow(/HTTP 500 \(Parse error 1: Internal server error\.\) .* after 4 attempts/);
    expect(server.requests.map((r) => r.status)).toEqual([200, 500, 500, 500, 500]);
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when the keys are refused with 403, then it stops at once naming the credential variables and stores nothing', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 5));
    const { result } = runImport({ mode: 'auto', source: { key: 'wrong-key' } });

    await expect(result).rejects.toMatchObject({
      name: 'ImportSourceError',
      failure: 'credentials',
      message: expect.stringMatching(/HTTP 403 \(unauthorized\).*BACK4APP_APP_ID and BACK4APP_MASTER_KEY \(or BACK4APP_REST_KEY\)/),
    });
    expect(server.requests).toHaveLength(1);
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when a later page is refused with 403, then the pages already fetched are not stored either', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 250));
    server.failNext(403, 1, { afterRequests: 1 });

    await expect(runImport().result).rejects.toMatchObject({ failure: 'credentials' });
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it("when Back4App rejects the query with another 4xx, then it fails at once with Parse's reason", async () => {
    serve(carRows(unique('p'), 5));
    server.failNext(400, 1, { body: { code: 102, error: 'Invalid key name: Make' } });

    await expect(runImport().result).rejects.toThrow(/HTTP 400 \(Parse error 102: Invalid key name: Make\).*BACK4APP_URL and BACK4APP_CLASS/);
    expect(server.requests).toHaveLength(1);
  });

  it('when Back4App answers something other than Parse JSON, then it fails clearly', async () => {
    serve(carRows(unique('p'), 5));
    server.failNext(200, 1, { body: { rows: [] } });

    await expect(runImport().result).rejects.toMatchObject({ failure: 'malformed' });
  });
});

describe('importCars falling back to the bundled snapshot', () => {
  it('when Back4App cannot be reached at all, then the auto mode imports the snapshot and says so', async () => {
    const prefix = unique('s');
    const { result, messages } = runImport({
      mode: 'auto',
      snapshotFile: snapshotFileOf(carRows(prefix, 7)),
      source: { baseUrl: await unreachableUrl() },
    });

    await expect(result).resolves.toEqual({
      source: 'snapshot',
      fallbackReason: expect.stringMatching(
        /^Back4App could not be reached at http:\/\/127\.0\.0\.1:\d+\/classes\/Car_Model_List \(ECONNREFUSED\) after 4 attempts$/,
      ),
      fetched: 7,
      inserted: 7,
      updated: 0,
      unchanged: 0,
      skipped: 0,
    });
    expect(messages()).toContain('Back4App cannot be reached: importing the bundled snapshot instead');
    expect(await storedCars(prefix)).toHaveLength(7);
  });

  it('when every attempt times out, then the auto mode falls back after the bounded retries', async () => {
    const prefix = unique('s');
    serve(carRows(unique('p'), 5));
    server.hangNext(3);
    const { result } = runImport({
      mode: 'auto',
      snapshotFile: snapshotFileOf(carRows(prefix, 2)),
      source: { timeoutMs: 200, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 50 } },
    });

    await expect(result).resolves.toMatchObject({
      source: 'snapshot',
      fallbackReason: expect.stringMatching(/ECONNABORTED\) after 3 attempts/),
      inserted: 2,
    });
    expect(server.requests).toHaveLength(3);
    expect(await storedCars(prefix)).toHaveLength(2);
  });

  it('when --source=back4app is asked and Back4App cannot be reached, then it fails and stores nothing', async () => {
    const prefix = unique('s');
    const { result } = runImport({ mode: 'back4app', snapshotFile: snapshotFileOf(carRows(prefix, 3)), source: { baseUrl: await unreachableUrl() } });

    await expect(result).rejects.toMatchObject({ failure: 'unreachable' });
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when offline, then only the snapshot is imported and Back4App is never called', async () => {
    const prefix = unique('s');
    serve([]);
    const { result } = runImport({ mode: 'offline', snapshotFile: snapshotFileOf(carRows(prefix, 4)) });

    await expect(result).resolves.toEqual({ source: 'snapshot', fetched: 4, inserted: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(server.requests).toHaveLength(0);
  });
});
