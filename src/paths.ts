import path from 'node:path';

/** The project root, whether running from `src/` (ts-node, jest) or from `dist/src/`. */
export const PROJECT_ROOT = path.resolve(__dirname, __filename.endsWith('.ts') ? '..' : path.join('..', '..'));

/** Bundled data files (car snapshot, common passwords); read from the source tree, never copied. */
export const BUNDLED_DATA_DIR = path.join(PROJECT_ROOT, 'src', 'data');

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, __filename.endsWith('.ts') ? '' : 'dist', 'migrations');
