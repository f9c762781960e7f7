import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Back4App's Parse REST API on 127.0.0.1: a real HTTP server that checks
 * the credential headers and implements `limit`, `skip`, `order`, `count` and `keys` on
 * `GET /classes/<class>` over rows the test controls, and can be told to fail.
 */
export type ParseRow = Record<string, unknown>;

export const FAKE_APP_ID = 'fake-app-id';
export const FAKE_MASTER_KEY = 'fake-master-key';
export const FAKE_REST_KEY = 'fake-rest-key';
export const FAKE_CLASS = 'Car_Model_List';

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  status: number;
  at: number;
}

interface Failure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeParseServer {
  url: string;
  rows: ParseRow[];
  requests: RecordedRequest[];
  /**
   * The next `times` requests (after `afterRequests` normal ones) answer `status`, e.g.
   * 429 with `Retry-After`, 500 or 403.
   */
  failNext(status: number, times?: number, options?: { retryAfter?: string; body?: unknown; afterRequests?: number }): void;
  /** The next `times` requests get no answer at all, so the client's timeout fires. */
  hangNext(times?: number): void;
  /** Forgets the recorded requests and any failures still pending. */
  reset(): void;
  close(): Promise<void>;
}

const PARSE_BODIES: Record<number, unknown> = {
  403: { error: 'unauthorized' },
  429: { code: 155, error: 'Request limit exceeded' },
  500: { code: 1, error: 'Internal server error.' },
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function authorised(headers: http.IncomingHttpHeaders): boolean {
  if (headers['x-parse-application-id'] !== FAKE_APP_ID) return false;
  return headers['x-parse-master-key'] === FAKE_MASTER_KEY || headers['x-parse-rest-api-key'] === FAKE_REST_KEY;
}

/** Parse's answer to a query: ordered, paged, projected, counted. */
function queryRows(rows: ParseRow[], query: Record<string, string>): { status: number; body: unknown } {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  const skip = query.skip === undefined ? 0 : Number(query.skip);
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(skip) || skip < 0)
    return { status: 400, body: { code: 102, error: 'Invalid limit or skip' } };
  let ordered = [...rows];
  if (query.order === 'objectId' || query.order === '-objectId') {
    ordered.sort((a, b) => (String(a.objectId) < String(b.objectId) ? -1 : 1));
    if (query.order === '-objectId') ordered.reverse();
  }
  const keys = query.keys?.split(',');
  ordered = ordered
    .slice(skip, skip + limit)
    .map((row) => (keys ? Object.fromEntries(Object.entries(row).filter(([k]) => k === 'objectId' || keys.includes(k))) : row));
  return { status: 200, body: { results: ordered, ...(query.count === '1' ? { count: rows.length } : {}) } };
}

type Scripted = Failure | 'hang' | 'pass';

interface ServerState {
  rows: ParseRow[];
  requests: RecordedRequest[];
  scripted: Scripted[];
}

/** Scripted failures first, then Parse's own checks: credentials, route, query. */
function handler(state: ServerState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(parsed.searchParams);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      state.requests.push({ path: parsed.pathname, query, headers: req.headers, status, at: Date.now() });
      send(res, status, body, headers);
    };
    const next = state.scripted.shift();
    if (next === 'hang') {
      state.requests.push({ path: parsed.pathname, query, headers: req.headers, status: 0, at: Date.now() });
      return;
    }
    if (next && next !== 'pass') return reply(next.status, next.body, next.headers);
    if (!authorised(req.headers)) return reply(403, PARSE_BODIES[403]);
    if (req.method !== 'GET' || parsed.pathname !== `/classes/${FAKE_CLASS}`) return reply(404, { code: 119, error: 'Not found' });
    const answer = queryRows(state.rows, query);
    reply(answer.status, answer.body);
  };
}

export async function startFakeParseServer(rows: ParseRow[] = []): Promise<FakeParseServer> {
  const state: ServerState = { rows, requests: [], scripted: [] };
  const failures = state.scripted;
  const server = http.createServer(handler(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get rows() {
      return state.rows;
    },
    set rows(next: ParseRow[]) {
      state.rows = next;
    },
    get requests() {
      return state.requests;
    },
    failNext(status, times = 1, options = {}) {
      const headers: Record<string, string> = options.retryAfter === undefined ? {} : { 'Retry-After': options.retryAfter };
      for (let i = 0; i < (options.afterRequests ?? 0); i += 1) failures.push('pass');
      for (let i = 0; i < times; i += 1)
        failures.push({ status, body: options.body ?? PARSE_BODIES[status] ?? { code: 141, error: 'Failed' }, headers });
    },
    hangNext(times = 1) {
      for (let i = 0; i < times; i += 1) failures.push('hang');
    },
    reset() {
      failures.length = 0;
      state.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens: connecting is refused at once. */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * `count` valid Back4App-shaped rows with objectIds `<prefix>0000`…, carrying the
 * dataset's quirks: several categories in one, glitch categories, make spellings, a numeric model.
 */
export function carRows(prefix: string, count: number): ParseRow[] {
  const shapes = [
    { Make: 'Audi', Model: 'Q3', Category: 'SUV' },
    { Make: 'Chevrolet', Model: 'Corvette', Category: 'Coupe, Convertible' },
    { Make: 'Porsche', Model: 911, Category: 'Coupe' },
    { Make: 'MAZDA', Model: 'MX-5 Miata', Category: 'Convertible' },
    { Make: 'smart', Model: 'fortwo', Category: 'SUV1992' },
    { Make: 'Mercedes-Benz', Model: 'GLE', Category: 'SUV2020' },
  ];
  return Array.from({ length: count }, (_, i) => ({
    objectId: `${prefix}${String(i).padStart(4, '0')}`,
    Year: 1990 + (i % 31),
    ...shapes[i % shapes.length],
    createdAt: '2020-01-27T20:44:17.665Z',
    updatedAt: '2020-01-27T20:44:17.665Z',
  }));
}
