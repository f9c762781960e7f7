import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARIABLES, loadConfig } from '../src/config';

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.join(process.env.DATA_DIR ?? '/tmp', 'config-test');
const STRONG = randomBytes(32).toString('base64');

function exampleValue(name: string): string | undefined {
  const line = readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1);
}

const production = (extra: NodeJS.ProcessEnv = {}) => ({ NODE_ENV: 'production', DATA_DIR, ...extra });

describe('configuration in production', () => {
  it('when JWT_SECRET is missing, then it refuses to start and names JWT_SECRET', () => {
    expect(() => loadConfig(production())).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    expect(() => loadConfig(production({ JWT_SECRET: '' }))).toThrow(/JWT_SECRET/);
  });

  it('when JWT_SECRET is under 32 bytes, then it refuses to start', () => {
    expect(() => loadConfig(production({ JWT_SECRET: 'x'.repeat(31) }))).toThrow(/JWT_SECRET: must be at least 32 bytes/);
  });

  it('when .env.example is copied as is, then no shared key is used: production refuses, development generates its own', () => {
    const example = exampleValue('JWT_SECRET');
    expect(example).toBe('');
    expect(() => loadConfig(production({ JWT_SECRET: example }))).toThrow(/JWT_SECRET: required/);
    const dev = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(DATA_DIR, 'fresh'), JWT_SECRET: example });
    expect(dev.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('when JWT_SECRET is the published example key, then it refuses to start in any environment', () => {
    const published = 'change-me-to-a-long-random-string-of-32-bytes-or-more';
    expect(() => loadConfig(production({ JWT_SECRET: published }))).toThrow(/JWT_SECRET: the published example value/);
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR, JWT_SECRET: published })).toThrow(/JWT_SECRET/);
  });

  it('when JWT_SECRET is strong, then it starts with a closed CORS policy unless origins are listed', () => {
    const config = loadConfig(production({ JWT_SECRET: STRONG }));
    expect(config).toMatchObject({ isProduction: true, jwtSecret: STRONG, corsOrigins: undefined });
    const listed = loadConfig(production({ JWT_SECRET: STRONG, CORS_ORIGINS: 'https://a.example, https://b.example:8443' }));
    expect(listed.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
  });

  it('when CORS_ORIGINS is * in production, then it refuses to start', () => {
    expect(() => loadConfig(production({ JWT_SECRET: STRONG, CORS_ORIGINS: 'https://a.example,*' }))).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR, CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });
});

describe('configuration values', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR });
    expect(config).toMatchObject({
      PORT: 3000,
      JWT_ISSUER: 'car-community',
      JWT_AUDIENCE: 'car-community-api',
      LOGIN_MAX_FAILURES: 10,
      LOGIN_WINDOW_MINUTES: 15,
      REGISTER_MAX_PER_HOUR: 20,
      accessTtlSeconds: 900,
      refreshTtlMs: 30 * 86_400_000,
      BCRYPT_ROUNDS: 10,
      SOCKET_ADAPTER: 'memory',
      PRESENCE_GRACE_MS: 5000,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      READY_TIMEOUT_MS: 1000,
      REFRESH_REUSE_GRACE_SECONDS: 10,
      APP_URL: 'http://localhost:3000',
      MAIL_FROM: 'Car Community <no-reply@localhost>',
      REQUIRE_VERIFIED_EMAIL: false,
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['SOCKET_ADAPTER', 'redis'],
    ['ACCESS_TOKEN_TTL', 'fifteen minutes'],
    ['BCRYPT_ROUNDS', '3'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['LOGIN_MAX_FAILURES', '0'],
    ['REFRESH_REUSE_GRACE_SECONDS', '-1'],
    ['APP_URL', 'example.com'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['REQUIRE_VERIFIED_EMAIL', 'yes'],
  ])('when %s is %j, then loading fails naming that variable', (name, value) => {
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR, [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('when the account variables are set, then they are parsed: grace 0 is off, APP_URL loses its trailing slash', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_DIR,
      REFRESH_REUSE_GRACE_SECONDS: '0',
      APP_URL: 'https://cars.example.com/',
      SMTP_URL: 'smtp://user:pass@smtp.example.com:587',
      REQUIRE_VERIFIED_EMAIL: 'true',
    });
    expect(config).toMatchObject({
      REFRESH_REUSE_GRACE_SECONDS: 0,
      APP_URL: 'https://cars.example.com',
      SMTP_URL: 'smtp://user:pass@smtp.example.com:587',
      REQUIRE_VERIFIED_EMAIL: true,
    });
  });

  it('when several values are wrong, then every one of them is named', () => {
    expect(() => loadConfig({ NODE_ENV: 'staging', PORT: '-1', DATA_DIR })).toThrow(/NODE_ENV: [\s\S]*PORT: /);
  });

  it('when the app boots with a wrong value, then it exits 1 with the variable named and no stack trace', () => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'development', DATA_DIR, PORT: 'eighty', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT: ');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('.env.example', () => {
  it('when read, then it documents every variable the configuration reads, each under a comment', () => {
    const lines = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
    const undocumented = ENV_VARIABLES.filter((name) => {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      return at < 1 || !lines[at - 1]?.startsWith('#');
    });
    expect(undocumented).toEqual([]);
    const extra = lines
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0] ?? '')
      .filter((n) => !ENV_VARIABLES.includes(n));
    expect(extra).toEqual([]);
  });

  it('when loaded as it is, then it is a valid development configuration', () => {
    const env = Object.fromEntries(
      readFileSync(path.join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig({ ...env, DATA_DIR })).not.toThrow();
  });
});
