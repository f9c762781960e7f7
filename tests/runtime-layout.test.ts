import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { call, ChildServer, tempDir } from './helpers/child-server';

jest.setTimeout(180_000);

// The same list the Dockerfile's last stage ships (scripts/runtime-layout.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const layout = require('../scripts/runtime-layout.js') as { RUNTIME_ENTRIES: string[] };

const ROOT = path.resolve(__dirname, '..');

async function onServer<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('the runtime layout (what the Docker image holds)', () => {
  const dir = tempDir('runtime-layout-');
  const shared = String(process.env.DATABASE_URL);
  const name = `layout_${randomBytes(6).toString('hex')}`;
  const url = new URL(shared);
  url.pathname = `/${name}`;
  let server: ChildServer | undefined;

  beforeAll(async () => {
    const assembled = spawnSync(process.execPath, ['scripts/runtime-layout.js', 'assemble', dir, '--deps=link'], { cwd: ROOT, encoding: 'utf8' });
    if (assembled.status !== 0) throw new Error(`assembling failed:\n${assembled.stdout}\n${assembled.stderr}`);
    // An empty database: the built server must migrate it and import the bundled snapshot itself.
    await onServer(shared, `CREATE DATABASE "${name}"`);
  });

  afterAll(async () => {
    await server?.kill();
    await onServer(shared, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when assembled, then it holds exactly package.json, the production node_modules and dist/, and nothing reads src/', () => {
    expect(readdirSync(dir).sort()).toEqual([...layout.RUNTIME_ENTRIES].sort());
    for (const devOnly of ['typescript', 'jest', 'ts-node', 'ts-jest', 'supertest', 'sequelize-cli'])
      expect(existsSync(path.join(dir, 'node_modules', devOnly))).toBe(false);
    for (const needed of ['express', 'piscina', 'bcryptjs', 'pg', 'prom-client'])
      expect(existsSync(path.join(dir, 'node_modules', needed))).toBe(true);
    const built = listFiles(path.join(dir, 'dist'));
    expect(built.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(built).toEqual(
      expect.arrayContaining([
        path.join('src', 'services', 'auth', 'password-hash.worker.js'),
        path.join('migrations', '20261121000001-create-users.js'),
      ]),
    );
  });

  it('when started from that layout on an empty database, then it migrates, imports the snapshot, and registers, logs in and lists cars', async () => {
    server = await new ChildServer(
      { DATABASE_URL: url.toString(), DATA_DIR: path.join(dir, '.data') },
      { cwd: dir, args: ['dist/src/index.js'] },
    ).ready(120_000);
    const running = server;
    const username = `layout_${randomBytes(3).toString('hex')}`;
    const email = `${username}@example.com`;

    const common = await call(running.url, { method: 'POST', path: '/register', body: { username, email, password: 'password123' } });
    expect(common.status).toBe(400); // the bundled common-password list was found in dist/

    const registered = await call(running.url, {
      method: 'POST',
      path: '/register',
      body: { username, email, password: 'a fine runtime passphrase' },
    });
    expect(registered.status).toBe(201);
    const login = await call(running.url, { method: 'POST', path: '/login', body: { email, password: 'a fine runtime passphrase' } });
    expect(login.status).toBe(200);
    const token = String(login.body.access_token);
    const cars = await call(running.url, { path: '/cars?limit=5', token });
    expect(cars.status).toBe(200);
    expect(JSON.stringify(cars.body)).toContain('make');

    const [carRows] = await onServer<{ n: string }>(url.toString(), 'SELECT count(*) AS n FROM "Cars"');
    expect(Number(carRows?.n)).toBeGreaterThan(9000); // the snapshot, read from dist/
    const users = await onServer<{ email: string }>(url.toString(), 'SELECT email FROM "Users"');
    expect(users.map((u) => u.email)).toEqual([email]);

    running.signal('SIGTERM');
    expect((await running.exited).code).toBe(0);
    expect(running.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
