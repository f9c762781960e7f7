import { Router } from 'express';
import * as cars from '../controllers/car.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/car.schemas';

export const carsRouter = Router();

carsRouter.get('/cars', validate(schemas.list), cars.list);
carsRouter.get('/cars/:id', validate(schemas.getOne), cars.getOne);
