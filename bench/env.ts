import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Imported first by the runner, before any module of src/ reads the configuration:
 * the runner, the server and the reference server must share one JWT secret and the
 * same bcrypt cost, and nothing may touch the project's own `.data/`.
 */
export const BENCH_TMP = mkdtempSync(path.join(os.tmpdir(), 'car-api-bench-'));
// The embedded server runs as the `postgres` user when we are root: it must reach its data dir.
chmodSync(BENCH_TMP, 0o755);

process.env.NODE_ENV = 'production';
process.env.DATA_DIR = path.join(BENCH_TMP, 'data');
process.env.JWT_SECRET = randomBytes(48).toString('base64url');
process.env.LOG_LEVEL = 'warn';
/** The statement timeout of the servers the bench starts: the configured one, else the API's default. */
export const SERVER_STATEMENT_TIMEOUT_MS = process.env.DB_STATEMENT_TIMEOUT_MS || '5000';
// The scale scenario (H) generates and vacuums millions of rows from this process: its
// statements run longer than the API's own timeout (the servers get SERVER_STATEMENT_TIMEOUT_MS).
process.env.DB_STATEMENT_TIMEOUT_MS = '900000';
