import path from 'node:path';

/**
 * Everything the server reads at run time sits next to the code that reads it: in the
 * source tree under ts-node/jest (`src/`, `migrations/`), in the build under `dist/src/`
 * and `dist/migrations/` (`npm run build` copies the non-TypeScript files there, see
 * scripts/runtime-layout.js). Nothing here may point into `src/` from the build.
 */
const HERE = __dirname;

/** Bundled data files (car snapshot, common passwords). */
export const BUNDLED_DATA_DIR = path.join(HERE, 'data');

/** The compiled (or, under ts-node, source) migrations. */
export const MIGRATIONS_DIR = path.join(HERE, '..', 'migrations');

/** The password-hashing worker: plain CommonJS, so the same file runs from src/ and dist/. */
export const HASHER_WORKER_FILE = path.join(HERE, 'services', 'auth', 'password-hash.worker.js');

/** The checkout's root (bench and tooling only; the runtime layout has no source tree). */
export const PROJECT_ROOT = path.resolve(HERE, __filename.endsWith('.ts') ? '..' : path.join('..', '..'));
