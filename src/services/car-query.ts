import type { SearchPlan } from './car-search';

/** The `/cars` filters after validation: lists lower-cased, years as numbers. */
export interface CarFilters {
  make?: string[];
  model?: string[];
  category?: string[];
  year?: number;
  year_min?: number;
  year_max?: number;
  q?: string;
}

/** A facet list leaves out its own field's filters. */
export type FacetField = 'make' | 'model' | 'year' | 'category';

/** Bound parameters of one statement, numbered as they are added. */
export class Binder {
  readonly values: unknown[] = [];

  param(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}

export const CAR_COLUMNS = ['id', 'objectId', 'make', 'model', 'year', 'category', 'createdAt', 'updatedAt'].map((c) => `c."${c}"`).join(', ');

/** The same expression as the GIN index of the cars migration: the car's categories, lower case. */
export const CATEGORIES = `regexp_split_to_array(lower(c."category"), '\\s*,\\s*')`;

/** One value compares with `=` (an index range in id order), several with `= ANY`. */
function anyOf(column: string, values: string[], b: Binder): string {
  return values.length === 1 ? `${column} = ${b.param(values[0])}` : `${column} = ANY(${b.param(values)}::text[])`;
}

/**
 * `FROM … WHERE …` of the cars matching the filters (alias `c`), leaving out `omit`'s own
 * filters. With a search, the cars come from the plan's models (alias `g`, with its weight).
 */
export function carSource(f: CarFilters, plan: SearchPlan | undefined, b: Binder, omit?: FacetField): string {
  const from = plan
    ? `unnest(${b.param(plan.keys)}::text[], ${b.param(plan.weights)}::float8[], ${b.param(plan.years)}::int[]) g("key", "weight", "year")
       JOIN "Cars" c ON c."modelKey" = g."key" AND (g."year" IS NULL OR c."year" = g."year")`
    : '"Cars" c';
  const and: string[] = [];
  if (f.make && omit !== 'make') and.push(anyOf('lower(c."make")', f.make, b));
  if (f.model && omit !== 'model') and.push(anyOf('lower(c."model")', f.model, b));
  if (omit !== 'year') {
    if (f.year !== undefined) and.push(`c."year" = ${b.param(f.year)}`);
    if (f.year_min !== undefined) and.push(`c."year" >= ${b.param(f.year_min)}`);
    if (f.year_max !== undefined) and.push(`c."year" <= ${b.param(f.year_max)}`);
  }
  if (f.category && omit !== 'category') and.push(`${CATEGORIES} && ${b.param(f.category)}::text[]`);
  return `FROM ${from}${and.length > 0 ? ` WHERE ${and.join(' AND ')}` : ''}`;
}

/** The filters as a stable cache key: the same cars, the same key. */
export function filtersKey(f: CarFilters): string {
  const list = (values?: string[]) => (values ? [...new Set(values)].sort().join(',') : '');
  return JSON.stringify([list(f.make), list(f.model), list(f.category), f.year ?? '', f.year_min ?? '', f.year_max ?? '', f.q ?? '']);
}
