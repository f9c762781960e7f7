import { parseArgs } from 'node:util';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../importer/fetch-all';
import type { ImportMode } from '../importer';

export const SEED_USAGE = `Usage: npm run seed [-- [--offline | --source=auto|back4app|snapshot] [--page-size=N]]

  (no flag)           Back4App; the bundled snapshot if Back4App cannot be reached at all
  --source=back4app   Back4App only: fail rather than fall back
  --offline           the bundled snapshot only (same as --source=snapshot)
  --page-size=N       rows per Back4App request, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})
  -h, --help          this text

ADMIN_EMAIL and ADMIN_PASSWORD, when set, create or update that superadmin too.
Exit codes: 0 done, 1 failed (nothing half-imported), 2 bad flags.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface SeedArgs {
  mode: ImportMode;
  pageSize: number;
  help: boolean;
}

const SOURCES: Record<string, ImportMode> = { auto: 'auto', back4app: 'back4app', snapshot: 'offline' };

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: { offline: { type: 'boolean' }, source: { type: 'string' }, 'page-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** `npm run seed` flags; anything unknown or contradictory is a UsageError. */
export function parseSeedArgs(argv: string[]): SeedArgs {
  const { offline, source, help, 'page-size': pageText } = parseFlags(argv);
  const sourceMode = source === undefined ? undefined : SOURCES[source];
  if (source !== undefined && !sourceMode) throw new UsageError(`--source must be auto, back4app or snapshot, not "${source}"`);
  if (offline && sourceMode && sourceMode !== 'offline') throw new UsageError(`--offline and --source=${source} contradict each other`);
  const pageSize = pageText === undefined ? DEFAULT_PAGE_SIZE : Number(pageText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new UsageError(`--page-size must be an integer from 1 to ${MAX_PAGE_SIZE}, not "${pageText}"`);
  }
  return { mode: offline ? 'offline' : (sourceMode ?? 'auto'), pageSize, help: help ?? false };
}
