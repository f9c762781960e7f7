import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../src/app';
import { Session } from '../src/models';
import { startServer } from '../src/server';
import { invalidationBusStatus } from '../src/services/auth/revocation.bus';
import { createCar, loginAs } from './helpers/factories';
import { ChildServer, tempDir } from './helpers/child-server';
import { eventually } from './helpers/sockets';

jest.setTimeout(90_000);

const app = createApp();
const shared = String(process.env.DATABASE_URL);
const otherName = `listen_elsewhere_${randomBytes(6).toString('hex')}`;
const elsewhere = new URL(shared);
elsewhere.pathname = `/${otherName}`;

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: shared });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  // A reachable database that is not the application's: NOTIFYs sent there never reach us.
  await onServer(`CREATE DATABASE "${otherName}"`);
});

afterAll(async () => {
  await onServer(`DROP DATABASE IF EXISTS "${otherName}" WITH (FORCE)`);
});

describe('DATABASE_LISTEN_URL', () => {
  it('when it names the same database by another URL, then the server listens there and revocations from other instances arrive', async () => {
    const direct = new URL(shared);
    direct.searchParams.set('application_name', 'direct-listen');
    const server = await startServer({ port: 0, host: '127.0.0.1', listenUrl: direct.toString() });
    try {
      const { backendPid } = invalidationBusStatus();
      const admin = new Client({ connectionString: shared });
      await admin.connect();
      const { rows } = await admin.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE pid = $1', [backendPid]);
      expect(rows[0]?.name).toBe('direct-listen'); // the URL's own setting: the LISTEN connection used it

      const me = await loginAs(app);
      await request(server.url).get('/user').set('access_token', me.accessToken).expect(200);
      const [session] = await Session.findAll({ where: { UserId: me.user.id } });
      await Session.update({ revokedAt: new Date() }, { where: { id: session.id } });
      await admin.query('SELECT pg_notify($1, $2)', ['car_community_invalidation', JSON.stringify({ origin: 'another', sessions: [session.id] })]);
      await admin.end();
      await eventually(
        async () => (await request(server.url).get('/user').set('access_token', me.accessToken)).status === 401,
        1000,
        'the revocation applied',
      );
    } finally {
      await server.stop();
    }
  });

  it('when it names a database where our NOTIFYs never arrive, then startServer refuses with a message naming the variable', async () => {
    await expect(startServer({ port: 0, host: '127.0.0.1', listenUrl: elsewhere.toString() })).rejects.toThrow(
      /LISTEN\/NOTIFY check failed: .*DATABASE_LISTEN_URL/,
    );
    expect(invalidationBusStatus().state).toBe('idle');
  });

  it('when the real server is started that way, then it exits 1 before listening, saying why', async () => {
    await createCar(); // a catalogue that is not empty: no import before the check
    const dataDir = tempDir('listen-url-');
    const child = new ChildServer({ DATABASE_URL: shared, DATABASE_LISTEN_URL: elsewhere.toString(), DATA_DIR: dataDir });
    try {
      const { code } = await child.exited;
      expect(code).toBe(1);
      const fatal = child.logs.find((l) => l.msg === 'failed to start');
      expect(JSON.stringify(fatal)).toMatch(/LISTEN\/NOTIFY check failed/);
      expect(child.logs.some((l) => l.msg === 'listening')).toBe(false);
    } finally {
      await child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
