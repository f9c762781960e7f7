import { Stream } from 'node:stream';

export const CENSOR = '[REDACTED]';

/**
 * Keys whose values never reach a log line (compared ignoring case): credentials, tokens,
 * keys, hashes, cookies, and SQL text and bind values (Sequelize errors carry the failing
 * statement with its values, hashes included).
 */
const SECRET_KEYS = new Set(
  [
    'password',
    'current_password',
    'passwordHash',
    'refresh_token',
    'refreshToken',
    'access_token',
    'accessToken',
    'token',
    'authorization',
    'cookie',
    'set-cookie',
    'jwtSecret',
    'JWT_SECRET',
    'back4appKey',
    'ADMIN_PASSWORD',
    'sql',
    'parameters',
    'BACK4APP_MASTER_KEY',
    'BACK4APP_REST_KEY',
    'X-Parse-Master-Key',
    'X-Parse-REST-API-Key',
  ].map((k) => k.toLowerCase()),
);

/** Levels searched: `err.config.headers["X-Parse-Master-Key"]` is the deepest known one. */
const MAX_DEPTH = 4;

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** Stands for a stream found inside a logged value. */
export const STREAM = '[Stream]';

/** Not searched: values whose JSON has no keys of their own. */
function isOpaque(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * A copy with the same prototype (so an error still serialises as its class, with message
 * and stack) and the given own properties replaced. Defined, not assigned, so that no
 * setter of the prototype runs.
 */
function copyWith(source: object, replaced: Map<string, unknown>): object {
  const copy: object = Object.create(Object.getPrototypeOf(source) as object | null);
  const descriptors = Object.getOwnPropertyDescriptors(source);
  // Since Node 24 (V8 13) an error's own `stack` is an accessor that answers only for the
  // error it belongs to: copied as is, the copy's stack would be undefined. Copy the text.
  const stack = descriptors.stack;
  if (stack?.get) descriptors.stack = { value: Reflect.get(source, 'stack'), enumerable: stack.enumerable, writable: true, configurable: true };
  Object.defineProperties(copy, descriptors);
  for (const [key, value] of replaced) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** `depth` is the level of `value`'s own keys: 1 for the logged object's. */
function redactAt(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || isOpaque(value)) return value;
  // A top-level request or response goes to its serializer (method, url, status only). Deeper
  // down, e.g. an HTTP client error's `request`, a stream's dump would hold the raw headers
  // it sent, keys included, in strings no key name can catch.
  if (value instanceof Stream) return depth === 2 ? value : STREAM;
  let replaced: Map<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const current: unknown = (value as Record<string, unknown>)[key];
    const next = isSecretKey(key) && current !== undefined ? CENSOR : redactAt(current, depth + 1);
    if (next !== current) (replaced ??= new Map()).set(key, next);
  }
  if (!replaced) return value;
  if (Array.isArray(value)) return value.map((item, i) => (replaced.has(String(i)) ? replaced.get(String(i)) : item));
  return copyWith(value, replaced);
}

/**
 * What is logged, with the value of every secret key up to four levels down replaced by
 * `[REDACTED]` and streams below the top level by `[Stream]`. Copy-on-write: an object
 * with nothing to hide is returned as it is, so a request's log line costs a few key
 * look-ups. Used as pino's `formatters.log`. pino's own `redact` option re-parses each of
 * its paths on every call and ran on every child logger's bindings too: with these keys it
 * cost ~37 µs per request for pino-http's two children and ~42 µs per line, more than the
 * rest of a request's logging together.
 */
export function redactSecrets<T extends Record<string, unknown>>(object: T): T {
  return redactAt(object, 1) as T;
}
