import { Router } from 'express';
import * as cars from '../controllers/car.controller';
import { catalogueCache } from '../middleware/catalogue-cache';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/car.schemas';

export const carsRouter = Router();

carsRouter.get('/cars', validate(schemas.list), catalogueCache, cars.list);
carsRouter.get('/cars/facets', validate(schemas.facets), catalogueCache, cars.facets);
carsRouter.get('/cars/:id', validate(schemas.getOne), catalogueCache, cars.getOne);
