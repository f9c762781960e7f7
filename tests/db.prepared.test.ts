import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { queryPrepared } from '../src/db/prepared';
import { getSequelize } from '../src/db/sequelize';
import { toAppError } from '../src/middleware/error-handler';
import { createCar, loginAs, unique } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const app = createApp();

describe('prepared statements on the shared pool', () => {
  it('when every pooled connection is taken, then car reads answer 503 with Retry-After, and 200 once one is free', async () => {
    const { accessToken } = await loginAs(app);
    const car = await createCar();
    const manager = getSequelize().connectionManager;
    // The hot reads borrow from Sequelize's pool (DB_POOL_MAX), so they wait for it like any query.
    const held = await Promise.all(Array.from({ length: config.DB_POOL_MAX }, () => manager.getConnection({ type: 'write' })));
    try {
      for (const url of [`/cars/${car.id}`, `/cars?make=${encodeURIComponent(car.make)}`]) {
        const res = await request(app).get(url).set('access_token', accessToken);
        expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
        expect(res.headers['retry-after']).toBe('5');
      }
    } finally {
      for (const connection of held) manager.releaseConnection(connection);
    }
    const again = await request(app).get(`/cars/${car.id}`).set('access_token', accessToken).expect(200);
    expect(again.body.id).toBe(car.id);
  });

  it('when PostgreSQL terminates the session running a statement, then that maps to 503 and the next statement runs', async () => {
    const marker = unique('terminated_');
    const running = queryPrepared(`SELECT pg_sleep(10), '${marker}' AS marker`, []).catch((err: unknown) => err);
    const sequelize = getSequelize();
    let terminated = false;
    for (let attempt = 0; attempt < 100 && !terminated; attempt += 1) {
      const rows = await sequelize.query<{ done: boolean }>(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
        { bind: [`%'${marker}'%`], type: QueryTypes.SELECT },
      );
      terminated = rows.some((r) => r.done);
    }
    expect(terminated).toBe(true);
    const err = await running;
    expect(toAppError(err)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    await expect(queryPrepared('SELECT 1 AS one', [])).resolves.toEqual([{ one: 1 }]);
  });

  it("when a prepared insert names a user that no longer exists, then it maps like Sequelize's: 401 INVALID_TOKEN", async () => {
    const err = await queryPrepared(
      `INSERT INTO "Messages" ("text", "room", "UserId", "createdAt", "updatedAt") VALUES ($1, 'global', $2, now(), now())`,
      ['orphan', 2147483000],
    ).catch((e: unknown) => e);
    expect(toAppError(err)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('when a statement itself fails, then that is a 500, not an outage, and the pool keeps serving', async () => {
    const err = await queryPrepared('SELECT 1 / 0 AS boom', []).catch((e: unknown) => e);
    expect(toAppError(err)).toMatchObject({ status: 500, code: 'INTERNAL' });
    await expect(queryPrepared('SELECT $1::int AS n', [7])).resolves.toEqual([{ n: 7 }]);
  });
});
