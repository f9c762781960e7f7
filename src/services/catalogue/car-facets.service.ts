import { queryPrepared } from '../../db/prepared';
import { Binder, carSource, filtersKey, type CarFilters, type FacetField } from './car.query';
import type { SearchPlan } from './car-search.query';
import { searchPlanOf } from './car.service';
import { VersionedCache } from './catalogue-version.cache';

export interface FacetValue {
  value: string | number;
  count: number;
}

export interface CarFacets {
  makes: FacetValue[];
  models: FacetValue[];
  years: FacetValue[];
  categories: FacetValue[];
}

/**
 * Each list counts the cars matching every filter but its own field's (disjunctive
 * faceting): choosing a make still lists the other makes. Values group as the filters
 * compare (ignoring case), each shown as stored, so a count is exactly the `X-Total-Count`
 * of `/cars` with that value added to the same filters.
 */
function facetSql(field: FacetField, f: CarFilters, plan: SearchPlan | undefined): { text: string; values: unknown[] } {
  const b = new Binder();
  const source = carSource(f, plan, b, field);
  const text = {
    make: `SELECT min(c."make") AS "value", count(*)::int AS "count" ${source} GROUP BY lower(c."make") ORDER BY 1`,
    model: `SELECT min(c."model") AS "value", count(*)::int AS "count" ${source} GROUP BY lower(c."model") ORDER BY 1`,
    year: `SELECT c."year" AS "value", count(*)::int AS "count" ${source} GROUP BY c."year" ORDER BY 1 DESC`,
    // The categories of the matching cars, as the category filter splits them: counted per
    // stored string first (a few dozen of them), so only those are split, not every car's.
    category: `SELECT min(btrim(item)) AS "value", sum(t."n")::int AS "count"
      FROM (SELECT c."category", count(*) AS "n" ${source} GROUP BY c."category") t,
        unnest(regexp_split_to_array(t."category", '\\s*,\\s*')) AS item
      WHERE btrim(item) <> '' GROUP BY lower(btrim(item)) ORDER BY 1`,
  }[field];
  return { text, values: b.values };
}

async function facetList(field: FacetField, f: CarFilters, plan: SearchPlan | undefined): Promise<FacetValue[]> {
  const { text, values } = facetSql(field, f, plan);
  return queryPrepared<{ value: string | number; count: number }>(text, values);
}

async function computeFacets(f: CarFilters, plan: SearchPlan | undefined): Promise<CarFacets> {
  const [makes, models, years, categories] = await Promise.all([
    facetList('make', f, plan),
    f.make ? facetList('model', f, plan) : Promise.resolve([]),
    facetList('year', f, plan),
    facetList('category', f, plan),
  ]);
  return { makes, models, years, categories };
}

const facets = new VersionedCache<CarFacets>(2_000);

/** The four lists, computed once per catalogue version and filter set. */
export async function carFacets(f: CarFilters, version: string): Promise<CarFacets> {
  const plan = await searchPlanOf(f.q, version);
  return facets.get(version, filtersKey(f), () => computeFacets(f, plan));
}
