import pino from 'pino';
import { config } from './config';

/** Paths whose values never reach a log line: credentials, tokens and hashes. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.access_token',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.current_password',
  '*.passwordHash',
  '*.refresh_token',
  '*.access_token',
  '*.token',
  '*.jwtSecret',
  '*.JWT_SECRET',
];

/** A logger with the app's redaction; tests pass a destination to read what would be logged. */
export function createLogger(level: string, destination?: pino.DestinationStream) {
  const options = {
    level,
    redact: { paths: redactPaths, censor: '[REDACTED]' },
    base: { service: 'car-community-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger(config.NODE_ENV === 'test' && !process.env.LOG_LEVEL ? 'silent' : config.LOG_LEVEL);

export type Logger = typeof logger;
