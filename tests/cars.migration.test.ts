import { QueryTypes } from 'sequelize';
import { createMigrator } from '../src/db/migrate';
import { getSequelize } from '../src/db/sequelize';
import { createCar } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';

useFreshDatabase('catalogue_migration');
const MIGRATION = '20261205130000-catalogue-search.ts';

const columns = async () =>
  (
    await getSequelize().query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'Cars'`, {
      type: QueryTypes.SELECT,
    })
  )
    .map((r) => r.name)
    .sort();

describe('the catalogue search migration', () => {
  it('when undone and redone, then the cars stay and the models and version are rebuilt from them', async () => {
    const car = await createCar({ make: 'Škoda', model: 'Octavia RS', year: 2018, category: 'Wagon, Hatchback' });
    const migrator = createMigrator(getSequelize());
    await migrator.down({ migrations: [MIGRATION] });
    expect(await columns()).not.toContain('modelKey');
    const [{ n }] = await getSequelize().query<{ n: number }>(`SELECT count(*)::int AS n FROM "Cars" WHERE "id" = ${car.id}`, {
      type: QueryTypes.SELECT,
    });
    expect(n).toBe(1);
    await migrator.up({ migrations: [MIGRATION] });
    expect(await columns()).toEqual(expect.arrayContaining(['modelKey', 'categories']));
    const models = await getSequelize().query(`SELECT "searchText", "words" FROM "CarModels"`, { type: QueryTypes.SELECT });
    expect(models).toEqual([{ searchText: 'skoda octavia rs octaviars', words: ['skoda', 'octavia', 'rs'] }]);
    const [{ version }] = await getSequelize().query<{ version: string }>(`SELECT "version"::text AS version FROM "CatalogueVersion"`, {
      type: QueryTypes.SELECT,
    });
    expect(version).toBe('1');
  });
});
