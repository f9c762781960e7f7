import { createApp } from '../src/app';
import type { Car } from '../src/models';
import { createCar, unique } from './helpers/factories';
import { caller, type Caller } from './helpers/http';
import { expectInvalid } from './helpers/problem';

// GET /cars ordering and the 400s its query parameters give (contract §2, "Cars").
const app = createApp();
let api: Caller['api'];

beforeAll(async () => {
  ({ api } = await caller(app));
});

const ids = (body: { id: number }[]) => body.map((c) => c.id);

describe('GET /cars sort', () => {
  const token = unique('sort');
  let byId: Car[];
  beforeAll(async () => {
    byId = [
      await createCar({ make: `${token}B`, model: 'Zeta', year: 2005 }),
      await createCar({ make: `${token}A`, model: 'Alpha', year: 2010 }),
      await createCar({ make: `${token}C`, model: 'Mid', year: 2001 }),
      await createCar({ make: `${token}A`, model: 'Beta', year: 2010 }),
    ];
  });
  const sorted = async (sort: string) => ids((await api.get(`/cars?q=${token}&sort=${sort}`).expect(200)).body);

  it('when no sort is given, then id ascending', async () => {
    expect(ids((await api.get(`/cars?q=${token}`).expect(200)).body)).toEqual(ids(byId));
  });

  it.each([
    ['id', [0, 1, 2, 3]],
    ['-id', [3, 2, 1, 0]],
    ['year', [2, 0, 1, 3]],
    ['-year', [1, 3, 0, 2]],
    ['make', [1, 3, 0, 2]],
    ['-make', [2, 0, 1, 3]],
    ['model', [1, 3, 2, 0]],
    ['-model', [0, 2, 3, 1]],
  ])('when sort=%s, then that order with ties by id ascending', async (sort, order) => {
    expect(await sorted(sort)).toEqual(order.map((i) => byId[i].id));
  });
});

describe('GET /cars bad query', () => {
  it.each([
    ['an unknown parameter', 'color=red', 'color'],
    ['a sort field that is not allowed', 'sort=price', 'sort'],
    ['a sort with two dashes', 'sort=--year', 'sort'],
    ['a year that is not a number', 'year=20x1', 'year'],
    ['a year with five digits', 'year=20100', 'year'],
    ['an empty make', 'make=', 'make'],
    ['a make over 100 characters', `make=${'x'.repeat(101)}`, 'make'],
    ['an empty category', 'category=%20', 'category'],
    ['a category list of nothing', 'category=%2C%20%2C', 'category'],
    ['an empty q', 'q=', 'q'],
    ['a q holding a NUL byte', 'q=ab%00cd', 'q'],
    ['a make given twice', 'make=a&make=b', 'make'],
  ])('when given %s, then 400 naming the parameter', async (_label, query, field) => {
    const res = await api.get(`/cars?${query}`);
    expectInvalid(res, 'query', field);
  });

  it('when several parameters are bad, then each is listed', async () => {
    expectInvalid(await api.get('/cars?limit=500&year=abc&colour=red'), 'query', 'colour', 'limit', 'year');
  });
});
