import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../src/app';
import { migrateUp } from '../src/db/migrate';
import { closeDatabase, getSequelize } from '../src/db/sequelize';
import { User } from '../src/models';
import { loginAs } from './helpers/factories';
import { expectProblem } from './helpers/problem';

/*
 * "The last superadmin" is a fact about the whole table, which other test files share,
 * so this file runs on a database of its own, migrated like the shared one. The models
 * bind to the first connection of the file, so the URL is switched before the per-file
 * setup connects (it connects lazily); the database is created before the first query.
 */
const mainUrl = process.env.DATABASE_URL ?? '';
const database = `auth_last_superadmin_${randomBytes(6).toString('hex')}`;
const ownUrl = new URL(mainUrl);
ownUrl.pathname = `/${database}`;
process.env.DATABASE_URL = ownUrl.toString();

async function onMainDatabase(sql: string): Promise<void> {
  const client = new Client({ connectionString: mainUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await onMainDatabase(`CREATE DATABASE "${database}"`);
  await migrateUp(getSequelize());
});

afterAll(async () => {
  await closeDatabase();
  process.env.DATABASE_URL = mainUrl;
  await onMainDatabase(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
});

const app = createApp();

describe('the last superadmin', () => {
  it('when the only superadmin tries to step down or delete themselves, then 409 and they stay; with a second one, they may', async () => {
    const only = await loginAs(app, { role: 'superadmin' });
    expect(await User.count({ where: { role: 'superadmin' } })).toBe(1);
    const demote = await request(app).patch(`/users/${only.user.id}/role`).set('access_token', only.accessToken).send({ role: 'admin' });
    expectProblem(demote, 409, 'CONFLICT');
    expectProblem(await request(app).delete(`/user/${only.user.id}`).set('access_token', only.accessToken), 409, 'CONFLICT');
    expect((await User.findByPk(only.user.id))?.role).toBe('superadmin');

    const second = await loginAs(app, { role: 'superadmin' });
    await request(app).patch(`/users/${only.user.id}/role`).set('access_token', only.accessToken).send({ role: 'admin' }).expect(200);
    expectProblem(await request(app).delete(`/user/${second.user.id}`).set('access_token', second.accessToken), 409, 'CONFLICT');
    await User.destroy({ where: { id: [only.user.id, second.user.id] } });
  });

  it('when two superadmins demote each other at the same moment, then exactly one succeeds and one superadmin remains', async () => {
    const a = await loginAs(app, { role: 'superadmin' });
    const b = await loginAs(app, { role: 'superadmin' });
    const results = await Promise.all([
      request(app).patch(`/users/${b.user.id}/role`).set('access_token', a.accessToken).send({ role: 'user' }),
      request(app).patch(`/users/${a.user.id}/role`).set('access_token', b.accessToken).send({ role: 'user' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await User.count({ where: { role: 'superadmin' } })).toBe(1);
  });
});
