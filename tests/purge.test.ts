import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import { RefreshToken, Session } from '../src/models';
import { startServer } from '../src/server';
import { PURGE_LOCK, purgeDeadTokens } from '../src/services/auth/token-purge.job';
import { loginAs } from './helpers/factories';
import { eventually } from './helpers/sockets';

const app = createApp();
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

interface Scene {
  live: { sessionId: string; refreshToken: string };
  dead: { sessions: string[]; rotated: number[] };
  kept: { sessions: string[]; rotated: number[] };
}

/** A logged-in user whose session refreshed three times, plus dead and recent rows around it. */
async function scene(): Promise<Scene> {
  const me = await loginAs(app);
  let token = me.refreshToken;
  for (let i = 0; i < 3; i += 1)
    token = (await request(app).post('/token/refresh').send({ refresh_token: token }).expect(200)).body.refresh_token as string;
  const session = await Session.findOne({ where: { UserId: me.user.id } });
  if (!session) throw new Error('no session');
  const rotated = await RefreshToken.findAll({ where: { SessionId: session.id }, order: [['id', 'ASC']] });
  // Two rotated long ago, one rotated recently (still kept for reuse detection).
  for (const row of rotated.slice(0, 2)) await row.update({ rotatedAt: ago(200) });
  const make = (fields: { expiresAt: Date; revokedAt: Date | null }) => Session.create({ id: randomUUID(), UserId: me.user.id, ...fields });
  const dead = await Promise.all([
    make({ expiresAt: ago(1), revokedAt: null }),
    make({ expiresAt: ago(5), revokedAt: null }),
    make({ expiresAt: ago(-100), revokedAt: ago(200) }),
  ]);
  const kept = await make({ expiresAt: ago(-100), revokedAt: ago(1) });
  return {
    live: { sessionId: session.id, refreshToken: token },
    dead: { sessions: dead.map((s) => s.id), rotated: rotated.slice(0, 2).map((r) => r.id) },
    kept: { sessions: [session.id, kept.id], rotated: rotated.slice(2).map((r) => r.id) },
  };
}

async function assertPurged(s: Scene): Promise<void> {
  expect(await Session.count({ where: { id: s.dead.sessions } })).toBe(0);
  expect(await RefreshToken.count({ where: { id: s.dead.rotated } })).toBe(0);
  expect(await Session.count({ where: { id: s.kept.sessions } })).toBe(2);
  expect(await RefreshToken.count({ where: { id: s.kept.rotated } })).toBe(s.kept.rotated.length);
}

describe('purge of dead sessions and rotated refresh tokens', () => {
  it('when it runs in small batches, then expired and long-revoked sessions and long-rotated tokens go; live ones keep working', async () => {
    const s = await scene();
    const result = await purgeDeadTokens({ batchSize: 1, rotatedAfterHours: 168 });
    expect(result.skipped).toBe(false);
    expect(result.sessions).toBeGreaterThanOrEqual(3);
    expect(result.refreshTokens).toBeGreaterThanOrEqual(2);
    await assertPurged(s);
    await request(app).post('/token/refresh').send({ refresh_token: s.live.refreshToken }).expect(200);
  });

  it('when another instance holds the purge lock, then this one deletes nothing', async () => {
    const s = await scene();
    const sequelize = getSequelize();
    const result = await sequelize.transaction(async (transaction) => {
      await sequelize.query('SELECT pg_advisory_xact_lock($1)', { bind: [PURGE_LOCK], transaction });
      return purgeDeadTokens({ batchSize: 10, rotatedAfterHours: 168 });
    });
    expect(result).toEqual({ sessions: 0, refreshTokens: 0, skipped: true });
    expect(await Session.count({ where: { id: s.dead.sessions } })).toBe(3);
    expect(await RefreshToken.count({ where: { id: s.dead.rotated } })).toBe(2);
  });

  it('when the server runs, then its timer purges without being asked', async () => {
    const s = await scene();
    const server = await startServer({ port: 0, host: '127.0.0.1', purgeIntervalMs: 200 });
    try {
      const gone = async () =>
        (await Session.count({ where: { id: s.dead.sessions } })) + (await RefreshToken.count({ where: { id: s.dead.rotated } }));
      await eventually(async () => (await gone()) === 0, 5000, 'the timer purging');
      await assertPurged(s);
    } finally {
      await server.stop();
    }
  });
});
