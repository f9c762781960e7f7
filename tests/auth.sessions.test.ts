import { Op } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { RefreshToken, Session } from '../src/models';
import { loginAs, PASSWORD } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { sessionIdOf } from './helpers/tokens';

const app = createApp();

const me = (token: string) => request(app).get('/user').set('access_token', token);
const refresh = (token: string) => request(app).post('/token/refresh').send({ refresh_token: token });

describe('POST /token/refresh', () => {
  it('when a token is used, then it rotates: new tokens work and the used refresh token is spent', async () => {
    const { refreshToken, user } = await loginAs(app);
    const res = await refresh(refreshToken).expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: config.accessTtlSeconds, user: { id: user.id } });
    expect(res.body.refresh_token).not.toBe(refreshToken);
    await me(res.body.access_token).expect(200);
    expect(sessionIdOf(res.body.access_token)).toBe(sessionIdOf((await refresh(res.body.refresh_token).expect(200)).body.access_token));
  });

  it('when a session refreshed 3 times has its first token replayed, then the whole session is dead and other sessions live', async () => {
    const first = await loginAs(app);
    const other = await request(app).post('/login').send({ email: first.email, password: PASSWORD }).expect(200);
    let latest = { access: first.accessToken, refresh: first.refreshToken };
    for (let i = 0; i < 3; i += 1) {
      const res = await refresh(latest.refresh).expect(200);
      latest = { access: res.body.access_token, refresh: res.body.refresh_token };
    }
    await me(latest.access).expect(200);
    // Past REFRESH_REUSE_GRACE_SECONDS since its rotation (within it, a replay gets the current token: see accounts.refresh-grace).
    await RefreshToken.update(
      { rotatedAt: new Date(Date.now() - (config.REFRESH_REUSE_GRACE_SECONDS + 1) * 1000) },
      { where: { SessionId: sessionIdOf(first.accessToken), rotatedAt: { [Op.ne]: null } } },
    );

    expectProblem(await refresh(first.refreshToken), 401, 'INVALID_TOKEN');

    expectProblem(await refresh(latest.refresh), 401, 'INVALID_TOKEN');
    expectProblem(await me(latest.access), 401, 'INVALID_TOKEN');
    const revoked = await Session.findByPk(sessionIdOf(latest.access));
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    await me(other.body.access_token).expect(200);
    await refresh(other.body.refresh_token).expect(200);
    expect((await Session.findByPk(sessionIdOf(other.body.access_token)))?.revokedAt).toBeNull();
  });

  it('when the refresh token is unknown or missing, then 401 or 400', async () => {
    expectProblem(await refresh('not-a-token-we-issued'), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).post('/token/refresh').send({}), 400, 'VALIDATION_ERROR');
  });
});

describe.each(['post', 'delete'] as const)('%s /logout', (method) => {
  const logout = (token: string) => request(app)[method]('/logout').set('access_token', token);

  it('when called without a body, then that access token and its refresh token are 401 at once; other sessions live', async () => {
    const device = await loginAs(app);
    const other = await request(app).post('/login').send({ email: device.email, password: PASSWORD }).expect(200);
    // Two requests first, so the session's state is cached: logout must drop it.
    await me(device.accessToken).expect(200);
    await me(device.accessToken).expect(200);

    const res = await logout(device.accessToken).expect(200);
    expect(res.body).toEqual({ message: 'success to logout' });

    expectProblem(await me(device.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(device.refreshToken), 401, 'INVALID_TOKEN');
    expect((await Session.findByPk(sessionIdOf(device.accessToken)))?.revokedAt).toBeInstanceOf(Date);
    await me(other.body.access_token).expect(200);
  });

  it("when the body names another refresh token of mine, then that session ends too; someone else's is ignored", async () => {
    const device = await loginAs(app);
    const second = await request(app).post('/login').send({ email: device.email, password: PASSWORD }).expect(200);
    const stranger = await loginAs(app);

    await request(app)[method]('/logout').set('access_token', device.accessToken).send({ refresh_token: second.body.refresh_token }).expect(200);
    expectProblem(await me(second.body.access_token), 401, 'INVALID_TOKEN');

    const third = await request(app).post('/login').send({ email: device.email, password: PASSWORD }).expect(200);
    await request(app)[method]('/logout').set('access_token', third.body.access_token).send({ refresh_token: stranger.refreshToken }).expect(200);
    await me(stranger.accessToken).expect(200);
    await refresh(stranger.refreshToken).expect(200);
  });

  it('when there is no token or the body has unknown fields, then 401 or 400', async () => {
    expectProblem(await request(app)[method]('/logout'), 401, 'UNAUTHENTICATED');
    const device = await loginAs(app);
    expectProblem(await request(app)[method]('/logout').set('access_token', device.accessToken).send({ everywhere: true }), 400, 'VALIDATION_ERROR');
    await me(device.accessToken).expect(200);
  });
});

describe('the per-request revocation check', () => {
  it('when another instance revokes a session (straight in the database), then this one refuses its token within AUTH_CACHE_TTL_MS', async () => {
    const device = await loginAs(app);
    await me(device.accessToken).expect(200);
    await Session.update({ revokedAt: new Date() }, { where: { id: sessionIdOf(device.accessToken) } });
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < config.AUTH_CACHE_TTL_MS + 1000) {
      status = (await me(device.accessToken)).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(config.AUTH_CACHE_TTL_MS + 1000);
  });
});
