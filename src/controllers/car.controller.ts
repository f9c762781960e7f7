import { catalogueVersionOf, sendCatalogue } from '../middleware/catalogue-cache';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/car.schemas';
import { carFacets } from '../services/catalogue/car-facets.service';
import * as cars from '../services/catalogue/car.service';
import { setPagingHeaders } from '../utils/paging';

export const list: Handler<typeof schemas.list> = async (req, res, { query }) => {
  const { rows, total } = await cars.listCars(query, catalogueVersionOf(res));
  setPagingHeaders(req, res, query, total);
  sendCatalogue(res, rows);
};

export const facets: Handler<typeof schemas.facets> = async (_req, res, { query }) => {
  sendCatalogue(res, await carFacets(query, catalogueVersionOf(res)));
};

export const getOne: Handler<typeof schemas.getOne> = async (_req, res, { params }) => {
  sendCatalogue(res, await cars.getCar(params.id));
};
