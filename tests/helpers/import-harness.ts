import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Op } from 'sequelize';
import { importCars, type ImportOptions } from '../../src/importer';
import type { ParseClientOptions } from '../../src/importer/parse-client';
import { Car } from '../../src/models';
import { FAKE_APP_ID, FAKE_CLASS, FAKE_MASTER_KEY, startFakeParseServer, type FakeParseServer, type ParseRow } from './fake-parse-server';
import { useFreshDatabase } from './fresh-database';
import { recordingLog } from './recording-log';

/** A fresh database and a fake Back4App on loopback for one test file, with the import driven against it. */
export interface ImportHarness {
  /** The fake Back4App (its requests, and failures queued with failNext/hangNext). */
  server(): FakeParseServer;
  /** Serves `rows` from the fake Back4App, forgetting earlier requests and pending failures. */
  serve(rows: ParseRow[]): void;
  runImport(options?: Partial<ImportOptions> & { source?: Partial<ParseClientOptions> }): {
    result: ReturnType<typeof importCars>;
    messages: () => string[];
  };
  storedCars(prefix: string): Promise<Car[]>;
  /** A snapshot file holding `rows`, as the bundled one would. */
  snapshotFileOf(rows: ParseRow[]): string;
}

export function useImportHarness(): ImportHarness {
  useFreshDatabase();
  let server: FakeParseServer | undefined;
  beforeAll(async () => {
    server = await startFakeParseServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const running = (): FakeParseServer => {
    if (!server) throw new Error('the fake Back4App is not started yet');
    return server;
  };
  const sourceOptions = (overrides: Partial<ParseClientOptions> = {}): Partial<ParseClientOptions> => ({
    baseUrl: running().url,
    className: FAKE_CLASS,
    appId: FAKE_APP_ID,
    key: FAKE_MASTER_KEY,
    keyHeader: 'X-Parse-Master-Key',
    timeoutMs: 2_000,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 2_000 },
    ...overrides,
  });
  return {
    server: running,
    serve(rows) {
      running().reset();
      running().rows = rows;
    },
    runImport(options = {}) {
      const recorder = recordingLog();
      const result = importCars({ mode: 'back4app', log: recorder.log, pageSize: 100, ...options, source: sourceOptions(options.source) });
      return { result, messages: recorder.messages };
    },
    storedCars: (prefix) => Car.findAll({ where: { objectId: { [Op.startsWith]: prefix } }, order: [['objectId', 'ASC']] }),
    snapshotFileOf(rows) {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'snapshot-')), 'cars.json');
      writeFileSync(file, JSON.stringify({ results: rows }));
      return file;
    },
  };
}
