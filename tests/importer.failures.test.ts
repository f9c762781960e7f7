import { carRows, unreachableUrl } from './helpers/fake-parse-server';
import { unique } from './helpers/factories';
import { useImportHarness } from './helpers/import-harness';

const { server, serve, runImport, storedCars, snapshotFileOf } = useImportHarness();

describe('importCars when Back4App misbehaves', () => {
  it('when Back4App answers 429 twice, then it waits (honouring Retry-After) and completes', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 150));
    server().failNext(429, 1, { retryAfter: '1', afterRequests: 1 });
    server().failNext(429, 1);
    const { result } = runImport();

    await expect(result).resolves.toMatchObject({ fetched: 150, inserted: 150 });
    expect(server().requests.map((r) => [r.status, r.query.skip])).toEqual([
      [200, '0'],
      [429, '100'],
      [429, '100'],
      [200, '100'],
    ]);
    const [, firstThrottle, secondTry] = server().requests;
    expect((secondTry?.at ?? 0) - (firstThrottle?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await storedCars(prefix)).toHaveLength(150);
  });

  it('when Back4App answers 500 once, then the request is retried and the import completes', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 5));
    server().failNext(500);

    await expect(runImport().result).resolves.toMatchObject({ fetched: 5, inserted: 5 });
    expect(server().requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('when Back4App keeps answering 500 past the retries, then it fails without falling back and stores nothing', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 150));
    server().failNext(500, 10, { afterRequests: 1 });
    // (the failures left over when it gives up are forgotten by the next serve())
    const { result } = runImport({ mode: 'auto', snapshotFile: snapshotFileOf(carRows(unique('s'), 2)) });

    await expect(result).rejects.toThrow(/HTTP 500 \(Parse error 1: Internal server error\.\) .* after 4 attempts/);
    expect(server().requests.map((r) => r.status)).toEqual([200, 500, 500, 500, 500]);
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when the keys are refused with 403, then it stops at once naming the credential variables and stores nothing', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 5));
    const { result } = runImport({ mode: 'auto', source: { key: 'wrong-key' } });

    await expect(result).rejects.toMatchObject({
      name: 'ImportSourceError',
      failure: 'credentials',
      message: expect.stringMatching(/HTTP 403 \(unauthorized\).*BACK4APP_APP_ID and BACK4APP_MASTER_KEY \(or BACK4APP_REST_KEY\)/),
    });
    expect(server().requests).toHaveLength(1);
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when a later page is refused with 403, then the pages already fetched are not stored either', async () => {
    const prefix = unique('p');
    serve(carRows(prefix, 250));
    server().failNext(403, 1, { afterRequests: 1 });

    await expect(runImport().result).rejects.toMatchObject({ failure: 'credentials' });
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it("when Back4App rejects the query with another 4xx, then it fails at once with Parse's reason", async () => {
    serve(carRows(unique('p'), 5));
    server().failNext(400, 1, { body: { code: 102, error: 'Invalid key name: Make' } });

    await expect(runImport().result).rejects.toThrow(/HTTP 400 \(Parse error 102: Invalid key name: Make\).*BACK4APP_URL and BACK4APP_CLASS/);
    expect(server().requests).toHaveLength(1);
  });

  it('when Back4App answers something other than Parse JSON, then it fails clearly', async () => {
    serve(carRows(unique('p'), 5));
    server().failNext(200, 1, { body: { rows: [] } });

    await expect(runImport().result).rejects.toMatchObject({ failure: 'malformed' });
  });
});

describe('importCars falling back to the bundled snapshot', () => {
  it('when Back4App cannot be reached at all, then the auto mode imports the snapshot and says so', async () => {
    const prefix = unique('s');
    const { result, messages } = runImport({
      mode: 'auto',
      snapshotFile: snapshotFileOf(carRows(prefix, 7)),
      source: { baseUrl: await unreachableUrl() },
    });

    await expect(result).resolves.toEqual({
      source: 'snapshot',
      fallbackReason: expect.stringMatching(
        /^Back4App could not be reached at http:\/\/127\.0\.0\.1:\d+\/classes\/Car_Model_List \(ECONNREFUSED\) after 4 attempts$/,
      ),
      fetched: 7,
      inserted: 7,
      updated: 0,
      unchanged: 0,
      skipped: 0,
    });
    expect(messages()).toContain('Back4App cannot be reached: importing the bundled snapshot instead');
    expect(await storedCars(prefix)).toHaveLength(7);
  });

  it('when every attempt times out, then the auto mode falls back after the bounded retries', async () => {
    const prefix = unique('s');
    serve(carRows(unique('p'), 5));
    server().hangNext(3);
    const { result } = runImport({
      mode: 'auto',
      snapshotFile: snapshotFileOf(carRows(prefix, 2)),
      source: { timeoutMs: 200, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 50 } },
    });

    await expect(result).resolves.toMatchObject({
      source: 'snapshot',
      fallbackReason: expect.stringMatching(/ECONNABORTED\) after 3 attempts/),
      inserted: 2,
    });
    expect(server().requests).toHaveLength(3);
    expect(await storedCars(prefix)).toHaveLength(2);
  });

  it('when --source=back4app is asked and Back4App cannot be reached, then it fails and stores nothing', async () => {
    const prefix = unique('s');
    const { result } = runImport({ mode: 'back4app', snapshotFile: snapshotFileOf(carRows(prefix, 3)), source: { baseUrl: await unreachableUrl() } });

    await expect(result).rejects.toMatchObject({ failure: 'unreachable' });
    expect(await storedCars(prefix)).toHaveLength(0);
  });

  it('when offline, then only the snapshot is imported and Back4App is never called', async () => {
    const prefix = unique('s');
    serve([]);
    const { result } = runImport({ mode: 'offline', snapshotFile: snapshotFileOf(carRows(prefix, 4)) });

    await expect(result).resolves.toEqual({ source: 'snapshot', fetched: 4, inserted: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(server().requests).toHaveLength(0);
  });
});
