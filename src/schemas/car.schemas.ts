import { z } from 'zod';
import { idParams, pageQuery, text } from './common';

const filterText = (name: string) => text(100, name).min(1, `${name} must not be empty`);

/** One value or a comma-separated list of them, compared ignoring case: a car matches any of them. */
const filterList = (name: string) =>
  filterText(name)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).min(1, `${name} must name at least one value`))
    .meta({ description: `One ${name} or a comma-separated list of them (any of them matches), ignoring case.` });

const fourDigitYear = (name: string) =>
  z
    .string()
    .regex(/^\d{4}$/, `${name} must be a four-digit year`)
    .transform(Number);

export const CAR_SORTS = ['id', '-id', 'year', '-year', 'make', '-make', 'model', '-model'] as const;

/** The filters shared by `/cars` and `/cars/facets`. */
const filters = {
  make: filterList('make').optional(),
  model: filterList('model').optional(),
  category: filterList('category').optional(),
  q: filterText('q').optional().meta({
    description: 'Search words: each must match the make, the model or (a 4-digit number) the year, ignoring case, accents and punctuation.',
  }),
  year: fourDigitYear('year').optional(),
  year_min: fourDigitYear('year_min').optional().meta({ description: 'Cars of this year or later.' }),
  year_max: fourDigitYear('year_max').optional().meta({ description: 'Cars of this year or earlier.' }),
};

type YearRange = { year_min?: number; year_max?: number };

function checkYearRange(value: YearRange, ctx: z.core.$RefinementCtx): void {
  if (value.year_min !== undefined && value.year_max !== undefined && value.year_min > value.year_max) {
    ctx.addIssue({ code: 'custom', path: ['year_min'], message: 'year_min must not be after year_max' });
  }
}

export const list = {
  query: z
    .object({
      ...pageQuery,
      ...filters,
      sort: z
        .enum(CAR_SORTS, { message: `sort must be one of ${CAR_SORTS.join(', ')}` })
        .optional()
        .meta({ description: 'Without it: relevance when `q` is given, else `id`.' }),
    })
    .strict()
    .superRefine(checkYearRange),
};

export const facets = { query: z.object(filters).strict().superRefine(checkYearRange) };

export const getOne = { params: idParams };
