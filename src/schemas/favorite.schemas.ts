import { z } from 'zod';
import { idNumber, idParams } from './common';

export const create = { body: z.object({ CarId: idNumber }).strict() };
export const remove = { params: idParams };
