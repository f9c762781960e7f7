import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { createLogger } from '../src/logger';
import { User } from '../src/models';
import { loginAs, unique } from './helpers/factories';

const USER_KEYS = ['address', 'avatarUrl', 'createdAt', 'email', 'emailVerified', 'id', 'quotes', 'role', 'updatedAt', 'username'];
const TOKEN_KEYS = ['access_token', 'expires_in', 'refresh_token', 'token_type', 'user'];

const logLines: string[] = [];
const app = createApp({ logger: createLogger({ write: (line: string) => void logLines.push(line) }, { level: 'trace' }) });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Exchange {
  label: string;
  body: unknown;
  /** Login, refresh and credential change hand out tokens; nothing else may. */
  issuesTokens: boolean;
}

describe('secrets in responses and logs', () => {
  it('when a user goes through every auth flow, then no response or log line holds a password, hash or token where it should not', async () => {
    const username = unique('sec_');
    const email = `${username}@example.com`;
    const passwords = ['first-secret-phrase-71', 'second-secret-phrase-72'];
    const tokens: string[] = [];
    const seen: Exchange[] = [];
    const keep = (label: string, res: request.Response, issuesTokens = false) => {
      seen.push({ label, body: res.body, issuesTokens });
      if (issuesTokens) tokens.push(res.body.access_token, res.body.refresh_token);
      return res;
    };

    keep('register', await request(app).post('/register').send({ username, email, password: passwords[0] }).expect(201));
    keep(
      'wrong login',
      await request(app)
        .post('/login')
        .send({ email, password: `${passwords[0]}x` })
        .expect(401),
    );
    const login = keep('login', await request(app).post('/login').send({ email, password: passwords[0] }).expect(200), true);
    const auth = { access_token: login.body.access_token as string };
    keep('me', await request(app).get('/user').set(auth).expect(200));
    keep('me bearer', await request(app).get('/user').set('Authorization', `Bearer ${auth.access_token}`).expect(200));
    const refreshed = keep('refresh', await request(app).post('/token/refresh').send({ refresh_token: login.body.refresh_token }).expect(200), true);
    // Within REFRESH_REUSE_GRACE_SECONDS a replay gets the session's current refresh token (contract §2).
    const replayed = keep(
      'replayed refresh',
      await request(app).post('/token/refresh').send({ refresh_token: login.body.refresh_token }).expect(200),
      true,
    );
    expect(replayed.body.refresh_token).toBe(refreshed.body.refresh_token);
    const second = keep('second login', await request(app).post('/login').send({ email, password: passwords[0] }).expect(200), true);
    const changed = keep(
      'credential',
      await request(app)
        .put('/user/credential')
        .set({ access_token: second.body.access_token })
        .send({ current_password: passwords[0], password: passwords[1] })
        .expect(200),
      true,
    );
    keep('revoked token', await request(app).get('/user').set({ access_token: refreshed.body.access_token }).expect(401));
    const admin = await loginAs(app, { role: 'admin' });
    tokens.push(admin.accessToken, admin.refreshToken);
    keep('admin list', await request(app).get(`/users?q=${username}`).set({ access_token: admin.accessToken }).expect(200));
    keep('admin view', await request(app).get(`/users/${login.body.user.id}`).set({ access_token: admin.accessToken }).expect(200));
    keep(
      'logout',
      await request(app)
        .post('/logout')
        .set({ access_token: changed.body.access_token })
        .send({ refresh_token: changed.body.refresh_token })
        .expect(200),
    );

    const stored = await User.scope('withPassword').findByPk(login.body.user.id as number);
    const hashes = [stored?.passwordHash ?? 'missing', ...tokens.map(sha256)];
    const secrets = [...passwords, ...hashes, ...tokens];

    for (const { label, body, issuesTokens } of seen) {
      const text = JSON.stringify(body);
      const allowed = issuesTokens ? [(body as { access_token: string }).access_token, (body as { refresh_token: string }).refresh_token] : [];
      const leaked = secrets.filter((s) => !allowed.includes(s) && text.includes(s));
      expect({ label, leaked }).toEqual({ label, leaked: [] });
      expect({ label, text: /passwordHash|\$2[aby]\$\d\d\$/.test(text) }).toEqual({ label, text: false });
      if (issuesTokens) expect(Object.keys(body as object).sort()).toEqual(expect.arrayContaining(TOKEN_KEYS));
      const user = (body as { user?: object }).user;
      if (user) expect({ label, keys: Object.keys(user).sort() }).toEqual({ label, keys: USER_KEYS });
    }

    const log = logLines.join('');
    expect(log).toContain('"/login"');
    expect(log).toContain('"/user/credential"');
    expect(secrets.filter((s) => log.includes(s))).toEqual([]);
    expect(log).not.toMatch(/\$2[aby]\$\d\d\$/);
  });
});
