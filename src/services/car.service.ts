import { Op, col, fn, literal, where, type Order, type WhereOptions } from 'sequelize';
import { getSequelize } from '../db/sequelize';
import { AppError } from '../errors';
import { Car } from '../models';
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

const CAR_ATTRIBUTES = ['id', 'objectId', 'make', 'model', 'year', 'category', 'createdAt', 'updatedAt'];

/** `%` and `_` (and the escape itself) are literal in a user's search text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtersToWhere(f: CarFilters): WhereOptions {
  const and: WhereOptions[] = [];
  if (f.make) and.push(where(fn('lower', col('make')), f.make.toLowerCase()));
  if (f.model) and.push(where(fn('lower', col('model')), f.model.toLowerCase()));
  if (f.year !== undefined) and.push({ year: f.year });
  if (f.category) {
    // `&&` (overlap) on the same expression as the GIN index of the migration.
    const sequelize = getSequelize();
    const wanted = f.category.map((c) => sequelize.escape(c)).join(', ');
    and.push(literal(`regexp_split_to_array(lower("category"), '\\s*,\\s*') && ARRAY[${wanted}]::text[]`));
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    and.push({ [Op.or]: [{ make: { [Op.iLike]: pattern } }, { model: { [Op.iLike]: pattern } }] });
  }
  return { [Op.and]: and };
}

function sortToOrder(sort: string): Order {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const direction = descending ? 'DESC' : 'ASC';
  return field === 'id' ? [['id', direction]] : [[field, direction], ['id', 'ASC']];
}

export async function listCars(filters: CarFilters): Promise<{ rows: CarView[]; total: number }> {
  const whereClause = filtersToWhere(filters);
  const [rows, total] = await Promise.all([
    Car.findAll({
      attributes: CAR_ATTRIBUTES,
      where: whereClause,
      order: sortToOrder(filters.sort),
      limit: filters.limit,
      offset: offsetOf(filters),
      raw: true,
    }),
    Car.count({ where: whereClause }),
  ]);
  return { rows: rows as CarView[], total };
}

export async function getCar(id: number): Promise<CarView> {
  const car = await Car.findByPk(id, { attributes: CAR_ATTRIBUTES, raw: true });
  if (!car) throw AppError.notFound('Car not found');
  return car as CarView;
}

export async function carExists(id: number): Promise<boolean> {
  return (await Car.count({ where: { id } })) > 0;
}
