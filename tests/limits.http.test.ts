import http from 'node:http';
import { createApp } from '../src/app';
import { logger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';
import { loginAs } from './helpers/factories';
import { get, rawConnect } from './helpers/raw-http';
import { closeAllSockets, connect } from './helpers/sockets';

const app = createApp();
const warnings = jest.spyOn(logger, 'warn');

let server: RunningServer | undefined;
afterEach(async () => {
  closeAllSockets();
  await server?.stop();
  server = undefined;
  warnings.mockClear();
});

/** What the logger was given for the messages matching `msg`. */
function logged(msg: RegExp): Record<string, unknown>[] {
  return warnings.mock.calls.filter(([, text]) => typeof text === 'string' && msg.test(text)).map(([fields]) => fields as Record<string, unknown>);
}

async function start(httpLimits: Parameters<typeof startServer>[0]['httpLimits']): Promise<RunningServer> {
  server = await startServer({ port: 0, host: '127.0.0.1', httpLimits, shutdownTimeoutMs: 500 });
  return server;
}

describe('request timeouts (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS)', () => {
  it('when a client trickles its headers, then 408 problem+json and the connection is closed; another client is served meanwhile', async () => {
    const { port } = await start({ headersTimeoutMs: 400, requestTimeoutMs: 1000 });
    const slow = await rawConnect(port);
    const startedAt = Date.now();
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const beside = await get(port, '/healthz');
    expect(beside).toEqual({ status: 200, body: '{"status":"ok"}' });
    const answer = await slow.closed(3000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(380);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain('Connection: close');
    expect(answer).toContain('application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    expect(logged(/request timed out/)).toEqual([expect.objectContaining({ remoteAddress: expect.stringContaining('127.0.0.1') })]);
  });

  it('when a client sends its headers but trickles the body, then 408 at the whole-request timeout, logged with the request id', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    const slow = await rawConnect(port);
    const startedAt = Date.now();
    slow.socket.write(
      'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: slow-body-1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{"em',
    );
    expect((await get(port, '/healthz')).status).toBe(200);
    const answer = await slow.closed(4000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(780);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(logged(/request timed out/)).toEqual([expect.objectContaining({ reqId: 'slow-body-1' })]);
  });
});

describe('idle keep-alive connections (KEEP_ALIVE_TIMEOUT_MS)', () => {
  it('when a keep-alive connection stays idle, then the server closes it after the timeout, not before', async () => {
    const { port } = await start({ keepAliveTimeoutMs: 500 });
    const idle = await rawConnect(port);
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const answeredAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(idle.socket.destroyed).toBe(false);
    await idle.closed(3000);
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(450);
  });

  it('when nothing is configured, then the server keeps idle connections 65 s, longer than common load balancers', async () => {
    const { httpServer } = await start({});
    expect(httpServer.keepAliveTimeout).toBe(65_000);
    expect(httpServer.headersTimeout).toBe(10_000);
    expect(httpServer.requestTimeout).toBe(30_000);
    expect(httpServer.maxConnections).toBe(10_000);
  });
});

describe('open connections (MAX_CONNECTIONS)', () => {
  it('when the server holds its maximum (HTTP and WebSocket together), then a new connection is refused at once and /healthz still answers on an open one', async () => {
    const { port, url } = await start({ maxConnections: 4 });
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(port, '/healthz', keepAlive)).status).toBe(200);
      await connect(url, { token: (await loginAs(app)).accessToken });
      const idle = [await rawConnect(port), await rawConnect(port)];
      await new Promise((resolve) => setTimeout(resolve, 50));

      const refused = await rawConnect(port);
      expect(await refused.closed(1000)).toBe('');
      await expect(get(port, '/healthz')).rejects.toThrow();
      expect(logged(/MAX_CONNECTIONS/)[0]).toMatchObject({ maxConnections: 4, remoteAddress: expect.stringContaining('127.0.0.1') });

      const beside = Date.now();
      expect(await get(port, '/healthz', keepAlive)).toEqual({ status: 200, body: '{"status":"ok"}' });
      expect(Date.now() - beside).toBeLessThan(1000);

      for (const connection of idle) connection.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      keepAlive.destroy();
    }
  });
});
