import type { Request, Response } from 'express';
import { catalogueVersionOf, sendCatalogue } from '../middleware/catalogue-cache';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/car.schemas';
import { carFacets } from '../services/catalogue/car-facets.service';
import * as cars from '../services/catalogue/car.service';
import { setPagingHeaders } from '../utils/paging';

export async function list(req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.list);
  const { rows, total } = await cars.listCars(query, catalogueVersionOf(res));
  setPagingHeaders(req, res, query, total);
  sendCatalogue(res, rows);
}

export async function facets(_req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.facets);
  sendCatalogue(res, await carFacets(query, catalogueVersionOf(res)));
}

export async function getOne(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.getOne);
  sendCatalogue(res, await cars.getCar(params.id));
}
