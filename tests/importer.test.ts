import { QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';
import { carRows, FAKE_APP_ID, FAKE_MASTER_KEY, FAKE_REST_KEY, type ParseRow } from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useImportHarness } from './helpers/import-harness';

const { server, serve, runImport, storedCars } = useImportHarness();
const shuffled = <T>(items: T[]): T[] => [...items].reverse();

describe('importCars from Back4App', () => {
  it('when the class spans several pages, then every page is fetched in objectId order and every row is stored as given', async () => {
    const prefix = unique('p');
    serve(shuffled(carRows(prefix, 250)));
    const { result, messages } = runImport();

    await expect(result).resolves.toEqual({ source: 'back4app', fetched: 250, inserted: 250, updated: 0, unchanged: 0, skipped: 0 });
    expect(server().requests.map((r) => [r.query.skip, r.query.limit, r.query.order, r.query.count])).toEqual([
      ['0', '100', 'objectId', '1'],
      ['100', '100', 'objectId', undefined],
      ['200', '100', 'objectId', undefined],
    ]);
    expect(
      server().requests.every((r) => r.headers['x-parse-application-id'] === FAKE_APP_ID && r.headers['x-parse-master-key'] === FAKE_MASTER_KEY),
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
    expect(server().requests.map((r) => r.query.skip)).toEqual(['0', '100', '200']);
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
    expect(server().requests[0]?.headers['x-parse-rest-api-key']).toBe(FAKE_REST_KEY);
  });
});
