import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrateUp } from '../src/db/migrate';
import { createCar, createUser } from './helpers/factories';
import { call, ChildServer, tempDir } from './helpers/child-server';
import { holdLogin } from './helpers/held-request';

jest.setTimeout(120_000);

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('graceful shutdown', () => {
  let server: ChildServer | undefined;

  afterEach(async () => {
    await server?.kill();
    server = undefined;
  });

  it('when SIGTERM arrives during 20 in-flight requests, then all 20 complete, new connections are refused and the process exits 0', async () => {
    await createCar(); // a catalogue that is not empty: the server starts without importing
    // One account per request: the per-account login limiter counts requests while in flight.
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser()));
    const dataDir = tempDir('shutdown-data-');
    const running = new ChildServer({ DATABASE_URL: String(process.env.DATABASE_URL), DATA_DIR: dataDir });
    server = running;
    await running.ready();

    const held = await Promise.all(users.map(({ email, password }) => holdLogin(running.url, { email, password })));
    const signalledAt = Date.now();
    running.signal('SIGTERM');
    const closing = await running.waitFor((l) => l.msg === 'stopped accepting connections');
    expect(closing.inFlight).toBe(20);

    await expect(call(running.url, { path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
    const responses = await Promise.all(held.map((h) => h.finish()));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of responses) {
      expect(typeof r.body.access_token).toBe('string');
      expect(r.connection).toBe('close');
    }

    const { code } = await running.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(running.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(running.notJson).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the server started its own embedded PostgreSQL, then SIGTERM stops it too and nothing is left running', async () => {
    const root = tempDir('shutdown-pg-');
    const dir = path.join(root, 'pg');
    try {
      // Prepare the database the server will start by itself: migrated, with one car.
      const pg = await startEmbeddedPostgres({ dir });
      const sequelize = new Sequelize(pg.url, { logging: false });
      await migrateUp(sequelize);
      await sequelize.query(
        `INSERT INTO "Cars" ("objectId", make, model, year, category, "createdAt", "updatedAt") VALUES ('shutdown-car', 'Make', 'Model', 2020, 'Sedan', now(), now())`,
      );
      await sequelize.close();
      await pg.stop();

      const running = new ChildServer({ EMBEDDED_PG_DIR: dir, DATA_DIR: path.join(root, 'data') });
      server = running;
      await running.ready();
      await running.waitFor((l) => l.msg === 'embedded PostgreSQL started');
      const postmasterPid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(processAlive(postmasterPid)).toBe(true);
      expect((await call(running.url, { path: '/readyz' })).status).toBe(200);

      const signalledAt = Date.now();
      running.signal('SIGTERM');
      const { code } = await running.exited;
      expect(code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(15_000);
      expect(processAlive(postmasterPid)).toBe(false);
      expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
      expect(running.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['embedded PostgreSQL stopped', 'stopped']));
    } finally {
      await server?.kill();
      // Never leave a PostgreSQL behind, even when an assertion above failed.
      const pidFile = path.join(dir, 'postmaster.pid');
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
      rmSync(root, { recursive: true, force: true });
    }
  });
});
