import axios, { type AxiosError } from 'axios';
import axiosRetry, { retryAfter } from 'axios-retry';
import { z } from 'zod';
import { config } from '../config';
import { ImportSourceError } from './source-error';

/** Where and as whom to read a Parse class over REST. */
export interface ParseSource {
  baseUrl: string;
  className: string;
  appId: string;
  key: string;
  keyHeader: 'X-Parse-Master-Key' | 'X-Parse-REST-API-Key';
}

export interface RetryPolicy {
  /** Retries after the first attempt, for 429, 5xx and network errors. */
  retries: number;
  /** The first retry waits about this long; each further one about twice as long. */
  baseDelayMs: number;
  /** No wait is longer than this, `Retry-After` included. */
  maxDelayMs: number;
}

export interface ParseClientOptions extends ParseSource {
  /** Each attempt of each request gives up after this long. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Told before each retry, e.g. to log it. */
  onRetry?: (retry: { attempt: number; reason: string; delayMs: number }) => void;
}

export interface PageQuery {
  limit: number;
  skip: number;
  /** Asks Parse for the class's row count (`count=1`), for the progress display. */
  withCount: boolean;
}

export interface ParsePage {
  results: unknown[];
  count?: number;
}

export interface ParseClient {
  readonly url: string;
  fetchPage(query: PageQuery): Promise<ParsePage>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
export const CAR_KEYS = 'objectId,Year,Make,Model,Category';

export function sourceFromConfig(): ParseSource {
  return {
    baseUrl: config.BACK4APP_URL,
    className: config.BACK4APP_CLASS,
    appId: config.BACK4APP_APP_ID,
    key: config.back4appKey,
    keyHeader: config.back4appKeyHeader,
  };
}

const pageSchema = z.object({ results: z.array(z.unknown()), count: z.number().int().nonnegative().optional() });

/** Exponential backoff with "equal jitter", never shorter than the server's `Retry-After`, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, error?: AxiosError, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfter(error))));
}

/** 429, 5xx and no answer at all are worth another try; a DNS "no such host" is final. */
function isTransient(error: AxiosError): boolean {
  if (!error.response) return error.code !== 'ERR_CANCELED' && error.code !== 'ENOTFOUND';
  return error.response.status === 429 || error.response.status >= 500;
}

function reasonOf(error: AxiosError): string {
  return error.response ? `HTTP ${error.response.status}` : (error.code ?? error.message);
}

/** Parse's own error text (`{ code, error }`), without ever echoing request headers. */
function parseErrorText(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const { code, error } = data as { code?: unknown; error?: unknown };
  if (typeof error !== 'string') return '';
  return typeof code === 'number' ? ` (Parse error ${code}: ${error.slice(0, 200)})` : ` (${error.slice(0, 200)})`;
}

function toSourceError(error: AxiosError, url: string): ImportSourceError {
  const attempts = (error.config?.['axios-retry']?.retryCount ?? 0) + 1;
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const response = error.response;
  if (!response) return new ImportSourceError('unreachable', `Back4App could not be reached at ${url} (${reasonOf(error)}) ${tries}`);
  const { status } = response;
  const detail = parseErrorText(response.data);
  if (status === 401 || status === 403) {
    return new ImportSourceError(
      'credentials',
      `Back4App refused the credentials with HTTP ${status}${detail}: set BACK4APP_APP_ID and BACK4APP_MASTER_KEY (or BACK4APP_REST_KEY) to valid keys for ${url}`,
      status,
    );
  }
  if (status === 429 || status >= 500)
    return new ImportSourceError('rejected', `Back4App answered HTTP ${status}${detail} at ${url} ${tries}; try again later`, status);
  return new ImportSourceError('rejected', `Back4App answered HTTP ${status}${detail} at ${url}: check BACK4APP_URL and BACK4APP_CLASS`, status);
}

/** A Parse REST reader with timeouts on every request and bounded, backed-off retries. */
export function createParseClient(options: ParseClientOptions): ParseClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/classes/${encodeURIComponent(options.className)}`;
  const http = axios.create({
    timeout: options.timeoutMs,
    maxContentLength: 64 * 1024 * 1024,
    headers: { Accept: 'application/json', 'X-Parse-Application-Id': options.appId, [options.keyHeader]: options.key },
  });
  axiosRetry(http, {
    retries: options.retry.retries,
    shouldResetTimeout: true,
    retryCondition: isTransient,
    retryDelay: (attempt, error) => {
      const delayMs = backoffDelay(attempt, options.retry, error);
      options.onRetry?.({ attempt, reason: reasonOf(error), delayMs });
      return delayMs;
    },
  });

  async function fetchPage(query: PageQuery): Promise<ParsePage> {
    const params = { limit: query.limit, skip: query.skip, order: 'objectId', keys: CAR_KEYS, ...(query.withCount ? { count: 1 } : {}) };
    let data: unknown;
    try {
      data = (await http.get<unknown>(url, { params })).data;
    } catch (err) {
      if (axios.isAxiosError(err)) throw toSourceError(err, url);
      throw err;
    }
    const page = pageSchema.safeParse(data);
    if (!page.success) throw new ImportSourceError('malformed', `Back4App answered ${url} with something other than Parse's { "results": [...] }`);
    return page.data;
  }

  return { url, fetchPage };
}
