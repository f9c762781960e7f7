import { importCars } from '../src/importer';
import { readSnapshot } from '../src/importer/snapshot';
import { logger } from '../src/logger';
import { Car } from '../src/models';
import { useFreshDatabase } from './helpers/fresh-database';

useFreshDatabase();

describe('importCars from the bundled snapshot', () => {
  it('when imported offline into an empty database, then all 9,836 rows are there with their objectIds, and a re-run changes nothing', async () => {
    const expectedIds = ((await readSnapshot()) as { objectId: string }[]).map((r) => r.objectId).sort();

    await expect(importCars({ mode: 'offline', log: logger })).resolves.toEqual({
      source: 'snapshot',
      fetched: 9836,
      inserted: 9836,
      updated: 0,
      unchanged: 0,
      skipped: 0,
    });
    const ids = (await Car.findAll({ attributes: ['objectId'] })).map((c) => c.objectId).sort();
    expect(ids).toHaveLength(9836);
    expect(ids).toEqual(expectedIds);
    const samples = await Car.findAll({ where: { objectId: ['ZRgPP9dBMm', 'LUzyWMYJpW', 'HPTe5REepK', 'PGFBTmE2L6'] } });
    expect(samples.map((c) => [c.objectId, c.make, c.model, c.year, c.category]).sort()).toEqual([
      ['HPTe5REepK', 'Porsche', '911', 2020, 'Convertible'],
      ['LUzyWMYJpW', 'Chevrolet', 'Corvette', 2020, 'Coupe, Convertible'],
      ['PGFBTmE2L6', 'Volvo', 'XC90', 2020, 'SUV1992'],
      ['ZRgPP9dBMm', 'Audi', 'Q3', 2020, 'SUV'],
    ]);

    await expect(importCars({ mode: 'offline', log: logger })).resolves.toMatchObject({ fetched: 9836, inserted: 0, updated: 0, unchanged: 9836 });
  });
});
