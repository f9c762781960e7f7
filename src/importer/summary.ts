import type { ImportResult } from './index';

const SOURCE_NAMES: Record<ImportResult['source'], string> = { back4app: 'Back4App', snapshot: 'the bundled snapshot' };

/**
 * The end-of-import report for people, e.g.
 *
 *     Back4App could not be reached (...): imported the bundled snapshot instead.
 *     Car import finished (source: the bundled snapshot)
 *       fetched    9836
 *       inserted   9836
 *       updated       0
 *       unchanged     0
 *       skipped       0  (invalid rows)
 */
export function formatImportSummary(result: ImportResult): string {
  const counts: [string, number, string?][] = [
    ['fetched', result.fetched],
    ['inserted', result.inserted],
    ['updated', result.updated],
    ['unchanged', result.unchanged],
    ['skipped', result.skipped, '  (invalid rows)'],
  ];
  const width = Math.max(...counts.map(([, n]) => String(n).length));
  const lines = [
    ...(result.fallbackReason ? [`${result.fallbackReason}: imported the bundled snapshot instead.`] : []),
    `Car import finished (source: ${SOURCE_NAMES[result.source]})`,
    ...counts.map(([label, n, note]) => `  ${label.padEnd(10)}${String(n).padStart(width)}${note ?? ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
