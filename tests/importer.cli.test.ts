import { Car, User } from '../src/models';
import { carRows, startFakeParseServer, type FakeParseServer } from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useFreshDatabase } from './helpers/fresh-database';
import { runProjectCommand, type CommandRun } from './helpers/run-command';

const fresh = useFreshDatabase();
let server: FakeParseServer;

beforeAll(async () => {
  server = await startFakeParseServer();
});

afterAll(async () => {
  await server.close();
});

/** `npm run seed -- <args>` as a child process (through ts-node, without the build step). */
function seed(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  return runProjectCommand(['-r', 'ts-node/register/transpile-only', 'src/cli/seed.ts', ...args], fresh.url, server.url, env);
}

describe('npm run seed', () => {
  it('when Back4App refuses the keys, then it exits 1 naming the credential variables and changes nothing', async () => {
    server.reset();
    server.rows = carRows(unique('c'), 5);
    const email = `${unique('root')}@example.com`;

    const run = await seed([], { BACK4APP_MASTER_KEY: 'wrong-key', ADMIN_EMAIL: email, ADMIN_PASSWORD: 'granite-otter-lantern-42' });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Seed failed: Back4App refused the credentials with HTTP 403 \(unauthorized\): set BACK4APP_APP_ID and BACK4APP_MASTER_KEY \(or BACK4APP_REST_KEY\)/,
    );
    expect(run.stderr).not.toContain('wrong-key');
    expect(await Car.count()).toBe(0);
    expect(await User.count({ where: { email } })).toBe(0);
  });

  it('when Back4App answers, then it imports every page, prints the summary and creates the superadmin', async () => {
    const rows = carRows(unique('c'), 5);
    server.reset();
    server.rows = [...rows, { objectId: `${unique('c')}bad`, Year: 'n/a', Make: 'Audi', Model: 'A4' }];
    const local = unique('root');

    const run = await seed(['--source=back4app', '--page-size=2'], {
      ADMIN_EMAIL: `${local}@example.com`,
      ADMIN_PASSWORD: 'granite-otter-lantern-42',
    });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Car import finished (source: Back4App)',
        '  fetched   6',
        '  inserted  5',
        '  updated   0',
        '  unchanged 0',
        '  skipped   1  (invalid rows)',
        `Superadmin ${local}@example.com (username ${local}): created`,
        '',
      ].join('\n'),
    );
    expect(server.requests.map((r) => [r.query.skip, r.query.limit])).toEqual([
      ['0', '2'],
      ['2', '2'],
      ['4', '2'],
      ['6', '2'],
    ]);
    expect(await Car.count()).toBe(5);
    expect(await User.findOne({ where: { email: `${local}@example.com` } })).toMatchObject({ role: 'superadmin' });
  });

  it('when a flag is unknown or contradicts another, then it exits 2 with the usage', async () => {
    const run = await seed(['--offline', '--source=back4app']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--offline and --source=back4app contradict each other\n\nUsage: npm run seed/);
  });
});
