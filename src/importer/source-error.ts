/**
 * Why the Back4App source failed, decided once the retries are spent:
 * - `unreachable`: no answer at all (DNS, refused connection, timeouts): the auto mode falls back to the snapshot;
 * - `credentials`: 401/403, the keys were refused;
 * - `rejected`: any other HTTP error (other 4xx, or 429/5xx that outlasted the retries);
 * - `malformed`: an answer that is not Parse's `{ results: [...] }`.
 */
export type SourceFailure = 'unreachable' | 'credentials' | 'rejected' | 'malformed';

export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';

  constructor(
    readonly failure: SourceFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isUnreachable(err: unknown): err is ImportSourceError {
  return err instanceof ImportSourceError && err.failure === 'unreachable';
}
