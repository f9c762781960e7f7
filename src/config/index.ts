import 'dotenv/config';
import { z } from 'zod';
import { loadOrCreateDevSecret } from './dev-secret';

const EXAMPLE_SECRET = 'change-me-to-a-long-random-string-of-32-bytes-or-more';

const duration = z.string().regex(/^\d+(ms|s|m|h|d)?$/, 'a duration like 900, 15m, 12h or 30d');

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intFrom(3000),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('car-community'),
  JWT_AUDIENCE: z.string().min(1).default('car-community-api'),
  LOGIN_MAX_FAILURES: intFrom(10, 1),
  LOGIN_WINDOW_MINUTES: intFrom(15, 1),
  REGISTER_MAX_PER_HOUR: intFrom(20, 1),
  // Where the brute-force counters live: this process's memory, or the database (shared by instances).
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).default('memory'),
  // How long an instance may trust its cached session/user state (0 = look up every request).
  // Revocations made by this instance take effect at once; ones made by another instance
  // within this many milliseconds.
  AUTH_CACHE_TTL_MS: intFrom(2000),
  ACCESS_TOKEN_TTL: duration.default('15m'),
  REFRESH_TOKEN_TTL: duration.default('30d'),
  BCRYPT_ROUNDS: intFrom(10, 4).pipe(z.number().max(15)),
  CORS_ORIGINS: z
    .string()
    .regex(/^\s*(\*|https?:\/\/[^\s,/]+)(\s*,\s*(\*|https?:\/\/[^\s,/]+))*\s*$/, 'comma-separated origins like https://app.example.com, or *')
    .optional(),
  TRUST_PROXY: z.string().optional(),
  SOCKET_ADAPTER: z.enum(['memory', 'postgres']).default('memory'),
  PRESENCE_GRACE_MS: intFrom(5000),
  PRESENCE_HEARTBEAT_MS: intFrom(10000, 100),
  CHAT_RATE_LIMIT: intFrom(20, 1),
  CHAT_RATE_WINDOW_SECONDS: intFrom(10, 1),
  // How long a deleted message stays as a tombstone for catch-up before the hourly purge.
  CHAT_TOMBSTONE_RETENTION_HOURS: intFrom(168, 1),
  BACK4APP_URL: z.string().url().default('https://parseapi.back4app.com'),
  BACK4APP_APP_ID: z.string().default('hlhoNKjOvEhqzcVAJ1lxjicJLZNVv36GdbboZj3Z'),
  BACK4APP_MASTER_KEY: z.string().optional(),
  BACK4APP_REST_KEY: z.string().optional(),
  BACK4APP_CLASS: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('Car_Model_List'),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: intFrom(10, 1),
  DB_STATEMENT_TIMEOUT_MS: intFrom(5000, 100),
  DB_ACQUIRE_TIMEOUT_MS: intFrom(2000, 100),
  SHUTDOWN_TIMEOUT_MS: intFrom(10000, 0),
  READY_TIMEOUT_MS: intFrom(1000, 50),
  // Limits (docs/limits.md): one client cannot take the server down.
  HEADERS_TIMEOUT_MS: intFrom(10_000, 100),
  REQUEST_TIMEOUT_MS: intFrom(30_000, 100),
  KEEP_ALIVE_TIMEOUT_MS: intFrom(65_000, 100),
  MAX_CONNECTIONS: intFrom(10_000, 1),
  SOCKETS_PER_USER: intFrom(20, 1),
  SOCKETS_PER_IP: intFrom(500, 1),
  SOCKET_AUTH_TIMEOUT_MS: intFrom(5000, 100),
  SOCKET_EVENTS_PER_SECOND: intFrom(10, 1),
  SOCKET_MAX_ROOMS: intFrom(50, 1),
  SOCKET_MAX_BUFFERED_BYTES: intFrom(1_000_000, 1024),
  REFRESH_MAX_PER_MINUTE: intFrom(30, 1),
  PROFILE_UPDATES_PER_HOUR: intFrom(30, 1),
  REPORTS_PER_HOUR: intFrom(20, 1),
  PURGE_INTERVAL_MS: intFrom(3_600_000, 1000),
  PURGE_BATCH_SIZE: intFrom(1000, 1),
  PURGE_ROTATED_AFTER_HOURS: intFrom(168, 0),
  // Accounts (contract §6): a rotated refresh token replayed within this many seconds gets the
  // session's current one instead of revoking it (0 = off).
  REFRESH_REUSE_GRACE_SECONDS: intFrom(10),
  APP_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'an http(s) URL')
    .default('http://localhost:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Car Community <no-reply@localhost>'),
  REQUIRE_VERIFIED_EMAIL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // A direct (non-pooled) connection for LISTEN/NOTIFY; defaults to DATABASE_URL.
  DATABASE_LISTEN_URL: z.string().url().optional(),
  // Enables GET /metrics behind `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // After SIGTERM, keep serving this long (with /readyz 503) before stopping accepting.
  SHUTDOWN_DELAY_MS: intFrom(0, 0),
});

/** Every variable the configuration reads (`.env.example` documents each one). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export type Env = z.infer<typeof envSchema>;

/** Milliseconds in a duration string such as `15m` (a bare number is seconds). */
export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`Invalid duration ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's'] ?? 1000;
  return Number(match[1]) * unit;
}

function parseEnv(source: NodeJS.ProcessEnv): Env {
  // An empty variable means "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

function checkProductionCors(env: Env): void {
  if (env.NODE_ENV !== 'production' || !env.CORS_ORIGINS) return;
  if (env.CORS_ORIGINS.split(',').some((o) => o.trim() === '*')) {
    throw new Error('Invalid configuration:\n  CORS_ORIGINS: list the allowed origins in production, not *');
  }
}

/** Node refuses a header timeout longer than the whole-request one; say so by name at boot. */
function checkTimeouts(env: Env): void {
  if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
    throw new Error('Invalid configuration:\n  HEADERS_TIMEOUT_MS: must not be longer than REQUEST_TIMEOUT_MS');
  }
}

function resolveSecret(env: Env): string {
  if (env.JWT_SECRET) {
    // A published example key lets anyone forge tokens, in development as much as in production.
    if (env.JWT_SECRET === EXAMPLE_SECRET)
      throw new Error('Invalid configuration:\n  JWT_SECRET: the published example value must not be used; leave it empty outside production');
    if (env.NODE_ENV === 'production' && Buffer.byteLength(env.JWT_SECRET) < 32) {
      throw new Error('Invalid configuration:\n  JWT_SECRET: must be at least 32 bytes in production');
    }
    return env.JWT_SECRET;
  }
  if (env.NODE_ENV === 'production') throw new Error('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  return loadOrCreateDevSecret(env.DATA_DIR);
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const env = parseEnv(source);
  checkProductionCors(env);
  checkTimeouts(env);
  const accessTtlMs = durationMs(env.ACCESS_TOKEN_TTL);
  const refreshTtlMs = durationMs(env.REFRESH_TOKEN_TTL);
  return Object.freeze({
    ...env,
    isProduction: env.NODE_ENV === 'production',
    jwtSecret: resolveSecret(env),
    accessTtlSeconds: Math.max(1, Math.floor(accessTtlMs / 1000)),
    refreshTtlMs,
    back4appKey: env.BACK4APP_MASTER_KEY ?? env.BACK4APP_REST_KEY ?? 'SNMJJF0CZZhTPhLDIqGhTlUNV9r60M2Z5spyWfXW',
    back4appKeyHeader: env.BACK4APP_MASTER_KEY || !env.BACK4APP_REST_KEY ? 'X-Parse-Master-Key' : 'X-Parse-REST-API-Key',
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : undefined,
  });
}

export type Config = ReturnType<typeof loadConfig>;

/** A bad value stops the boot with one line per offending variable, not a stack trace. */
function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (process.env.NODE_ENV === 'test') throw err;
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

export const config: Config = loadConfigOrExit();
