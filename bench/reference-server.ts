import http from 'node:http';
import jwt from 'jsonwebtoken';
import type { QueryConfig } from 'pg';
import { key, pool, verifyOptions } from './reference-env';

/**
 * The practical limit for scenarios A and B: the same work as the API — verify the
 * HS256 access token (KeyObject, issuer, audience, type), look the user up by id, run
 * the car query (with the total count for lists) — written with nothing but node:http,
 * pg and jsonwebtoken, with prepared statements. Run by the bench as its own process.
 */

const CAR_COLUMNS = '"id", "objectId", "make", "model", "year", "category", "createdAt", "updatedAt"';
const sql = {
  user: 'SELECT "id", "username", "role" FROM "Users" WHERE "id" = $1',
  car: `SELECT ${CAR_COLUMNS} FROM "Cars" WHERE "id" = $1`,
  carsByMake: `SELECT ${CAR_COLUMNS} FROM "Cars" WHERE lower("make") = $1 ORDER BY "id" LIMIT $2 OFFSET $3`,
  countByMake: 'SELECT count(*)::int AS "total" FROM "Cars" WHERE lower("make") = $1',
};

function prepared(name: keyof typeof sql, values: unknown[]): QueryConfig {
  return { name: `ref_${name}`, text: sql[name], values };
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

function tokenOf(req: http.IncomingMessage): string {
  const direct = req.headers['access_token'];
  if (typeof direct === 'string' && direct) return direct;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) throw new HttpError(401);
  return match[1];
}

async function authenticate(req: http.IncomingMessage): Promise<{ id: number }> {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(tokenOf(req), key, verifyOptions);
  } catch {
    throw new HttpError(401);
  }
  if (typeof payload !== 'object' || payload.typ !== 'access' || typeof payload.sub !== 'string') throw new HttpError(401);
  const { rows } = await pool.query<{ id: number }>(prepared('user', [Number(payload.sub)]));
  if (!rows[0]) throw new HttpError(401);
  return rows[0];
}

async function getCar(res: http.ServerResponse, id: number): Promise<void> {
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(400);
  const { rows } = await pool.query(prepared('car', [id]));
  if (!rows[0]) throw new HttpError(404);
  send(res, 200, rows[0]);
}

async function listCars(res: http.ServerResponse, query: URLSearchParams): Promise<void> {
  const make = (query.get('make') ?? '').trim().toLowerCase();
  const limit = Number(query.get('limit') ?? 20);
  const page = Number(query.get('page') ?? 1);
  if (!make || !Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(page) || page < 1) throw new HttpError(400);
  const [list, count] = await Promise.all([
    pool.query(prepared('carsByMake', [make, limit, (page - 1) * limit])),
    pool.query<{ total: number }>(prepared('countByMake', [make])),
  ]);
  send(res, 200, list.rows, { 'X-Total-Count': String(count.rows[0]?.total ?? 0) });
}

async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://reference');
  if (req.method !== 'GET') throw new HttpError(404);
  if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
  const one = /^\/cars\/(\d+)$/.exec(url.pathname);
  if (one?.[1]) {
    await authenticate(req);
    return getCar(res, Number(one[1]));
  }
  if (url.pathname === '/cars') {
    await authenticate(req);
    return listCars(res, url.searchParams);
  }
  throw new HttpError(404);
}

const server = http.createServer((req, res) => {
  route(req, res).catch((err: unknown) =>
    send(res, err instanceof HttpError ? err.status : 500, { status: err instanceof HttpError ? err.status : 500 }),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void pool.end().then(() => process.exit(0)));
});
