import http from 'node:http';
import jwt from 'jsonwebtoken';
import type { TestUser } from './factories';

// The fuzz test's HTTP client: raw requests (any method, header or body), and the tokens it sends.

export type Auth = 'none' | 'user' | 'bearer' | 'admin' | 'garbage' | 'alg-none' | 'wrong-key' | 'expired' | 'wrong-alg';

export interface FuzzRequest {
  method: string;
  path: string;
  query: readonly [string, string][];
  auth: Auth;
  contentType?: string;
  contentEncoding?: string;
  body?: string | Buffer;
  headers: Record<string, string>;
}

export interface Outcome {
  status: number;
  contentType: string;
  body: string;
}

export function queryString(query: readonly [string, string][]): string {
  if (query.length === 0) return '';
  return `?${query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

export function send(port: number, agent: http.Agent, r: FuzzRequest, token: string | undefined): Promise<Outcome> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.auth === 'bearer') headers.authorization = `Bearer ${token}`;
  else if (token) headers.access_token = token;
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.contentEncoding) headers['content-encoding'] = r.contentEncoding;
  // Framed like any HTTP client frames a body (Node sends a GET body unframed otherwise).
  if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: r.method, path: `${r.path}${queryString(r.query)}`, headers, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in 15 s to ${r.method} ${r.path}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Valid sessions for the fuzzing user and an admin; a session the fuzz itself ended is replaced. */
export class Tokens {
  private current = new Map<'user' | 'admin', string>();
  constructor(
    private readonly port: number,
    private readonly agent: http.Agent,
    private readonly users: Record<'user' | 'admin', TestUser>,
  ) {}

  async get(kind: 'user' | 'admin'): Promise<string> {
    const known = this.current.get(kind);
    if (known) return known;
    const { email, password } = this.users[kind];
    const res = await send(
      this.port,
      this.agent,
      {
        method: 'POST',
        path: '/login',
        query: [],
        auth: 'none',
        contentType: 'application/json',
        body: JSON.stringify({ email, password }),
        headers: {},
      },
      undefined,
    );
    const token = res.status === 200 ? String((JSON.parse(res.body) as { access_token: string }).access_token) : 'revoked';
    this.current.set(kind, token);
    return token;
  }

  forget(kind: 'user' | 'admin'): void {
    this.current.delete(kind);
  }
}

export function forged(auth: Auth, userId: number): string | undefined {
  const secret = String(process.env.JWT_SECRET);
  const claims = { sub: String(userId), typ: 'access', sid: 1, iss: 'car-community', aud: 'car-community-api' };
  switch (auth) {
    case 'garbage':
      return 'not-a-jwt';
    case 'alg-none':
      return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    case 'wrong-key':
      return jwt.sign(claims, 'another-secret-that-is-long-enough-1234567890', { algorithm: 'HS256', expiresIn: 60 });
    case 'expired':
      return jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256' });
    case 'wrong-alg':
      return jwt.sign(claims, secret, { algorithm: 'HS512', expiresIn: 60 });
    default:
      return undefined;
  }
}
