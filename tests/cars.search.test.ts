import { createApp } from '../src/app';
import type { Car } from '../src/models';
import { createCar, loginAs } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { as } from './helpers/http';
import { expectInvalid } from './helpers/problem';

// Its own database: the searches below are what a person types ("toyota"), so no other
// file's cars may answer them.
useFreshDatabase('search_test');
const app = createApp();
let api: ReturnType<typeof as>;
const cars: Record<string, Car> = {};

const CATALOGUE: [string, string, string, number, string][] = [
  ['camry', 'Toyota', 'Camry', 2020, 'Sedan'],
  ['camry2019', 'Toyota', 'Camry', 2019, 'Sedan'],
  ['camryHybrid', 'Toyota', 'Camry Hybrid', 2020, 'Sedan'],
  ['corolla', 'Toyota', 'Corolla', 2018, 'Sedan, Hatchback'],
  ['cClass', 'Mercedes-Benz', 'C-Class', 2019, 'Sedan, Coupe'],
  ['defender', 'Land Rover', 'Defender 110', 2021, 'SUV'],
  ['f150', 'Ford', 'F-150', 2020, 'Pickup'],
  ['fusion', 'Ford', 'Fusion', 2016, 'Sedan'],
  ['golf', 'Volkswagen', 'Golf', 2017, 'Hatchback'],
  ['series3', 'BMW', '3 Series', 2019, 'Sedan'],
  ['x3', 'BMW', 'X3', 2019, 'SUV'],
  ['p911', 'Porsche', '911', 2020, 'Coupe'],
  ['cayenne', 'Porsche', 'Cayenne', 2020, 'SUV'],
  ['c4', 'Citroën', 'C4 Picasso', 2015, 'Van/Minivan'],
  ['odd', 'Oddity', '100% Electric_Edition', 2022, 'Sedan'],
];

beforeAll(async () => {
  api = as(app, (await loginAs(app)).accessToken);
  for (const [name, make, model, year, category] of CATALOGUE) cars[name] = await createCar({ make, model, year, category });
});

async function search(q: string, extra = '') {
  const res = await api.get(`/cars?q=${encodeURIComponent(q)}${extra}`).expect(200);
  const found = (res.body as Car[]).map((c) => Object.entries(cars).find(([, car]) => car.id === c.id)?.[0] ?? `#${c.id}`);
  return { found, total: Number(res.headers['x-total-count']) };
}

describe('GET /cars?q= — words as a person types them', () => {
  it.each([
    ['toyota camry', ['camry', 'camry2019', 'camryHybrid']],
    ['Camry 2020', ['camry', 'camryHybrid']],
    ['camry toyota', ['camry', 'camry2019', 'camryHybrid']],
    ['TOYOTA', ['camry', 'camry2019', 'corolla', 'camryHybrid']],
    ['mercedes benz', ['cClass']],
    ['mercedes-benz c-class', ['cClass']],
    ['benz c class', ['cClass']],
    ['land rover', ['defender']],
    ['landrover defender', ['defender']],
    ['f-150', ['f150']],
    ['f150', ['f150']],
    ['ford f 150', ['f150']],
    ['vw golf', ['golf']],
    ['volkswagen', ['golf']],
    ['bmw 3 series', ['series3']],
    ['bmw x3', ['x3']],
    ['porsche 911', ['p911']],
    ['citroen', ['c4']],
    ['CITROËN c4', ['c4']],
    ['2019', ['camry2019', 'x3', 'series3', 'cClass']],
    ['rolla', ['corolla']],
  ])('when q is %j, then it finds exactly those cars, the best match first', async (q, expected) => {
    const { found, total } = await search(q);
    expect(found).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it('when every word must match, then a word that matches nothing of a car leaves it out', async () => {
    const { found } = await search('toyota corolla');
    expect(found).toEqual(['corolla']);
  });

  it('when q names the make and model exactly, then that model comes before longer names, then by id', async () => {
    expect((await search('toyota camry')).found.slice(0, 2)).toEqual(['camry', 'camry2019']);
    expect((await search('camry')).found).toEqual(['camry', 'camry2019', 'camryHybrid']);
  });

  it('when a sort is given, then it replaces the relevance order', async () => {
    expect((await search('toyota', '&sort=-year')).found).toEqual(['camry', 'camryHybrid', 'camry2019', 'corolla']);
    expect((await search('toyota', '&sort=model')).found).toEqual(['camry', 'camry2019', 'camryHybrid', 'corolla']);
  });

  it('when a word is one or two characters, then it matches only the start of a word', async () => {
    expect((await search('bmw 3')).found).toEqual(['series3']);
    expect((await search('bmw x')).found).toEqual(['x3']);
    expect((await search('to camry')).found).toEqual(['camry', 'camry2019', 'camryHybrid']);
  });

  it('when q holds % or _, then they are punctuation, not wildcards', async () => {
    expect((await search('100% electric_edition')).found).toEqual(['odd']);
    expect(await search('%')).toEqual({ found: [], total: 0 });
    expect(await search('_')).toEqual({ found: [], total: 0 });
  });

  it('when q is combined with filters, then a car must match both', async () => {
    expect((await search('toyota', '&category=hatchback')).found).toEqual(['corolla']);
    expect((await search('porsche', '&year_min=2020&year_max=2020&category=suv')).found).toEqual(['cayenne']);
  });
});

describe('GET /cars?q= — typos fall back to similarity', () => {
  it.each([
    ['porshe 911', 'p911'],
    ['toyta corola', 'corolla'],
    ['volkswagon golf', 'golf'],
    ['mercedez', 'cClass'],
  ])('when q is the typo %j, then the most similar car comes first and X-Total-Count counts what is returned', async (q, best) => {
    const res = await api.get(`/cars?q=${encodeURIComponent(q)}&limit=100`).expect(200);
    const { found } = await search(q, '&limit=100');
    expect(found[0]).toBe(best);
    expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
  });

  it('when a typo comes with a year, then the year still filters', async () => {
    expect((await search('toyta camri 2019')).found).toEqual(['camry2019']);
  });

  it('when nothing is even similar, then 200 [] and X-Total-Count 0', async () => {
    expect(await search('qzxwv kjhgf')).toEqual({ found: [], total: 0 });
  });
});

describe('GET /cars?q= — bad input', () => {
  it('when q is 100 characters, then it is searched; at 101, then 400 naming q', async () => {
    await api.get(`/cars?q=${encodeURIComponent(`${'toyota '.repeat(14)}ab`)}`).expect(200);
    expectInvalid(await api.get(`/cars?q=${'x'.repeat(101)}`), 'query', 'q');
  });

  it.each(['constructor', 'toString hasOwnProperty', '__proto__', 'valueOf 2020'])(
    'when q is %j (a name JavaScript objects carry), then it is just a word',
    async (q) => {
      expect(await search(q)).toEqual({ found: [], total: 0 });
    },
  );

  it('when q is only spaces, then 400 naming q', async () => {
    expectInvalid(await api.get('/cars?q=%20%20'), 'query', 'q');
  });
});
