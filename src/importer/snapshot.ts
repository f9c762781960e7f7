import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLED_DATA_DIR } from '../paths';

export const SNAPSHOT_FILE = path.join(BUNDLED_DATA_DIR, 'back4app-car-model-list.json');

/** The bundled copy of the Back4App dataset, in the shape Parse REST returns. */
export async function readSnapshot(file = SNAPSHOT_FILE): Promise<unknown[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { results?: unknown };
  if (!Array.isArray(parsed.results)) throw new Error(`${file} has no "results" array`);
  return parsed.results;
}
