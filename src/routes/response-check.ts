import type { NextFunction, Request, Response } from 'express';
import { ProblemSchema } from '../docs/components';
import { responsesOf, type Endpoint } from './endpoint';

/**
 * Tests only (mounted when NODE_ENV=test): every answer of an endpoint is compared with its
 * declaration, so the OpenAPI document cannot lie. A status it does not declare, or a JSON
 * body that does not match the schema declared for its status, is recorded here; the jest
 * setup (tests/setup/per-file.ts) fails the test that caused it.
 */
const mismatches: string[] = [];

/** The mismatches recorded since the last call, and forgets them. */
export function takeResponseMismatches(): string[] {
  return mismatches.splice(0, mismatches.length);
}

function parsedBody(res: Response, chunk: unknown): unknown {
  if (!/json/.test(String(res.get('Content-Type'))) || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))) return undefined;
  try {
    return JSON.parse(chunk.toString()) as unknown;
  } catch {
    return undefined;
  }
}

function mismatchOf(endpoint: Endpoint, status: number, body: unknown): string | undefined {
  const spec = responsesOf(endpoint).get(status);
  if (!spec) return `answered ${status}, which it does not declare`;
  const schema = 'problem' in spec ? ProblemSchema : spec.schema;
  if (!schema || body === undefined) return undefined;
  const result = schema.safeParse(body);
  if (result.success) return undefined;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return `answered ${status} with a body that does not match its declaration: ${issues}`;
}

export function checkResponses(endpoint: Endpoint) {
  return (req: Request, res: Response, next: NextFunction): void => {
    let body: unknown;
    // \`end\`, not \`send\`: the catalogue writes its cached answers with \`res.end\` directly.
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      body = parsedBody(res, args[0]);
      return end(...args);
    }) as Response['end'];
    res.on('finish', () => {
      const mismatch = mismatchOf(endpoint, res.statusCode, body);
      if (mismatch) mismatches.push(`${req.method} ${req.originalUrl} (${endpoint.method.toUpperCase()} ${endpoint.path}) ${mismatch}`);
    });
    next();
  };
}
