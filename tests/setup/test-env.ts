import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Imported first by the global setup, before any module reads the configuration. */
export const TEST_TMP = mkdtempSync(path.join(os.tmpdir(), 'car-api-test-'));
// The embedded server runs as the `postgres` user when we are root: it must reach its data dir.
chmodSync(TEST_TMP, 0o755);
process.env.NODE_ENV = 'test';
process.env.DATA_DIR = path.join(TEST_TMP, 'data');
process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
process.env.BCRYPT_ROUNDS ??= '4';
process.env.PRESENCE_GRACE_MS ??= '300';
