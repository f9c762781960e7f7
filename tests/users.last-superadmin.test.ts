import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import { loginAs } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { expectProblem } from './helpers/problem';

// "The last superadmin" is a fact about the whole Users table, which other files share.
useFreshDatabase('auth_last_superadmin');

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
