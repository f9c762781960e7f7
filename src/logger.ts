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

export const logger = pino({
  level: config.NODE_ENV === 'test' && !process.env.LOG_LEVEL ? 'silent' : config.LOG_LEVEL,
  redact: { paths: redactPaths, censor: '[REDACTED]' },
  base: { service: 'car-community-api' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof logger;
