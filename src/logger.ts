import pino, { type DestinationStream, type LevelWithSilent, type LoggerOptions } from 'pino';
import { config } from './config';
import { redactSecrets } from './log-redaction';

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
    // Credentials are redacted by our formatter, not pino's `redact` (see log-redaction).
    // pino formats only what is logged, not a child logger's bindings: bind ids and
    // serializer output (pino-http's reqId and { method, url }), never whole objects.
    formatters: { log: redactSecrets },
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
