import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { revokeAllSessions, revokeSession } from '../src/services/auth/session.service';
import { loginAs, type LoggedIn } from './helpers/factories';
import { serverForThisFile, connect, disconnection, refusal } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

function sessionOf(login: LoggedIn): string {
  const claims = jwt.decode(login.accessToken);
  if (typeof claims !== 'object' || claims === null || typeof claims.sid !== 'string') throw new Error('no sid in the token');
  return claims.sid;
}

/** A genuine access token of the login's session, with a chosen lifetime. */
function tokenExpiringIn(login: LoggedIn, seconds: number): string {
  return jwt.sign({ typ: 'access', sid: sessionOf(login) }, config.jwtSecret, {
    algorithm: 'HS256',
    subject: String(login.user.id),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    expiresIn: seconds,
    jwtid: 'test',
  });
}

describe('Socket.IO handshake', () => {
  it('when no token is given, then connect_error UNAUTHENTICATED', async () => {
    const err = await refusal(server().url);
    expect(err.message).toBe('UNAUTHENTICATED');
    expect(err.data).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
  });

  it('when the token is forged or not a string, then connect_error INVALID_TOKEN', async () => {
    const login = await loginAs(app);
    const forged = jwt.sign({ typ: 'access', sid: sessionOf(login) }, 'another-secret-of-enough-length-123456', {
      algorithm: 'HS256',
      subject: String(login.user.id),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: 60,
      jwtid: 'x',
    });
    expect((await refusal(server().url, { token: forged })).message).toBe('INVALID_TOKEN');
    expect((await refusal(server().url, { token: 'garbage' })).message).toBe('INVALID_TOKEN');
    expect((await refusal(server().url, { auth: { token: 42 } })).message).toBe('INVALID_TOKEN');
  });

  it('when the token has expired, then connect_error TOKEN_EXPIRED', async () => {
    const login = await loginAs(app);
    expect((await refusal(server().url, { token: tokenExpiringIn(login, -10) })).message).toBe('TOKEN_EXPIRED');
  });

  it('when the session was revoked, then connect_error INVALID_TOKEN', async () => {
    const login = await loginAs(app);
    await revokeSession(sessionOf(login));
    expect((await refusal(server().url, { token: login.accessToken })).message).toBe('INVALID_TOKEN');
  });

  it('when the token is only in the query string, then it is ignored: UNAUTHENTICATED', async () => {
    const login = await loginAs(app);
    const err = await refusal(server().url, { query: { token: login.accessToken, access_token: login.accessToken } });
    expect(err.message).toBe('UNAUTHENTICATED');
  });

  it('when the token is in auth.token, the access_token header or a Bearer header, then it connects', async () => {
    const login = await loginAs(app);
    const viaAuth = await connect(server().url, { token: login.accessToken });
    const viaHeader = await connect(server().url, { headers: { access_token: login.accessToken } });
    const viaBearer = await connect(server().url, { headers: { Authorization: `Bearer ${login.accessToken}` } });
    expect([viaAuth.connected, viaHeader.connected, viaBearer.connected]).toEqual([true, true, true]);
  });

  it('when auth.offset is not a message id, then connect_error VALIDATION_ERROR', async () => {
    const login = await loginAs(app);
    const err = await refusal(server().url, { token: login.accessToken, offset: 'yesterday' });
    expect(err.message).toBe('VALIDATION_ERROR');
  });
});

describe('Socket lifetime follows the token', () => {
  it('when the access token expires, then the server disconnects the socket', async () => {
    const login = await loginAs(app);
    const socket = await connect(server().url, { token: tokenExpiringIn(login, 2) });
    expect(await disconnection(socket, 5000)).toBe('io server disconnect');
  });

  it('when the session is revoked (logout), then its sockets are disconnected and another session of the user stays', async () => {
    const login = await loginAs(app);
    const otherDevice = await request(app).post('/login').send({ email: login.email, password: login.password }).expect(200);
    const tabA = await connect(server().url, { token: login.accessToken });
    const tabB = await connect(server().url, { token: login.accessToken });
    const bystander = await connect(server().url, { token: otherDevice.body.access_token as string });
    const closed = Promise.all([disconnection(tabA), disconnection(tabB)]);
    await revokeSession(sessionOf(login));
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    expect(bystander.connected).toBe(true);
    expect((await refusal(server().url, { token: login.accessToken })).message).toBe('INVALID_TOKEN');
  });

  it('when all sessions of a user are revoked (password change, deletion), then every socket of the user closes', async () => {
    const login = await loginAs(app);
    const socket = await connect(server().url, { token: login.accessToken });
    const closed = disconnection(socket);
    await revokeAllSessions(login.user.id);
    expect(await closed).toBe('io server disconnect');
  });
});
