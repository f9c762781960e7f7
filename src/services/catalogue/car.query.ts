import type { SearchPlan } from './car-search.query';

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

/** The car's categories, lower case (a generated column of the catalogue migration, GIN-indexed). */
export const CATEGORIES = 'c."categories"';

/**
 * One value compares with `=` (an index range in id order), several with `= ANY` of a bound
 * array, whose values the planner sees (an `ARRAY(SELECT …)` would hide them and make it
 * guess: it then walked a year index for two rare makes).
 */
function anyOf(column: string, values: string[], b: Binder): string {
  return values.length === 1 ? `${column} = ${b.param(values[0])}` : `${column} = ANY(${b.param(values)}::text[])`;
}

function conditions(f: CarFilters, b: Binder, omit?: FacetField): string[] {
  const and: string[] = [];
  if (f.make && omit !== 'make') and.push(anyOf('lower(c."make")', f.make, b));
  if (f.model && omit !== 'model') and.push(anyOf('lower(c."model")', f.model, b));
  if (omit !== 'year') {
    if (f.year !== undefined) and.push(`c."year" = ${b.param(f.year)}`);
    if (f.year_min !== undefined) and.push(`c."year" >= ${b.param(f.year_min)}`);
    if (f.year_max !== undefined) and.push(`c."year" <= ${b.param(f.year_max)}`);
  }
  if (f.category && omit !== 'category') and.push(`${CATEGORIES} && ${b.param(f.category)}::text[]`);
  return and;
}

/**
 * `FROM … WHERE …` of the cars matching the filters (alias `c`), leaving out `omit`'s own
 * filters. With a search, the cars come from the plan's models (alias `g`, with its weight),
 * read model by model from the (model key, year, id) index: `OFFSET 0` keeps PostgreSQL
 * from flattening the lateral join into one scan over every car of a common category.
 */
export function carSource(f: CarFilters, plan: SearchPlan | undefined, b: Binder, omit?: FacetField): string {
  if (!plan) {
    const and = conditions(f, b, omit);
    return `FROM "Cars" c${and.length > 0 ? ` WHERE ${and.join(' AND ')}` : ''}`;
  }
  const models = `unnest(${b.param(plan.keys)}::text[], ${b.param(plan.weights)}::float8[], ${b.param(plan.years)}::int[]) g("key", "weight", "year")`;
  const and = [`c."modelKey" = g."key"`, `(g."year" IS NULL OR c."year" = g."year")`, ...conditions(f, b, omit)];
  return `FROM ${models} CROSS JOIN LATERAL (SELECT c.* FROM "Cars" c WHERE ${and.join(' AND ')} OFFSET 0) c`;
}

/** The filters as a stable cache key: the same cars, the same key. */
export function filtersKey(f: CarFilters): string {
  const list = (values?: string[]) => (values ? [...new Set(values)].sort().join(',') : '');
  return JSON.stringify([list(f.make), list(f.model), list(f.category), f.year ?? '', f.year_min ?? '', f.year_max ?? '', f.q ?? '']);
}
