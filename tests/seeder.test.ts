import path from 'node:path';
import { Car } from '../src/models';
import { carRows, startFakeParseServer, unreachableUrl, type FakeParseServer } from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { PROJECT_ROOT, runProjectCommand, type CommandRun } from './helpers/run-command';

jest.setTimeout(120_000);

const fresh = useFreshDatabase('seeder_test');
let back4app: FakeParseServer;

beforeAll(async () => {
  back4app = await startFakeParseServer();
});

afterAll(async () => {
  await back4app.close();
});

/** `npx sequelize-cli <command>` in the project, as an operator runs it. */
function sequelizeCli(command: string, env: Record<string, string> = {}): Promise<CommandRun> {
  return runProjectCommand([path.join(PROJECT_ROOT, 'node_modules', 'sequelize-cli', 'lib', 'sequelize'), command], fresh.url, back4app.url, env);
}

describe('the Sequelize seeder (npx sequelize-cli db:seed:all)', () => {
  it('when run against Back4App, then it imports the catalogue like npm run seed, and a second run changes nothing', async () => {
    const prefix = unique('seed');
    back4app.rows = carRows(prefix, 25);

    const first = await sequelizeCli('db:seed:all');
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(first.stdout).toMatch(/20261205100001-car-catalogue/);
    expect(first.stdout).toMatch(/inserted\s*:?\s*25/i);
    expect(await Car.count()).toBe(25);
    const before = (await Car.findAll({ order: [['objectId', 'ASC']], raw: true })).map((c) => [c.objectId, c.make, c.model, c.year]);

    const second = await sequelizeCli('db:seed:all');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged\s*:?\s*25/i);
    const after = (await Car.findAll({ order: [['objectId', 'ASC']], raw: true })).map((c) => [c.objectId, c.make, c.model, c.year]);
    expect(after).toEqual(before);
    await Car.destroy({ where: {} });
  });

  it('when Back4App cannot be reached, then it imports the bundled snapshot, and db:seed:undo:all removes it', async () => {
    const seeded = await sequelizeCli('db:seed:all', { BACK4APP_URL: await unreachableUrl() });
    expect(seeded.code).toBe(0);
    expect(await Car.count()).toBeGreaterThan(9000);

    const undone = await sequelizeCli('db:seed:undo:all');
    expect(undone.code).toBe(0);
    expect(await Car.count()).toBe(0);
  });
});
