import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { UNMATCHED_ROUTE } from '../src/metrics';
import { startServer, type RunningServer } from '../src/server';
import { createCar, loginAs } from './helpers/factories';
import { closeAllSockets, connect, sendOk } from './helpers/sockets';

const TOKEN = `metrics-${randomUUID()}`;
const app = createApp();
let server: RunningServer;
let second: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', metricsToken: TOKEN });
  // A second one in the same process: each has its own registry, nothing registered twice.
  second = await startServer({ port: 0, host: '127.0.0.1', metricsToken: TOKEN });
});

afterEach(() => closeAllSockets());

afterAll(async () => {
  await Promise.all([server.stop(), second.stop()]);
});

async function scrape(target: RunningServer = server): Promise<string> {
  const res = await request(target.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** The value of one series, e.g. `chat_messages_total` or `db_pool_connections{state="used"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('when METRICS_TOKEN is not set, then it is 404 like any unknown route', async () => {
    const res = await request(app).get('/metrics').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('when the bearer token is missing or wrong, then 401 problem+json and no metrics', async () => {
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const call = request(server.url).get('/metrics');
      const res = await (header ? call.set('Authorization', header) : call);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res.body)).not.toContain('http_request_duration_seconds');
    }
  });

  it('when requests were served, then the histogram is labelled with route patterns, never raw URLs', async () => {
    const me = await loginAs(app);
    const car = await createCar();
    await request(server.url).get(`/cars/${car.id}`).set('access_token', me.accessToken).expect(200);
    await request(server.url).get('/cars/999999999').set('access_token', me.accessToken).expect(404);
    await request(server.url).get(`/no/such/${randomUUID()}`).expect(404);

    const text = await scrape();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/cars\/:id",status="200"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/cars\/:id",status="404"\} [1-9]/);
    expect(text).toContain(`route="${UNMATCHED_ROUTE}",status="404"`);
    expect(text).not.toMatch(/route="[^"]*\/\d+/); // no id in any route label
    expect(text).not.toContain('/no/such');
  });

  it('when scraped, then it has every series of the contract and the default process metrics', async () => {
    const text = await scrape();
    for (const name of [
      'socketio_connected_sockets',
      'chat_messages_total',
      'password_hash_queue_depth',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(valueOf(text, name)).toEqual(expect.any(Number));
    for (const state of ['idle', 'used', 'waiting']) expect(valueOf(text, `db_pool_connections{state="${state}"}`)).toEqual(expect.any(Number));
    expect(text).toContain('nodejs_gc_duration_seconds');
    // The second server's registry answers too (one registry per server).
    expect(valueOf(await scrape(second), 'socketio_connected_sockets')).toBe(0);
  });

  it('when a socket connects and sends a message, then the socket gauge and the message counter move', async () => {
    const before = valueOf(await scrape(), 'chat_messages_total') ?? 0;
    const socket = await connect(server.url, { token: (await loginAs(app)).accessToken });
    await sendOk(socket, { text: `counted ${randomUUID()}`, room: 'global' });
    const text = await scrape();
    expect(valueOf(text, 'socketio_connected_sockets')).toBe(1);
    expect(valueOf(text, 'chat_messages_total')).toBe(before + 1);
  });
});
