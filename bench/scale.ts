import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getSequelize } from '../src/db/sequelize';
import { PROJECT_ROOT } from '../src/paths';
import { migrateUp } from '../src/db/migrate';
import { ensureCars, openBenchDatabase, prepareFixtures, type Fixtures } from './fixtures';
import { cycle, runLoad, type LoadResult } from './load';
import { log } from './log';
import { startChildServer, type ChildServer } from './processes';
import { Samples } from './stats';

/**
 * `npm run bench -- --scale`: the catalogue at a million cars (§8). The rows are made in
 * SQL (generate_series over the bundled snapshot's makes, models and categories, years
 * spread over 1980–2025) in the bench's own database, then each catalogue route is driven
 * by ONE client (one connection, one request at a time) and its p50/p99 printed.
 */
const RESULTS_FILE = path.join(PROJECT_ROOT, 'bench', 'scale-results.json');
const TARGET_MS = 50;

async function generateCars(total: number): Promise<number> {
  const sequelize = getSequelize();
  const [[{ count }]] = (await sequelize.query('SELECT count(*)::int AS count FROM "Cars"')) as [{ count: number }[], unknown];
  const missing = total - count;
  if (missing <= 0) return count;
  log(`generating ${missing} cars in SQL (generate_series)`);
  const started = performance.now();
  await sequelize.query(`
    WITH base AS (SELECT row_number() OVER (ORDER BY "id") AS n, "make", "model", "category" FROM "Cars"),
         size AS (SELECT count(*) AS n FROM base)
    INSERT INTO "Cars" ("objectId", "make", "model", "year", "category", "createdAt", "updatedAt")
    SELECT 'scale' || g, b."make", b."model", 1980 + (g::bigint * 7919) % 46, b."category", now(), now()
    FROM generate_series(1, ${missing}) g CROSS JOIN size JOIN base b ON b.n = 1 + (g - 1) % size.n`);
  log(`generated in ${Math.round((performance.now() - started) / 1000)} s`);
  return total;
}

interface Route {
  name: string;
  paths: string[];
  headers?: Record<string, string>;
}

const SEARCHES = ['toyota camry', 'Camry 2020', 'mercedes benz', 'land rover', 'f-150', 'vw golf', 'bmw 3 series', 'honda', 'porsche 911'];
const TYPOS = ['porshe 911', 'toyta corola', 'volkswagon golf', 'hundai sonata'];

async function routes(fx: Fixtures, server: ChildServer, token: string): Promise<Route[]> {
  const e = encodeURIComponent;
  const makes = fx.makes.slice(0, 20);
  const ids = fx.carIds.slice(0, 500);
  const etagPaths = ['/cars?limit=20', `/cars?q=${e('toyota camry')}`, '/cars/facets?make=Toyota'];
  const etags: Record<string, string> = {};
  for (const p of etagPaths) etags[p] = (await fetch(server.url + p, { headers: { access_token: token } })).headers.get('etag') ?? '';
  return [
    { name: 'GET /cars/:id', paths: ids.map((id) => `/cars/${id}`) },
    { name: 'GET /cars (pages 1–50)', paths: Array.from({ length: 50 }, (_, i) => `/cars?page=${i + 1}`) },
    { name: 'GET /cars?make=…', paths: makes.map((m) => `/cars?make=${e(m)}`) },
    { name: 'GET /cars?make=a,b&sort=-year', paths: makes.slice(1).map((m, i) => `/cars?make=${e(`${makes[i]},${m}`)}&sort=-year`) },
    { name: 'GET /cars?model=…', paths: ['Camry', 'Civic', 'F-150', '3 Series', 'Corolla', 'Golf'].map((m) => `/cars?model=${e(m)}`) },
    { name: 'GET /cars?category=…', paths: ['SUV', 'Sedan', 'Pickup', 'Convertible,Coupe', 'Wagon'].map((c) => `/cars?category=${e(c)}`) },
    { name: 'GET /cars?year_min&year_max', paths: [1985, 1995, 2005, 2015].map((y) => `/cars?year_min=${y}&year_max=${y + 5}`) },
    { name: 'GET /cars?q=… (words)', paths: SEARCHES.map((q) => `/cars?q=${e(q)}`) },
    { name: 'GET /cars?q=… (typos)', paths: TYPOS.map((q) => `/cars?q=${e(q)}`) },
    { name: 'GET /cars?q=…&category&year_min', paths: SEARCHES.map((q) => `/cars?q=${e(q)}&category=SUV,Sedan&year_min=2000`) },
    {
      name: 'GET /cars/facets',
      paths: ['', ...makes.slice(0, 5).map((m) => `?make=${e(m)}`), '?category=SUV', `?q=${e('toyota')}`].map((p) => `/cars/facets${p}`),
    },
    ...etagPaths.map((p) => ({ name: `GET ${decodeURIComponent(p)} If-None-Match (304)`, paths: [p], headers: { 'if-none-match': etags[p] ?? '' } })),
  ];
}

interface ScaleRow {
  route: string;
  /** the slowest first request of any of the route's URLs: what a cache miss costs */
  firstMaxMs: number;
  p50: number;
  p99: number;
  rps: number;
  statusCodes: Record<string, number>;
}

async function firstRequests(server: ChildServer, route: Route, token: string): Promise<number> {
  const samples = new Samples();
  for (const p of route.paths.slice(0, 10)) {
    const started = performance.now();
    const res = await fetch(server.url + p, { headers: { access_token: token, ...route.headers } });
    await res.arrayBuffer();
    samples.add(performance.now() - started);
    if (res.status >= 400) throw new Error(`${p} answered ${res.status}`);
  }
  return samples.summary().p99;
}

/** Each URL of a search route alone, 20 times in a row: which words cost what. */
async function perUrl(server: ChildServer, route: Route, token: string): Promise<string[]> {
  const lines: string[] = [];
  for (const p of route.paths) {
    const samples = new Samples();
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      await (await fetch(server.url + p, { headers: { access_token: token } })).arrayBuffer();
      samples.add(performance.now() - started);
    }
    const { p50, p99 } = samples.summary();
    lines.push(`  ${decodeURIComponent(p)}: p50 ${p50} ms, max ${p99} ms`);
  }
  return lines;
}

async function measureRoute(server: ChildServer, fx: Fixtures, route: Route, duration: number): Promise<LoadResult> {
  const user = cycle(fx.users);
  const next = cycle(route.paths);
  const spec = (seconds: number) => ({
    url: server.url,
    pid: server.pid,
    connections: 1,
    duration: seconds,
    next: () => ({ path: next(), headers: { access_token: user().token, ...route.headers } }),
  });
  await runLoad(spec(1));
  return (await runLoad(spec(duration))).result();
}

function format(rows: ScaleRow[], cars: number): string {
  const lines = [`\nCatalogue at ${cars.toLocaleString('en-US')} cars, one client (target: p99 ≤ ${TARGET_MS} ms)\n`];
  lines.push('| route | first request (max) ms | p50 ms | p99 ms | req/s | statuses | within |', '|---|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    const statuses = Object.entries(r.statusCodes)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    lines.push(`| ${r.route} | ${r.firstMaxMs.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.rps} | ${statuses} | ${r.p99 <= TARGET_MS ? 'yes' : 'NO'} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The whole scale scenario, with its own database and server; cleanups run by the caller. */
export async function runScale(cleanups: (() => Promise<void>)[], serverEntry: string): Promise<void> {
  const total = Number(process.env.BENCH_SCALE_CARS ?? 1_000_000);
  const duration = Math.max(1, Number(process.env.BENCH_DURATION ?? 5));
  const db = await openBenchDatabase('car_community_scale');
  cleanups.push(db.stop);
  await migrateUp(getSequelize());
  await ensureCars();
  const cars = await generateCars(total);
  const fx = await prepareFixtures(db.url);
  const server = await startChildServer('api-server', serverEntry, { DATABASE_URL: db.url, LOG_LEVEL: 'warn', DB_STATEMENT_TIMEOUT_MS: '5000' });
  cleanups.unshift(server.stop);
  const token = fx.users[0]?.token ?? '';
  const rows: ScaleRow[] = [];
  const details: string[] = [];
  for (const route of await routes(fx, server, token)) {
    const firstMaxMs = await firstRequests(server, route, token);
    log(`${route.name}: one connection for ${duration} s`);
    const r = await measureRoute(server, fx, route, duration);
    rows.push({ route: route.name, firstMaxMs, p50: r.p50, p99: r.p99, rps: r.rps, statusCodes: r.statusCodes });
    if (route.name.includes('q=')) details.push(`${route.name}, URL by URL:`, ...(await perUrl(server, route, token)));
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ startedAt: new Date().toISOString(), cars, duration, rows }, null, 2)}\n`);
  process.stdout.write(`${format(rows, cars)}\n${details.join('\n')}\n`);
  log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}
