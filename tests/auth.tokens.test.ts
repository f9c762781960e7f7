import { createHmac, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { loginAs } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { claimsOf } from './helpers/tokens';

const app = createApp();

type Claims = Record<string, unknown>;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs header.payload by hand, so nothing about the token is left to a library's defaults. */
function hs(header: Claims, payload: Claims, secret: string | Buffer, algorithm = 'sha256'): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac(algorithm, secret).update(body).digest('base64url')}`;
}

let genuine: string;
let claims: Claims;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  genuine = (await loginAs(app)).accessToken;
  claims = claimsOf(genuine);
});

const me = (token: string) => request(app).get('/user').set('access_token', token);

describe('access token verification', () => {
  it('when the genuine token is used, then 200 (the forgeries below differ from it in one way each)', async () => {
    await me(genuine).expect(200);
    await me(hs({ alg: 'HS256', typ: 'JWT' }, claims, config.jwtSecret)).expect(200);
  });

  it.each<[string, () => string]>([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['alg none with the original signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${genuine.split('.')[2]}`],
    ['HS512 with the right key', () => hs({ alg: 'HS512', typ: 'JWT' }, claims, config.jwtSecret, 'sha512')],
    ['re-signed with another key', () => hs({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(32))],
    [
      'an edited payload under the original signature',
      () => {
        const [header, , signature] = genuine.split('.');
        return `${header}.${b64({ ...claims, sub: String(Number(claims.sub) + 1) })}.${signature}`;
      },
    ],
    ['typ refresh', () => hs({ alg: 'HS256' }, { ...claims, typ: 'refresh' }, config.jwtSecret)],
    ['no typ', () => hs({ alg: 'HS256' }, { ...claims, typ: undefined }, config.jwtSecret)],
    ['a wrong issuer', () => hs({ alg: 'HS256' }, { ...claims, iss: 'someone-else' }, config.jwtSecret)],
    ['a wrong audience', () => hs({ alg: 'HS256' }, { ...claims, aud: 'another-api' }, config.jwtSecret)],
    ['no exp', () => hs({ alg: 'HS256' }, { ...claims, exp: undefined }, config.jwtSecret)],
    ['no sid', () => hs({ alg: 'HS256' }, { ...claims, sid: undefined }, config.jwtSecret)],
    ['another user as sub on this session', () => hs({ alg: 'HS256' }, { ...claims, sub: String(Number(claims.sub) + 1) }, config.jwtSecret)],
    ['an unknown session', () => hs({ alg: 'HS256' }, { ...claims, sid: '00000000-0000-4000-8000-000000000000' }, config.jwtSecret)],
    ['not a JWT at all', () => 'garbage.token.here'],
  ])('when the token has %s, then 401 INVALID_TOKEN', async (_label, forge) => {
    expectProblem(await me(forge()), 401, 'INVALID_TOKEN');
  });

  it('when the token is expired, then 401 TOKEN_EXPIRED', async () => {
    const expired = hs({ alg: 'HS256' }, { ...claims, iat: now() - 120, exp: now() - 60 }, config.jwtSecret);
    expectProblem(await me(expired), 401, 'TOKEN_EXPIRED');
  });

  it('when a token that was accepted reaches its exp, then the next request gets 401 TOKEN_EXPIRED', async () => {
    const shortLived = hs({ alg: 'HS256' }, { ...claims, iat: now(), exp: now() + 30 }, config.jwtSecret);
    await me(shortLived).expect(200);
    const later = Date.now() + 31_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      expectProblem(await me(shortLived), 401, 'TOKEN_EXPIRED');
    } finally {
      clock.mockRestore();
    }
    await me(genuine).expect(200);
  });

  it('when jsonwebtoken itself signs with the right key but without exp, then 401', async () => {
    const token = jwt.sign({ typ: 'access', sid: claims.sid }, config.jwtSecret, {
      algorithm: 'HS256',
      subject: String(claims.sub),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwtid: 'x',
    });
    expectProblem(await me(token), 401, 'INVALID_TOKEN');
  });

  it('when a refresh token is sent as an access token, or an access token to /token/refresh, then 401', async () => {
    const { refreshToken, accessToken } = await loginAs(app);
    expectProblem(await me(refreshToken), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).post('/token/refresh').send({ refresh_token: accessToken }), 401, 'INVALID_TOKEN');
  });
});
