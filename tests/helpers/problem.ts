import type { Response } from 'supertest';

/** Asserts a problem+json error response with the given status and code. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', status, code });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|SequelizeError|SELECT |INSERT /);
}

/** Asserts a 400 VALIDATION_ERROR whose `errors` name exactly the given fields of one location. */
export function expectInvalid(res: Response, location: 'body' | 'query' | 'params' | 'headers', ...paths: string[]): void {
  expectProblem(res, 400, 'VALIDATION_ERROR');
  const errors = res.body.errors as { path: string; location: string; message: string }[];
  expect(errors.map((e) => `${e.location}:${e.path}`).sort()).toEqual(paths.map((p) => `${location}:${p}`).sort());
  for (const e of errors) expect(typeof e.message).toBe('string');
}
