import { queryPrepared } from '../../db/prepared';

/**
 * `q` turned into the models (make + model) it finds, each with its place in the relevance
 * order and, when a typed year did not match its name, the year its cars must have. The
 * cars are then read by model key (`Cars."modelKey"`), so the word matching runs over the
 * few thousand rows of "CarModels", never over the cars. The rules: docs/catalogue.md.
 */
export interface SearchPlan {
  keys: string[];
  /** Lower comes first; cars of one weight in id order. */
  weights: number[];
  /** The year the model's cars must have, or null for any year. */
  years: (number | null)[];
  mode: 'words' | 'similar';
}

/**
 * Short forms people type for a make; a word matches what it matches or what its long form
 * matches. A Map, so that a typed `constructor` is a word and not Object.prototype's.
 */
export const MAKE_ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['vw', ['volkswagen']],
  ['chevy', ['chevrolet']],
  ['caddy', ['cadillac']],
  ['bimmer', ['bmw']],
  ['beemer', ['bmw']],
  ['merc', ['mercedes', 'mercury']],
  ['landie', ['land rover']],
]);

/**
 * The fallback offers at most this many models, best first, of those whose pg_trgm word
 * similarity to the typed words is at least MIN_SIMILARITY (`toyta corola` → Toyota Corolla
 * scores 0.56, `porshe` → Porsche 0.57; pg_trgm's own default of 0.6 missed both).
 */
const MAX_SIMILAR_MODELS = 100;
const MIN_SIMILARITY = 0.5;

interface ModelRow {
  key: string;
  words: string[];
  searchText: string;
}

const isYear = (word: string) => /^\d{4}$/.test(word);
const aliasesOf = (word: string): readonly string[] => MAKE_ALIASES.get(word) ?? [];
const variantsOf = (word: string): string[] => [word, ...aliasesOf(word)];

/** The same folding as the stored search text (lower case, no accents, punctuation as spaces), done by PostgreSQL. */
async function foldedWords(q: string): Promise<string[]> {
  const [row] = await queryPrepared<{ folded: string | null }>('SELECT catalogue_fold($1) AS "folded"', [q]);
  return (row?.folded ?? '').split(' ').filter(Boolean);
}

/** `%` and `_` (and the escape itself) are literal in a user's search text. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A word of three or more characters matches anywhere in the make or model (`rolla` finds
 * Corolla); a shorter one only at the start of one of their words (`3` finds `3 Series`, not
 * `X3`), so that `bmw 3 series` or `f 150` do not match half the catalogue.
 */
function wordCondition(word: string, bind: unknown[]): string {
  const alternatives = variantsOf(word).flatMap((variant) => (variant.split(' ').length > 1 ? [variant.replace(/ /g, ''), variant] : [variant]));
  const tests = [...new Set(alternatives)].map((v) =>
    v.length >= 3 ? `"searchText" LIKE $${bind.push(`%${escapeLike(v)}%`)}` : `(' ' || "searchText") LIKE $${bind.push(`% ${escapeLike(v)}%`)}`,
  );
  return `(${tests.join(' OR ')})`;
}

function matchesText(word: string, searchText: string): boolean {
  const padded = ` ${searchText}`;
  return variantsOf(word).some((v) => {
    const compact = v.replace(/ /g, '');
    return [v, compact].some((x) => (x.length >= 3 ? searchText.includes(x) : padded.includes(` ${x}`)));
  });
}

/**
 * 0: every word of the make and model was typed (`toyota camry` → Toyota Camry);
 * 1: every typed word is a whole word of them (Toyota Camry Hybrid);
 * 2: the rest (a word matched inside another). Then fewer words first, then id.
 */
function weightOf(row: ModelRow, textWords: string[], typed: Set<string>): number {
  const terms = new Set(row.searchText.split(' '));
  const rank = row.words.every((w) => typed.has(w))
    ? 0
    : textWords.every((w) => variantsOf(w).some((v) => terms.has(v) || terms.has(v.replace(/ /g, ''))))
      ? 1
      : 2;
  return rank * 1000 + row.words.length;
}

function wordsPlan(rows: ModelRow[], textWords: string[], yearWords: string[]): SearchPlan {
  const typed = new Set([...textWords, ...yearWords, ...textWords.flatMap((w) => aliasesOf(w).flatMap((a) => a.split(' ')))]);
  const plan: SearchPlan = { keys: [], weights: [], years: [], mode: 'words' };
  for (const row of rows) {
    const needed = [...new Set(yearWords.filter((y) => !matchesText(y, row.searchText)))];
    if (needed.length > 1) continue;
    plan.keys.push(row.key);
    plan.weights.push(weightOf(row, textWords, typed));
    plan.years.push(needed.length === 1 ? Number(needed[0]) : null);
  }
  return plan;
}

const EMPTY: SearchPlan = { keys: [], weights: [], years: [], mode: 'words' };

async function anyCar(plan: SearchPlan): Promise<boolean> {
  if (plan.keys.length === 0) return false;
  const [row] = await queryPrepared<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM unnest($1::text[], $2::int[]) g("key", "year")
       JOIN "Cars" c ON c."modelKey" = g."key" AND (g."year" IS NULL OR c."year" = g."year")) AS "found"`,
    [plan.keys, plan.years],
  );
  return row?.found ?? false;
}

/**
 * Typo tolerance: the models most similar to the typed words (pg_trgm word similarity), a
 * typed year kept as a filter. It reads the model vocabulary, never the cars, and runs only
 * when the words found nothing; its plan is cached per catalogue version like any other.
 */
async function similarPlan(textWords: string[], yearWords: string[]): Promise<SearchPlan> {
  const years = [...new Set(yearWords)];
  if (textWords.length === 0 || years.length > 1) return { ...EMPTY, mode: 'similar' };
  const text = textWords.map((w) => aliasesOf(w)[0] ?? w).join(' ');
  const rows = await queryPrepared<{ key: string; similarity: number }>(
    `SELECT "key", word_similarity($1, "searchText") AS "similarity" FROM "CarModels"
     WHERE word_similarity($1, "searchText") >= ${MIN_SIMILARITY} ORDER BY 2 DESC, "key" LIMIT ${MAX_SIMILAR_MODELS}`,
    [text],
  );
  const year = years.length === 1 ? Number(years[0]) : null;
  return { keys: rows.map((r) => r.key), weights: rows.map((r) => 1 - r.similarity), years: rows.map(() => year), mode: 'similar' };
}

/** Every word must match (make, model or year); when no car matches them all, the most similar models. */
export async function planSearch(q: string): Promise<SearchPlan> {
  const words = await foldedWords(q);
  if (words.length === 0) return EMPTY;
  const yearWords = words.filter(isYear);
  const textWords = words.filter((w) => !isYear(w));
  const bind: unknown[] = [];
  const where = textWords.map((w) => wordCondition(w, bind));
  const rows = await queryPrepared<ModelRow>(
    `SELECT "key", "words", "searchText" FROM "CarModels" ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
    bind,
  );
  const plan = wordsPlan(rows, textWords, yearWords);
  return (await anyCar(plan)) ? plan : similarPlan(textWords, yearWords);
}
