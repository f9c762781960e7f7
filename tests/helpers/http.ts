import type { Express } from 'express';
import request from 'supertest';
import { loginAs, type LoggedIn } from './factories';

/** A supertest agent whose requests carry the caller's access token in the `access_token` header. */
export function as(app: Express, accessToken: string) {
  const withToken = (test: request.Test) => test.set('access_token', accessToken);
  return {
    get: (url: string) => withToken(request(app).get(url)),
    post: (url: string) => withToken(request(app).post(url)),
    put: (url: string) => withToken(request(app).put(url)),
    patch: (url: string) => withToken(request(app).patch(url)),
    delete: (url: string) => withToken(request(app).delete(url)),
  };
}

export interface Caller extends LoggedIn {
  api: ReturnType<typeof as>;
}

/** A fresh user logged in through `POST /login`, with an agent that sends their token. */
export async function caller(app: Express, overrides: Parameters<typeof loginAs>[1] = {}): Promise<Caller> {
  const logged = await loginAs(app, overrides);
  return { ...logged, api: as(app, logged.accessToken) };
}

/** An RFC 8288 `Link` header as `{ rel: { page, limit, ...other query params } }`. */
export function parseLink(header: string | undefined): Record<string, Record<string, string>> {
  const links: Record<string, Record<string, string>> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="([^"]+)"\s*$/.exec(part);
    if (!match) throw new Error(`Not an RFC 8288 link: ${part}`);
    const url = new URL(match[1], 'http://relative.invalid');
    links[match[2]] = { path: url.pathname, ...Object.fromEntries(url.searchParams) };
  }
  return links;
}
