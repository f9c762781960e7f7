import pino, { type DestinationStream, type LevelWithSilent, type LoggerOptions } from 'pino';
import { config } from './config';

/**
 * Paths whose values never reach a log line: credentials, tokens, keys, hashes and SQL text,
 * at the top level of a logged object and one or two levels down (request bodies, errors).
 */
const SECRET_KEYS = [
  'password',
  'current_password',
  'passwordHash',
  'refresh_token',
  'refreshToken',
  'access_token',
  'accessToken',
  'token',
  'authorization',
  'cookie',
  'jwtSecret',
  'JWT_SECRET',
  'back4appKey',
  'ADMIN_PASSWORD',
  // Sequelize errors carry the failing SQL with its values inlined (hashes included).
  'sql',
  'parameters',
  'BACK4APP_MASTER_KEY',
  'BACK4APP_REST_KEY',
  '["x-parse-master-key"]',
  '["x-parse-rest-api-key"]',
  '["X-Parse-Master-Key"]',
  '["X-Parse-REST-API-Key"]',
];

const join = (prefix: string, key: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);

export const redactPaths = [
  ...SECRET_KEYS.filter((k) => !k.startsWith('[')),
  ...SECRET_KEYS.map((k) => join('*', k)),
  ...SECRET_KEYS.map((k) => join('*.*', k)),
  'res.headers["set-cookie"]',
  'err.config.headers["X-Parse-Master-Key"]',
  'err.config.headers["X-Parse-REST-API-Key"]',
];

export interface LoggerSettings {
  level?: LevelWithSilent;
  /** Human-readable lines (pino-pretty) instead of JSON; only when pino-pretty is installed. */
  pretty?: boolean;
}

function defaultLevel(): LevelWithSilent {
  return config.NODE_ENV === 'test' && !process.env.LOG_LEVEL ? 'silent' : config.LOG_LEVEL;
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * A pino logger writing JSON lines to `destination` (stdout by default). Tests pass their own
 * stream to read what was logged. In development, without a destination, lines go through
 * pino-pretty when it is installed (it is a devDependency).
 */
export function createLogger(destination?: DestinationStream, settings: LoggerSettings = {}) {
  const options: LoggerOptions = {
    level: settings.level ?? defaultLevel(),
    redact: { paths: redactPaths, censor: '[REDACTED]' },
    base: { service: 'car-community-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  const pretty = settings.pretty ?? (config.NODE_ENV === 'development' && prettyAvailable());
  if (pretty)
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,req,res,responseTime' } },
    });
  return pino(options);
}

export type Logger = ReturnType<typeof createLogger>;

export const logger: Logger = createLogger();

/** Writes out whatever the logger still buffers (a transport runs in a worker thread). */
export function flushLogger(log: Logger = logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
