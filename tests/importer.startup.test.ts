import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Op } from 'sequelize';
import { importCatalogueAtStartup } from '../src/importer';
import { Car } from '../src/models';
import { carRows, FAKE_APP_ID, FAKE_CLASS, startFakeParseServer, type FakeParseServer } from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { recordingLog } from './helpers/recording-log';

useFreshDatabase('startup_import');
let server: FakeParseServer;

beforeAll(async () => {
  server = await startFakeParseServer();
});

afterAll(async () => {
  await server.close();
});

describe('importCatalogueAtStartup', () => {
  it('when Back4App rejects the keys (403), then the snapshot is imported anyway and the reason is logged', async () => {
    const prefix = unique('snap');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'snapshot-')), 'cars.json');
    writeFileSync(file, JSON.stringify({ results: carRows(prefix, 3) }));
    const recorder = recordingLog();
    const result = await importCatalogueAtStartup({
      log: recorder.log,
      snapshotFile: file,
      source: { baseUrl: server.url, className: FAKE_CLASS, appId: FAKE_APP_ID, key: 'wrong-key', keyHeader: 'X-Parse-Master-Key', timeoutMs: 2000 },
    });
    expect(result).toMatchObject({ source: 'snapshot', fetched: 3, inserted: 3 });
    expect(result.fallbackReason).toMatch(/BACK4APP_APP_ID/);
    expect(await Car.count({ where: { objectId: { [Op.startsWith]: prefix } } })).toBe(3);
    expect(recorder.messages()).toContain('importing from Back4App failed: importing the bundled snapshot instead');
  });
});
