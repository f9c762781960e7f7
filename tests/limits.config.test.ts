import path from 'node:path';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { get } from './helpers/raw-http';

const DATA_DIR = path.join(process.env.DATA_DIR ?? '/tmp', 'limits-config-test');

describe('limit variables', () => {
  it('when nothing is set, then the limits of contract §9 apply', () => {
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR })).toMatchObject({
      HEADERS_TIMEOUT_MS: 10_000,
      REQUEST_TIMEOUT_MS: 30_000,
      KEEP_ALIVE_TIMEOUT_MS: 65_000,
      MAX_CONNECTIONS: 10_000,
      SOCKETS_PER_USER: 20,
      SOCKETS_PER_IP: 500,
      SOCKET_AUTH_TIMEOUT_MS: 5000,
      SOCKET_EVENTS_PER_SECOND: 10,
      SOCKET_MAX_ROOMS: 50,
      SOCKET_MAX_BUFFERED_BYTES: 1_000_000,
      REFRESH_MAX_PER_MINUTE: 30,
      PROFILE_UPDATES_PER_HOUR: 30,
      REPORTS_PER_HOUR: 20,
      PURGE_INTERVAL_MS: 3_600_000,
      PURGE_BATCH_SIZE: 1000,
      PURGE_ROTATED_AFTER_HOURS: 168,
    });
  });

  it.each([
    ['MAX_CONNECTIONS', '0'],
    ['SOCKETS_PER_IP', 'many'],
    ['SOCKET_MAX_BUFFERED_BYTES', '10'],
    ['PURGE_INTERVAL_MS', '5'],
  ])('when %s is %s, then the boot stops naming it', (name, value) => {
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR, [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('when the header timeout is longer than the whole-request one, then the boot stops naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR, HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HEADERS_TIMEOUT_MS: must not be longer/);
  });
});

describe('SOCKETS_PER_IP behind a proxy (TRUST_PROXY)', () => {
  it('when the proxy is trusted, then transport sessions are counted per forwarded client address', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', trustProxy: 'loopback', socketLimits: { perIp: 1 } });
    const handshake = async (client: string) =>
      (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'X-Forwarded-For': client } })).status;
    try {
      expect(await handshake('203.0.113.5')).toBe(200);
      expect(await handshake('203.0.113.5')).toBe(429);
      expect(await handshake('203.0.113.6')).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('when no proxy is trusted, then X-Forwarded-For is ignored: one address is one address', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', socketLimits: { perIp: 1 } });
    try {
      expect((await get(server.port, '/socket.io/?EIO=4&transport=polling')).status).toBe(200);
      const spoofed = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'X-Forwarded-For': '198.51.100.7' } });
      expect(spoofed.status).toBe(429);
    } finally {
      await server.stop();
    }
  });
});
