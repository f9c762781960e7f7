import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { Session } from '../src/models';
import { loginAs, PASSWORD } from './helpers/factories';
import { expectInvalid, expectProblem } from './helpers/problem';
import { connect, disconnection, eventually, serverForThisFile } from './helpers/sockets';
import { sessionIdOf } from './helpers/tokens';

const app = createApp();
const server = serverForThisFile();

const me = (token: string) => request(app).get('/user').set('access_token', token);
const refresh = (token: string) => request(app).post('/token/refresh').send({ refresh_token: token });

/** A user logged in on three devices, oldest first. */
async function threeDevices() {
  const first = await loginAs(app);
  const login = (agent: string) => request(app).post('/login').set('User-Agent', agent).send({ email: first.email, password: PASSWORD }).expect(200);
  const phone = (await login('CarApp/2.1 (iPhone)')).body;
  const laptop = (await login('Mozilla/5.0 (X11; Linux x86_64)')).body;
  return { first, phone, laptop };
}

describe('GET /sessions', () => {
  it('when called without a token, then 401 (DELETE too)', async () => {
    expectProblem(await request(app).get('/sessions'), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).delete('/sessions'), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).delete(`/sessions/${randomUUID()}`), 401, 'UNAUTHENTICATED');
  });

  it('when I am logged in on three devices, then my live sessions newest first, the current one marked, with device and times', async () => {
    const { first, phone, laptop } = await threeDevices();
    await request(app).post('/logout').set('access_token', first.accessToken).expect(200);
    const res = await request(app).get('/sessions').set('access_token', phone.access_token).expect(200);
    expect(res.body).toEqual([
      {
        id: sessionIdOf(laptop.access_token),
        current: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        ip: expect.stringMatching(/127\.0\.0\.1$/),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
      {
        id: sessionIdOf(phone.access_token),
        current: true,
        userAgent: 'CarApp/2.1 (iPhone)',
        ip: expect.stringMatching(/127\.0\.0\.1$/),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    expect(new Date(res.body[1].lastUsedAt).getUTCSeconds()).toBe(0);
    expect(JSON.stringify(res.body)).not.toContain(phone.refresh_token);
  });

  it('when a session is used by a request or a refresh, then its lastUsedAt moves to this minute', async () => {
    const device = await loginAs(app);
    const id = sessionIdOf(device.accessToken);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const lastUsed = async () => (await Session.findByPk(id))?.lastUsedAt.getTime() ?? 0;
    await Session.update({ lastUsedAt: hourAgo }, { where: { id } });
    await me(device.accessToken).expect(200);
    await eventually(async () => (await lastUsed()) > Date.now() - 120_000, 5000, 'lastUsedAt after a request');

    await Session.update({ lastUsedAt: hourAgo }, { where: { id } });
    await refresh(device.refreshToken).expect(200);
    expect(await lastUsed()).toBeGreaterThan(Date.now() - 120_000);
  });
});

describe('DELETE /sessions/:id', () => {
  it('when it is another session of mine, then 200, its tokens stop working and its socket is disconnected at once', async () => {
    const { phone, laptop } = await threeDevices();
    const socket = await connect(server().url, { token: laptop.access_token });
    const gone = disconnection(socket);
    const res = await request(app)
      .delete(`/sessions/${sessionIdOf(laptop.access_token)}`)
      .set('access_token', phone.access_token)
      .expect(200);
    expect(res.body).toEqual({ message: 'success to revoke' });
    expect(await gone).toBe('io server disconnect');
    expectProblem(await me(laptop.access_token), 401, 'INVALID_TOKEN');
    expectProblem(await refresh(laptop.refresh_token), 401, 'INVALID_TOKEN');
    await me(phone.access_token).expect(200);
    const listed = await request(app).get('/sessions').set('access_token', phone.access_token).expect(200);
    expect(listed.body.map((s: { id: string }) => s.id)).not.toContain(sessionIdOf(laptop.access_token));
  });

  it("when it is someone else's, unknown or already revoked, then 404 and nothing changes; a malformed id is 400", async () => {
    const mine = await loginAs(app);
    const theirs = await loginAs(app);
    const del = (id: string) => request(app).delete(`/sessions/${id}`).set('access_token', mine.accessToken);
    expectProblem(await del(sessionIdOf(theirs.accessToken)), 404, 'NOT_FOUND');
    await me(theirs.accessToken).expect(200);
    expect((await Session.findByPk(sessionIdOf(theirs.accessToken)))?.revokedAt).toBeNull();
    expectProblem(await del(randomUUID()), 404, 'NOT_FOUND');
    expectInvalid(await del('42'), 'params', 'id');
  });

  it('when it is the current session, then it ends like a logout', async () => {
    const device = await loginAs(app);
    await request(app)
      .delete(`/sessions/${sessionIdOf(device.accessToken)}`)
      .set('access_token', device.accessToken)
      .expect(200);
    expectProblem(await me(device.accessToken), 401, 'INVALID_TOKEN');
  });
});

describe('DELETE /sessions', () => {
  it('when I have three sessions, then the two others are revoked and counted, their sockets disconnected, mine lives', async () => {
    const { first, phone, laptop } = await threeDevices();
    const socket = await connect(server().url, { token: first.accessToken });
    const gone = disconnection(socket);
    const mySocket = await connect(server().url, { token: phone.access_token });
    const res = await request(app).delete('/sessions').set('access_token', phone.access_token).expect(200);
    expect(res.body).toEqual({ revoked: 2 });
    expect(await gone).toBe('io server disconnect');
    expectProblem(await me(first.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await me(laptop.access_token), 401, 'INVALID_TOKEN');
    await me(phone.access_token).expect(200);
    expect(mySocket.connected).toBe(true);
    expect((await request(app).delete('/sessions').set('access_token', phone.access_token).expect(200)).body).toEqual({ revoked: 0 });
  });
});
