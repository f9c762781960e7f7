import { z } from 'zod';
import { idParams, pageQuery, text } from './common';

const filterText = (name: string) => text(100, name).min(1, `${name} must not be empty`);

export const CAR_SORTS = ['id', '-id', 'year', '-year', 'make', '-make', 'model', '-model'] as const;

export const list = {
  query: z
    .object({
      ...pageQuery,
      make: filterText('make').optional(),
      model: filterText('model').optional(),
      // One category or a comma-separated list of them: a car matches if it has any of them.
      category: filterText('category')
        .transform((value) =>
          value
            .split(',')
            .map((c) => c.trim().toLowerCase())
            .filter(Boolean),
        )
        .pipe(z.array(z.string()).min(1, 'category must name at least one category'))
        .optional(),
      q: filterText('q').optional(),
      year: z
        .string()
        .regex(/^\d{4}$/, 'year must be a four-digit year')
        .transform(Number)
        .optional(),
      sort: z.enum(CAR_SORTS, { message: `sort must be one of ${CAR_SORTS.join(', ')}` }).default('id'),
    })
    .strict(),
};

export const getOne = { params: idParams };
