import { queryPrepared } from '../db/prepared';
import { AppError } from '../errors';
import { offsetOf, type Page } from '../utils/paging';

export interface CarFilters extends Page {
  make?: string;
  model?: string;
  /** Lower-case category names; a car matches when it has any of them. */
  category?: string[];
  q?: string;
  year?: number;
  sort: string;
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

const CAR_COLUMNS = '"id", "objectId", "make", "model", "year", "category", "createdAt", "updatedAt"';
const SORT_COLUMNS: Record<string, string> = { id: '"id"', year: '"year"', make: '"make"', model: '"model"' };

/** `%` and `_` (and the escape itself) are literal in a user's search text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface SqlWhere {
  clause: string;
  bind: unknown[];
}

/** The filters as one bound WHERE clause; each test matches an index of the cars migration. */
function filtersToWhere(f: CarFilters): SqlWhere {
  const bind: unknown[] = [];
  const param = (value: unknown) => `$${bind.push(value)}`;
  const and: string[] = [];
  if (f.make) and.push(`lower("make") = ${param(f.make.toLowerCase())}`);
  if (f.model) and.push(`lower("model") = ${param(f.model.toLowerCase())}`);
  if (f.year !== undefined) and.push(`"year" = ${param(f.year)}`);
  // `&&` (overlap) on the same expression as the GIN index of the migration.
  if (f.category) and.push(`regexp_split_to_array(lower("category"), '\\s*,\\s*') && ${param(f.category)}::text[]`);
  if (f.q) {
    const pattern = param(`%${escapeLike(f.q)}%`);
    and.push(`("make" ILIKE ${pattern} OR "model" ILIKE ${pattern})`);
  }
  return { clause: and.length > 0 ? `WHERE ${and.join(' AND ')}` : '', bind };
}

function sortToOrder(sort: string): string {
  const descending = sort.startsWith('-');
  const column = SORT_COLUMNS[descending ? sort.slice(1) : sort] ?? '"id"';
  const direction = descending ? 'DESC' : 'ASC';
  return column === '"id"' ? `"id" ${direction}` : `${column} ${direction}, "id" ASC`;
}

interface CountedCar extends CarView {
  total: number;
}

function withoutTotal({ total: _total, ...car }: CountedCar): CarView {
  return car;
}

async function countCars(clause: string, bind: unknown[]): Promise<number> {
  const [row] = await queryPrepared<{ total: number }>(`SELECT count(*)::int AS "total" FROM "Cars" ${clause}`, bind);
  return row?.total ?? 0;
}

function pageSql(clause: string, sort: string, paramCount: number, columns = CAR_COLUMNS): string {
  return `SELECT ${columns} FROM "Cars" ${clause} ORDER BY ${sortToOrder(sort)} LIMIT $${paramCount + 1} OFFSET $${paramCount + 2}`;
}

/**
 * Hot read paths: bound SQL run as named prepared statements (see db/prepared), no model
 * instances and no query building beyond the WHERE clause.
 *
 * A filtered page and its total come from one statement (`count(*) OVER ()`); only a page
 * past the end, which has no row to carry the total, needs a second one. Without a filter
 * the window would make PostgreSQL read the whole catalogue for every page (about 3x the
 * cost of a plain count), so the page and the count run side by side instead.
 */
export async function listCars(filters: CarFilters): Promise<{ rows: CarView[]; total: number }> {
  const { clause, bind } = filtersToWhere(filters);
  const offset = offsetOf(filters);
  const paging = [...bind, filters.limit, offset];
  if (!clause) {
    const [rows, total] = await Promise.all([queryPrepared<CarView>(pageSql(clause, filters.sort, 0), paging), countCars(clause, bind)]);
    return { rows, total };
  }
  const rows = await queryPrepared<CountedCar>(
    pageSql(clause, filters.sort, bind.length, `${CAR_COLUMNS}, count(*) OVER ()::int AS "total"`),
    paging,
  );
  const first = rows[0];
  if (first) return { rows: rows.map(withoutTotal), total: first.total };
  return { rows: [], total: offset === 0 ? 0 : await countCars(clause, bind) };
}

export async function getCar(id: number): Promise<CarView> {
  const [car] = await queryPrepared<CarView>(`SELECT ${CAR_COLUMNS} FROM "Cars" WHERE "id" = $1`, [id]);
  if (!car) throw AppError.notFound('Car not found');
  return car;
}

export async function carExists(id: number): Promise<boolean> {
  return (await queryPrepared(`SELECT 1 FROM "Cars" WHERE "id" = $1`, [id])).length > 0;
}
