import type { Request, Response } from 'express';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/car.schemas';
import * as cars from '../services/car.service';
import { setPagingHeaders } from '../utils/paging';

export async function list(req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.list);
  const { rows, total } = await cars.listCars(query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
}

export async function getOne(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.getOne);
  res.json(await cars.getCar(params.id));
}
