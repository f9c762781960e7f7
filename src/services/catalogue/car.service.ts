import { queryPrepared } from '../../db/prepared';
import { AppError } from '../../errors';
import { offsetOf, type Page } from '../../utils/paging';
import { Binder, CAR_COLUMNS, carSource, filtersKey, type CarFilters } from './car.query';
import { planSearch, type SearchPlan } from './car-search.query';
import { VersionedCache } from './catalogue-version.cache';

export type { CarFilters } from './car.query';
export { escapeLike } from './car-search.query';

export interface CarListQuery extends CarFilters, Page {
  /** `id`, `year`, `make` or `model`, `-` for descending; none: relevance with `q`, else id. */
  sort?: string;
}

export interface CarView {
  id: number;
  objectId: string;
  make: string;
  model: string;
  year: number;
  category: string;
  createdAt: Date;
  updatedAt: Date;
}

const SORT_COLUMNS: Record<string, string> = { year: '"year"', make: '"make"', model: '"model"' };

/** The order of a page: its key first (`weight` for relevance), ties by id ascending. */
function orderOf(sort: string | undefined, plan: SearchPlan | undefined): { key: string; direction: string } {
  if (plan && !sort) return { key: 'g."weight"', direction: 'ASC' };
  const descending = sort?.startsWith('-') ?? false;
  const column = SORT_COLUMNS[descending ? (sort ?? '').slice(1) : (sort ?? 'id')];
  return { key: column ? `c.${column}` : 'c."id"', direction: descending ? 'DESC' : 'ASC' };
}

class Counted {
  constructor(readonly total: number) {}
}

// A plan holds one key per matching model (hundreds for a one-letter word): fewer of them.
const plans = new VersionedCache<SearchPlan>(500);
const totals = new VersionedCache<Counted>(10_000);

/** The search plan of `q` at this catalogue version (cached: the same words find the same models). */
export function searchPlanOf(q: string | undefined, version: string): Promise<SearchPlan | undefined> {
  return q === undefined ? Promise.resolve(undefined) : plans.get(version, q, () => planSearch(q));
}

async function countCars(f: CarFilters, plan: SearchPlan | undefined): Promise<Counted> {
  const b = new Binder();
  const [row] = await queryPrepared<{ total: number }>(`SELECT count(*)::int AS "total" ${carSource(f, plan, b)}`, b.values);
  return new Counted(row?.total ?? 0);
}

/**
 * One page: the ids (and sort key) of the page first, from an index where one fits — for a
 * search the (model key, year, id) index, for a year sort (year, id) carrying the make — and
 * only those rows read from the table, so the rows skipped over are never fetched.
 */
function pageOf(query: CarListQuery, plan: SearchPlan | undefined): Promise<CarView[]> {
  const b = new Binder();
  const source = carSource(query, plan, b);
  const limit = b.param(query.limit);
  const offset = b.param(offsetOf(query));
  const { key, direction } = orderOf(query.sort, plan);
  const byId = key === 'c."id"';
  const inner = byId
    ? `SELECT c."id" ${source} ORDER BY c."id" ${direction}`
    : `SELECT c."id", ${key} AS "key" ${source} ORDER BY ${key} ${direction}, c."id" ASC`;
  const outer = byId ? `p."id" ${direction}` : `p."key" ${direction}, p."id" ASC`;
  const sql = `SELECT ${CAR_COLUMNS} FROM (${inner} LIMIT ${limit} OFFSET ${offset}) p JOIN "Cars" c ON c."id" = p."id" ORDER BY ${outer}`;
  return queryPrepared<CarView>(sql, b.values);
}

/**
 * Hot read path: bound SQL run as named prepared statements (db/prepared). The total is
 * counted once per catalogue version and filter set, then served from memory, so a page
 * costs only its own rows however many cars match.
 */
export async function listCars(query: CarListQuery, version: string): Promise<{ rows: CarView[]; total: number }> {
  const plan = await searchPlanOf(query.q, version);
  const [rows, counted] = await Promise.all([pageOf(query, plan), totals.get(version, filtersKey(query), () => countCars(query, plan))]);
  return { rows, total: counted.total };
}

export async function getCar(id: number): Promise<CarView> {
  const [car] = await queryPrepared<CarView>(`SELECT ${CAR_COLUMNS} FROM "Cars" c WHERE c."id" = $1`, [id]);
  if (!car) throw AppError.notFound('Car not found');
  return car;
}

export async function carExists(id: number): Promise<boolean> {
  return (await queryPrepared(`SELECT 1 FROM "Cars" WHERE "id" = $1`, [id])).length > 0;
}
