import { Op } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { RefreshToken, Session } from '../src/models';
import { loginAs } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { sessionIdOf } from './helpers/tokens';

const app = createApp();

const refresh = (token: string) => request(app).post('/token/refresh').send({ refresh_token: token });
const me = (token: string) => request(app).get('/user').set('access_token', token);

describe('refresh token reuse grace (REFRESH_REUSE_GRACE_SECONDS)', () => {
  it('defaults to 10 seconds', () => {
    expect(config.REFRESH_REUSE_GRACE_SECONDS).toBe(10);
  });

  it('when a client refreshes the same token 4 times in parallel, then all succeed with the same current refresh token', async () => {
    const device = await loginAs(app);
    const results = await Promise.all([1, 2, 3, 4].map(() => refresh(device.refreshToken)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const refreshTokens = new Set(results.map((r) => r.body.refresh_token as string));
    expect(refreshTokens.size).toBe(1);
    for (const r of results) await me(r.body.access_token).expect(200);
    expect((await Session.findByPk(sessionIdOf(device.accessToken)))?.revokedAt).toBeNull();
    expect(await RefreshToken.count({ where: { SessionId: sessionIdOf(device.accessToken), rotatedAt: null } })).toBe(1);
    const [current] = refreshTokens;
    await refresh(current ?? '').expect(200);
  });

  it('when a rotated token is replayed within the window after further rotations, then the answer is the session’s current token', async () => {
    const device = await loginAs(app);
    const second = (await refresh(device.refreshToken).expect(200)).body.refresh_token as string;
    const third = (await refresh(second).expect(200)).body.refresh_token as string;
    const replay = await refresh(device.refreshToken).expect(200);
    expect(replay.body.refresh_token).toBe(third);
    expect(sessionIdOf(replay.body.access_token)).toBe(sessionIdOf(device.accessToken));
    await refresh(third).expect(200);
  });

  it('when a rotated token is replayed after the window, then the whole session is revoked', async () => {
    const device = await loginAs(app);
    const second = (await refresh(device.refreshToken).expect(200)).body;
    const sessionId = sessionIdOf(device.accessToken);
    const past = new Date(Date.now() - (config.REFRESH_REUSE_GRACE_SECONDS + 1) * 1000);
    await RefreshToken.update({ rotatedAt: past }, { where: { SessionId: sessionId, rotatedAt: { [Op.ne]: null } } });
    expectProblem(await refresh(device.refreshToken), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(second.refresh_token), 401, 'INVALID_TOKEN');
    expectProblem(await me(second.access_token), 401, 'INVALID_TOKEN');
    expect((await Session.findByPk(sessionId))?.revokedAt).toBeInstanceOf(Date);
  });

  it('when the session was logged out, then even a replay within the window is refused', async () => {
    const device = await loginAs(app);
    const second = (await refresh(device.refreshToken).expect(200)).body;
    await request(app).post('/logout').set('access_token', second.access_token).expect(200);
    expectProblem(await refresh(device.refreshToken), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(second.refresh_token), 401, 'INVALID_TOKEN');
  });
});
