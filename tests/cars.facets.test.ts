import request from 'supertest';
import { createApp } from '../src/app';
import type { Car } from '../src/models';
import { createCar, loginAs, unique } from './helpers/factories';
import { as } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();
let api: ReturnType<typeof as>;

// The shared database holds other files' cars: each test isolates its own with fresh make
// and category names, and filters on both (each list leaves out only its own field).
const mkA = unique('MkA');
const mkB = unique('MkB');
const mkC = unique('MkC');
const catA = unique('CatA');
const catB = unique('CatB');
let made: Car[];

beforeAll(async () => {
  api = as(app, (await loginAs(app)).accessToken);
  made = [
    await createCar({ make: mkA, model: 'Roadster', year: 2020, category: catA }),
    await createCar({ make: mkA, model: 'Roadster', year: 2021, category: `${catA}, ${catB}` }),
    await createCar({ make: mkA, model: 'Wagon', year: 2020, category: catB }),
    await createCar({ make: mkB, model: 'ROADSTER', year: 2019, category: catA }),
    await createCar({ make: mkB, model: 'Coupe', year: 2020, category: catB }),
    await createCar({ make: mkC, model: 'Other', year: 2020, category: catA }),
  ];
});

const e = encodeURIComponent;
const both = `make=${e(`${mkA},${mkB}`)}&category=${e(`${catA},${catB}`)}`;

async function totalOf(query: string): Promise<number> {
  return Number((await api.get(`/cars?${query}`).expect(200)).headers['x-total-count']);
}

describe('GET /cars/facets', () => {
  it('when make and category lists are given, then each list counts the cars matching every other filter', async () => {
    const res = await api.get(`/cars/facets?${both}`).expect(200);
    // Models group ignoring case, as the model filter compares; the value shown is one stored spelling.
    res.body.models = res.body.models.map((m: { value: string; count: number }) => ({ ...m, value: m.value.toLowerCase() }));
    expect(res.body).toEqual({
      makes: [
        { value: mkA, count: 3 },
        { value: mkB, count: 2 },
        { value: mkC, count: 1 },
      ],
      models: [
        { value: 'coupe', count: 1 },
        { value: 'roadster', count: 3 },
        { value: 'wagon', count: 1 },
      ],
      years: [
        { value: 2021, count: 1 },
        { value: 2020, count: 3 },
        { value: 2019, count: 1 },
      ],
      categories: [
        { value: catA, count: 3 },
        { value: catB, count: 3 },
      ].sort((x, y) => (x.value < y.value ? -1 : 1)),
    });
    expect(made).toHaveLength(6);
  });

  it('when any facet value is chosen, then its count is the X-Total-Count of /cars with that value', async () => {
    const base = `make=${e(`${mkA},${mkB}`)}&category=${e(`${catA},${catB}`)}&year_min=2019&q=${e('r')}`;
    const { body } = await api.get(`/cars/facets?${base}`).expect(200);
    const without = (field: string) =>
      base
        .split('&')
        .filter((p) => !p.startsWith(`${field}=`))
        .join('&');
    const checks: [string, string][] = [
      ...body.makes.map((f: { value: string; count: number }) => [`${without('make')}&make=${e(f.value)}`, f.count]),
      ...body.models.map((f: { value: string; count: number }) => [`${base}&model=${e(f.value)}`, f.count]),
      ...body.years.map((f: { value: number; count: number }) => [`${without('year_min')}&year=${f.value}`, f.count]),
      ...body.categories.map((f: { value: string; count: number }) => [`${without('category')}&category=${e(f.value)}`, f.count]),
    ];
    expect(checks.length).toBeGreaterThanOrEqual(8);
    for (const [query, count] of checks) expect({ query, total: await totalOf(query) }).toEqual({ query, total: count });
  });

  it('when no make is given, then models is [] and years run newest first', async () => {
    const res = await api.get(`/cars/facets?category=${e(catA)}`).expect(200);
    expect(res.body.models).toEqual([]);
    expect(res.body.makes).toEqual([
      { value: mkA, count: 2 },
      { value: mkB, count: 1 },
      { value: mkC, count: 1 },
    ]);
    expect(res.body.years).toEqual([
      { value: 2021, count: 1 },
      { value: 2020, count: 2 },
      { value: 2019, count: 1 },
    ]);
  });

  it('when nothing matches, then every list is empty', async () => {
    const res = await api.get(`/cars/facets?make=${unique('None')}&category=${unique('None')}`).expect(200);
    expect(res.body).toEqual({ makes: [], models: [], years: [], categories: [] });
  });

  it('when called without a token, then 401', async () => {
    expectProblem(await request(app).get('/cars/facets'), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['paging, which facets do not take', 'page=1', ['page']],
    ['a sort', 'sort=year', ['sort']],
    ['a malformed year_min', 'year_min=20x0', ['year_min']],
    ['year_min after year_max', 'year_min=2021&year_max=2020', ['year_min']],
    ['a q over 100 characters', `q=${'a'.repeat(101)}`, ['q']],
  ])('when given %s, then 400 naming it', async (_label, query, fields) => {
    expectInvalid(await api.get(`/cars/facets?${query}`), 'query', ...fields);
  });
});

describe('GET /cars list and range filters', () => {
  it('when make and model are comma lists, then cars matching any of each, ignoring case', async () => {
    const res = await api.get(`/cars?make=${e(`${mkA.toUpperCase()}, ${mkB.toLowerCase()}`)}&model=roadster,COUPE`).expect(200);
    expect(res.body.map((c: Car) => c.id)).toEqual([made[0].id, made[1].id, made[3].id, made[4].id]);
    expect(res.headers['x-total-count']).toBe('4');
  });

  it('when year_min and year_max are given, then both ends are included', async () => {
    const res = await api.get(`/cars?make=${e(`${mkA},${mkB}`)}&year_min=2019&year_max=2020`).expect(200);
    expect(res.body.map((c: Car) => c.id)).toEqual([made[0].id, made[2].id, made[3].id, made[4].id]);
    expect((await api.get(`/cars?make=${mkA}&year_min=2021`).expect(200)).body.map((c: Car) => c.id)).toEqual([made[1].id]);
    expect((await api.get(`/cars?make=${mkB}&year_max=2019`).expect(200)).body.map((c: Car) => c.id)).toEqual([made[3].id]);
  });

  it.each([
    ['year_min with letters', 'year_min=abcd', ['year_min']],
    ['year_max with five digits', 'year_max=20200', ['year_max']],
    ['year_min after year_max', 'year_min=2021&year_max=2019', ['year_min']],
    ['an empty year_max', 'year_max=', ['year_max']],
    ['a make list of nothing', 'make=%2C%2C', ['make']],
    ['a model list of nothing', 'model=%20%2C', ['model']],
  ])('when given %s, then 400 problem+json naming it', async (_label, query, fields) => {
    expectInvalid(await api.get(`/cars?${query}`), 'query', ...fields);
  });
});
