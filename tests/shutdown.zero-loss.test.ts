import http from 'node:http';
import { rmSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { User } from '../src/models';
import { createCar, createUser } from './helpers/factories';
import { holdLogin } from './helpers/held-request';
import { call, ChildServer, freePort, tempDir } from './helpers/child-server';

jest.setTimeout(120_000);

interface Outcome {
  status: number;
  connection: string | undefined;
  /** The response finished after SIGTERM was sent. */
  afterSignal: boolean;
}

interface LoadReport {
  completed: Outcome[];
  /** ECONNREFUSED: the listener was closed; the request never reached the server. */
  refused: number;
  /** Anything else: a reset, a hang-up, a truncated body. These are the losses. */
  broken: string[];
  /** Keep-alive clients whose connection has answered once (it was accepted). */
  connected: Set<http.Agent>;
}

const signalled = { at: 0 };

function get(url: string, path: string, agent: http.Agent | false): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { agent, timeout: 15_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => {
        if (!res.complete || typeof JSON.parse(text).status !== (res.statusCode === 200 ? 'string' : 'number'))
          reject(new Error(`incomplete response: ${text}`));
        else resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, afterSignal: signalled.at > 0 });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      reject(Object.assign(err, { detail: `${path} reused=${req.reusedSocket} +${signalled.at ? Date.now() - signalled.at : -1}ms` })),
    );
  });
}

/**
 * Back to back until told to go: a keep-alive client on its one connection until a
 * response says `Connection: close`; a load balancer's stream of new connections to
 * `/readyz` until it answers 503. A refused connection (the listener closed) also ends it.
 */
async function client(url: string, agent: http.Agent | false, report: LoadReport): Promise<void> {
  for (;;) {
    try {
      const outcome = await get(url, agent ? '/healthz' : '/readyz', agent);
      if (agent) report.connected.add(agent);
      report.completed.push(outcome);
      if (agent ? outcome.connection === 'close' : outcome.status === 503) return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') report.refused += 1;
      else report.broken.push(`${code ?? ''} ${(err as Error).message} ${(err as { detail?: string }).detail ?? ''}`);
      return;
    }
  }
}

async function oneInstance(options: {
  delayMs: number;
  newConnections: number;
}): Promise<{ report: LoadReport; code: number | null; server: ChildServer }> {
  const dataDir = tempDir('zero-loss-data-');
  // Quiet: a line per request would fill the stdout pipe this process reads, and the
  // server's synchronous logger would stall its event loop waiting for room.
  const port = await freePort();
  const env = {
    DATABASE_URL: String(process.env.DATABASE_URL),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    SHUTDOWN_DELAY_MS: String(options.delayMs),
  };
  const server = await new ChildServer(env).readyOn(port);
  const report: LoadReport = { completed: [], refused: 0, broken: [], connected: new Set() };
  signalled.at = 0;
  const agents = Array.from({ length: 50 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const clients = [
    ...agents.map((agent) => client(server.url, agent, report)),
    ...Array.from({ length: options.newConnections }, () => client(server.url, false, report)),
  ];
  // SIGTERM mid-stream, once the load is flowing on every keep-alive connection (one still
  // in the kernel's accept queue when the listener closes would be reset by the kernel).
  while ((report.completed.length < 500 || report.connected.size < agents.length) && report.broken.length === 0)
    await new Promise((r) => setTimeout(r, 20));
  signalled.at = Date.now();
  server.signal('SIGTERM');
  await Promise.all(clients);
  agents.forEach((agent) => agent.destroy());
  const { code } = await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
  return { report, code, server };
}

function expectNothingLost({ report, code }: { report: LoadReport; code: number | null }): void {
  expect(report.broken).toEqual([]);
  expect(code).toBe(0);
  // Each response was whole (checked as read); the 503s are /readyz saying "shutting down".
  expect(report.completed.filter((o) => o.status !== 200).every((o) => o.status === 503 && o.afterSignal)).toBe(true);
  // What was answered during the drain told the keep-alive clients to go.
  expect(report.completed.filter((o) => o.afterSignal && o.connection === 'close').length).toBeGreaterThanOrEqual(50);
}

describe('zero-loss shutdown', () => {
  let server: ChildServer | undefined;

  beforeAll(async () => {
    await createCar(); // a catalogue that is not empty: the server starts without importing
  });

  afterEach(async () => {
    await server?.kill();
    server = undefined;
  });

  it('when SIGTERM arrives while 50 keep-alive clients send back to back, then not one request is reset and each fresh instance exits 0', async () => {
    for (let run = 0; run < 2; run += 1) {
      const outcome = await oneInstance({ delayMs: 0, newConnections: 0 });
      server = outcome.server;
      expectNothingLost(outcome);
    }
  });

  it('when SIGTERM arrives mid-stream of keep-alive clients and new connections, with SHUTDOWN_DELAY_MS, then not one request is reset', async () => {
    for (let run = 0; run < 2; run += 1) {
      const outcome = await oneInstance({ delayMs: 1000, newConnections: 5 });
      server = outcome.server;
      expectNothingLost(outcome);
      expect(outcome.report.completed.filter((o) => o.status === 503).length).toBe(5); // every stream saw /readyz fail
    }
  });

  it('when SHUTDOWN_DELAY_MS is set, then /readyz answers 503 at once while requests are still served, and the listener closes after the delay', async () => {
    const dataDir = tempDir('zero-loss-delay-');
    const running = await new ChildServer({ DATABASE_URL: String(process.env.DATABASE_URL), DATA_DIR: dataDir, SHUTDOWN_DELAY_MS: '1500' }).ready();
    server = running;
    expect((await call(running.url, { path: '/readyz' })).status).toBe(200);

    const signalledAt = Date.now();
    running.signal('SIGTERM');
    await running.waitFor((l) => l.msg === 'shutting down');
    const ready = await call(running.url, { path: '/readyz' });
    expect(ready.status).toBe(503);
    expect(ready.contentType).toMatch(/application\/problem\+json/);
    expect(ready.body.code).toBe('SERVICE_UNAVAILABLE');
    const served = await call(running.url, { path: '/healthz' });
    expect(served.status).toBe(200);

    await running.waitFor((l) => l.msg === 'stopped accepting connections', 5000);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1400);
    await expect(call(running.url, { path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
    expect((await running.exited).code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when SIGTERM arrives during 20 bcrypt-heavy logins and SHUTDOWN_TIMEOUT_MS is long, then all 20 complete (the hard stop follows the timeout) and it exits 0', async () => {
    // The production cost (10), not the tests' 4: on a loaded machine they can take longer
    // than the old fixed 14 s hard stop, which a 30 s SHUTDOWN_TIMEOUT_MS must not cut short.
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser()));
    const heavy = bcrypt.hashSync(users[0]?.password ?? '', 10);
    await User.update({ passwordHash: heavy }, { where: { id: users.map((u) => u.user.id) } });
    const dataDir = tempDir('zero-loss-bcrypt-');
    const running = await new ChildServer({
      DATABASE_URL: String(process.env.DATABASE_URL),
      DATA_DIR: dataDir,
      SHUTDOWN_TIMEOUT_MS: '30000',
    }).ready();
    server = running;

    const held = await Promise.all(users.map(({ email, password }) => holdLogin(running.url, { email, password })));
    running.signal('SIGTERM');
    expect((await running.waitFor((l) => l.msg === 'stopped accepting connections')).inFlight).toBe(20);
    const responses = await Promise.all(held.map((h) => h.finish()));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.every((r) => typeof r.body.access_token === 'string' && r.connection === 'close')).toBe(true);
    expect((await running.exited).code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
