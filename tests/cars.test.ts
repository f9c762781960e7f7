import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createApp } from '../src/app';
import { getSequelize } from '../src/db/sequelize';
import type { Car } from '../src/models';
import { createCar, loginAs, unique } from './helpers/factories';
import { as, parseLink } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();
let api: ReturnType<typeof as>;

beforeAll(async () => {
  const { accessToken } = await loginAs(app);
  api = as(app, accessToken);
});

/** `count` cars of one fresh make, in id order. */
async function carsOfNewMake(count: number, overrides: Parameters<typeof createCar>[0] = {}): Promise<{ make: string; cars: Car[] }> {
  const make = unique('Make');
  const cars: Car[] = [];
  for (let i = 0; i < count; i += 1) cars.push(await createCar({ make, model: `M${i}`, ...overrides }));
  return { make, cars };
}

const ids = (body: { id: number }[]) => body.map((c) => c.id);

describe('GET /cars without a token', () => {
  it.each(['/cars', '/cars/1', '/cars?limit=500', '/cars/abc'])('when %s is requested without a token, then 401 UNAUTHENTICATED', async (url) => {
    expectProblem(await request(app).get(url), 401, 'UNAUTHENTICATED');
  });
});

describe('unknown routes under /cars', () => {
  it.each([
    ['get', '/cars/1/owners'],
    ['post', '/cars'],
    ['delete', '/cars/1'],
  ] as const)('when %s %s is called, then 401 without a token and 404 with one', async (method, url) => {
    expectProblem(await request(app)[method](url), 401, 'UNAUTHENTICATED');
    expectProblem(await api[method](url), 404, 'NOT_FOUND');
  });
});

describe('GET /cars paging', () => {
  let make: string;
  let cars: Car[];
  beforeAll(async () => {
    ({ make, cars } = await carsOfNewMake(25));
  });

  it('when no page or limit is given, then the first 20 by id, X-Total-Count and first/next/last links', async () => {
    const res = await api.get(`/cars?make=${make}`).expect(200);
    expect(ids(res.body)).toEqual(ids(cars.slice(0, 20)));
    expect(res.headers['x-total-count']).toBe('25');
    const links = parseLink(res.headers.link);
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next']);
    expect(links.first).toEqual({ path: '/cars', make, page: '1', limit: '20' });
    expect(links.next).toEqual({ path: '/cars', make, page: '2', limit: '20' });
    expect(links.last).toEqual({ path: '/cars', make, page: '2', limit: '20' });
  });

  it('when a middle page is asked for, then that slice and all four links, as relative URLs', async () => {
    const res = await api.get(`/cars?make=${make}&page=2&limit=10`).expect(200);
    expect(ids(res.body)).toEqual(ids(cars.slice(10, 20)));
    expect(res.headers['x-total-count']).toBe('25');
    for (const part of res.headers.link.split(',')) expect(part.trim()).toMatch(/^<\/cars\?[^>]+>; rel="(first|prev|next|last)"$/);
    const links = parseLink(res.headers.link);
    expect([links.first.page, links.prev.page, links.next.page, links.last.page]).toEqual(['1', '1', '3', '3']);
    expect(links.prev).toEqual({ path: '/cars', make, page: '1', limit: '10' });
  });

  it('when the last page is asked for, then the remainder with a prev link and no next', async () => {
    const res = await api.get(`/cars?make=${make}&page=3&limit=10`).expect(200);
    expect(ids(res.body)).toEqual(ids(cars.slice(20)));
    const links = parseLink(res.headers.link);
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'prev']);
    expect(links.prev.page).toBe('2');
  });

  it('when a page past the end is asked for, then 200 [] with the total, first/last and prev pointing at the last page', async () => {
    const res = await api.get(`/cars?make=${make}&page=9&limit=10`).expect(200);
    expect(res.body).toEqual([]);
    expect(res.headers['x-total-count']).toBe('25');
    const links = parseLink(res.headers.link);
    expect(links.first.page).toBe('1');
    expect(links.last.page).toBe('3');
    expect(links.prev.page).toBe('3');
    expect(links.next).toBeUndefined();
    const far = await api.get(`/cars?make=${make}&page=999999999&limit=100`).expect(200);
    expect(far.body).toEqual([]);
  });

  it('when nothing matches, then 200 [] with X-Total-Count 0 and first = last = page 1', async () => {
    const res = await api.get(`/cars?make=${unique('Nothing')}`).expect(200);
    expect(res.body).toEqual([]);
    expect(res.headers['x-total-count']).toBe('0');
    const links = parseLink(res.headers.link);
    expect(Object.keys(links).sort()).toEqual(['first', 'last']);
    expect([links.first.page, links.last.page]).toEqual(['1', '1']);
  });

  it('when limit is 100, then up to 100 cars are returned', async () => {
    const res = await api.get(`/cars?limit=100`).expect(200);
    expect(res.body.length).toBeLessThanOrEqual(100);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(25);
    expect(res.body.length).toBe(Math.min(100, Number(res.headers['x-total-count'])));
  });

  it('when a filtered page is listed, then each car has exactly its public fields, as GET /cars/:id gives them', async () => {
    const res = await api.get(`/cars?make=${make}&limit=2`).expect(200);
    const one = await api.get(`/cars/${cars[0]?.id}`).expect(200);
    expect(res.body[0]).toEqual(one.body);
    expect(Object.keys(res.body[1]).sort()).toEqual(['category', 'createdAt', 'id', 'make', 'model', 'objectId', 'updatedAt', 'year']);
  });

  it('when no filter is given, then X-Total-Count is every car in the table', async () => {
    const countCars = async () =>
      (await getSequelize().query<{ count: number }>('SELECT count(*)::int AS count FROM "Cars"', { type: QueryTypes.SELECT }))[0]?.count ?? 0;
    // Other test files add cars meanwhile: the total lies between the counts before and after.
    const before = await countCars();
    const res = await api.get('/cars?limit=1').expect(200);
    const after = await countCars();
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(before);
    expect(Number(res.headers['x-total-count'])).toBeLessThanOrEqual(after);
    expect(res.body).toHaveLength(1);
  });

  it.each([
    ['limit', 'limit=101'],
    ['limit', 'limit=0'],
    ['limit', 'limit=1.5'],
    ['limit', 'limit=ten'],
    ['page', 'page=0'],
    ['page', 'page=-1'],
    ['page', 'page=abc'],
    ['page', 'page=1&page=2'],
  ])('when %s is invalid (%s), then 400 naming it in the query', async (field, query) => {
    const res = await api.get(`/cars?${query}`);
    expectInvalid(res, 'query', field);
  });
});

describe('GET /cars filters', () => {
  it('when make and model are given in another case, then they match ignoring case', async () => {
    const { make, cars } = await carsOfNewMake(3);
    const byMake = await api.get(`/cars?make=${make.toUpperCase()}`).expect(200);
    expect(ids(byMake.body)).toEqual(ids(cars));
    const byModel = await api.get(`/cars?make=${make.toLowerCase()}&model=m1`).expect(200);
    expect(ids(byModel.body)).toEqual([cars[1].id]);
  });

  it('when year is given, then only cars of exactly that year', async () => {
    const make = unique('Make');
    const old = await createCar({ make, year: 1999 });
    await createCar({ make, year: 2000 });
    const res = await api.get(`/cars?make=${make}&year=1999`).expect(200);
    expect(ids(res.body)).toEqual([old.id]);
    expect(res.headers['x-total-count']).toBe('1');
  });

  it('when category is given, then cars having it as one of their comma-separated categories, ignoring case', async () => {
    const make = unique('Make');
    const coupeConvertible = await createCar({ make, category: 'Coupe, Convertible' });
    const convertible = await createCar({ make, category: 'Convertible' });
    const sedanCoupe = await createCar({ make, category: 'Sedan,Coupe' });
    await createCar({ make, category: 'Sedan' });
    await createCar({ make, category: 'Convertibles, Van' });
    const res = await api.get(`/cars?make=${make}&category=convertible`).expect(200);
    expect(ids(res.body)).toEqual([coupeConvertible.id, convertible.id]);
    const coupes = await api.get(`/cars?make=${make}&category=COUPE`).expect(200);
    expect(ids(coupes.body)).toEqual([coupeConvertible.id, sedanCoupe.id]);
  });

  it('when category is a comma-separated list, then cars having any of those categories', async () => {
    const make = unique('Make');
    const coupeConvertible = await createCar({ make, category: 'Coupe, Convertible' });
    const coupe = await createCar({ make, category: 'Coupe' });
    const wagonConvertible = await createCar({ make, category: 'Wagon,Convertible' });
    await createCar({ make, category: 'Sedan' });
    const res = await api.get(`/cars?make=${make}&category=${encodeURIComponent('Coupe, Convertible')}`).expect(200);
    expect(ids(res.body)).toEqual([coupeConvertible.id, coupe.id, wagonConvertible.id]);
    expect(res.headers['x-total-count']).toBe('3');
  });

  it('when several filters are given, then a car must match all of them', async () => {
    const make = unique('Make');
    const hit = await createCar({ make, model: 'Roadster', year: 2010, category: 'Convertible' });
    await createCar({ make, model: 'Roadster', year: 2011, category: 'Convertible' });
    await createCar({ make, model: 'Roadster', year: 2010, category: 'Coupe' });
    await createCar({ make, model: 'Wagon', year: 2010, category: 'Convertible' });
    const res = await api.get(`/cars?make=${make}&model=roadster&year=2010&category=Convertible`).expect(200);
    expect(ids(res.body)).toEqual([hit.id]);
  });

  it('when q is given, then it finds the text inside make or model, ignoring case, a whole word before a part of one', async () => {
    const token = unique('q');
    const inMake = await createCar({ make: `Big${token}Motors`, model: 'One' });
    const inModel = await createCar({ make: unique('Make'), model: `X-${token.toUpperCase()}-Turbo` });
    const res = await api.get(`/cars?q=${token}`).expect(200);
    // Relevance first (contract §2): the model has the word whole, the make only inside a longer word.
    expect(ids(res.body)).toEqual([inModel.id, inMake.id]);
  });

  it('when filters hold quotes, backslashes or SQL, then they are plain text', async () => {
    const make = unique('Make');
    const odd = await createCar({ make, category: "O'Brien \\ Special" });
    const hit = await api.get(`/cars?make=${make}&category=${encodeURIComponent("o'brien \\ special")}`).expect(200);
    expect(ids(hit.body)).toEqual([odd.id]);
    const injection = encodeURIComponent("x'] || true; --");
    for (const field of ['make', 'model', 'category', 'q']) {
      const res = await api.get(`/cars?${field}=${injection}`).expect(200);
      expect({ field, body: res.body }).toEqual({ field, body: [] });
    }
  });

  it('when q contains % or _ or a backslash, then they are punctuation, never wildcards', async () => {
    const token = unique('lit');
    const percent = await createCar({ make: unique('Make'), model: `${token} 100% Electric` });
    const underscore = await createCar({ make: unique('Make'), model: `${token} A_B` });
    const backslash = await createCar({ make: unique('Make'), model: `${token} C\\D` });
    const plain = await createCar({ make: unique('Make'), model: `${token} 100 Electric` });
    await createCar({ make: unique('Make'), model: `${token} AxB` });
    await createCar({ make: unique('Make'), model: `${token} CD` });
    const q = (text: string) => api.get(`/cars?q=${encodeURIComponent(text)}`).expect(200);
    // Punctuation is ignored (`100%` is the word `100`), so both Electric models match; the
    // `_` and `\\` split words rather than standing for any character (`AxB`, `CD` do not match).
    expect(ids((await q(`${token} 100%`)).body)).toEqual([percent.id, plain.id]);
    expect(ids((await q(`${token} A_B`)).body)).toEqual([underscore.id]);
    expect(ids((await q(`${token} C\\D`)).body)).toEqual([backslash.id]);
    for (const wildcard of ['%', '_', '%%', '\\']) {
      const res = await q(wildcard);
      expect({ wildcard, body: res.body, total: res.headers['x-total-count'] }).toEqual({ wildcard, body: [], total: '0' });
    }
  });
});

describe('GET /cars/:id', () => {
  it('when the car exists, then exactly its public fields', async () => {
    const car = await createCar({ model: 'Exact', year: 2015, category: 'Coupe, Convertible' });
    const res = await api.get(`/cars/${car.id}`).expect(200);
    expect(res.body).toEqual({
      id: car.id,
      objectId: car.objectId,
      make: car.make,
      model: 'Exact',
      year: 2015,
      category: 'Coupe, Convertible',
      createdAt: car.createdAt.toISOString(),
      updatedAt: car.updatedAt.toISOString(),
    });
    // Catalogue reads carry an ETag and may be cached privately (contract §2, Caching).
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
  });

  it('when no car has that id, then 404 NOT_FOUND', async () => {
    expectProblem(await api.get('/cars/2147483647'), 404, 'NOT_FOUND');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999', '2147483648', '1e3', '01'])('when the id is %s, then 400 on params.id', async (id) => {
    const res = await api.get(`/cars/${id}`);
    expectInvalid(res, 'params', 'id');
  });

  it('when a query parameter is given, then 400', async () => {
    const car = await createCar();
    const res = await api.get(`/cars/${car.id}?verbose=1`);
    expectInvalid(res, 'query', 'verbose');
  });
});
