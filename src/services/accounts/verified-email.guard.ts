import { config } from '../../config';
import { AppError } from '../../errors';
import { sessionState } from '../auth/session-state.cache';

let required = config.REQUIRE_VERIFIED_EMAIL;

/** REQUIRE_VERIFIED_EMAIL by default; a test (or an admin tool) may switch it at run time. */
export function setRequireVerifiedEmail(value: boolean): void {
  required = value;
}

export const emailNotVerified = () => new AppError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address first (POST /email/verify)');

/** REQUIRE_VERIFIED_EMAIL=true: refuses a caller whose email is not verified (403 EMAIL_NOT_VERIFIED). */
export function assertEmailVerified(emailVerified: boolean): void {
  if (required && !emailVerified) throw emailNotVerified();
}

/**
 * The same for a live socket, whose handshake may predate the verification: the session's
 * current state is read (cached for AUTH_CACHE_TTL_MS, dropped at once when it changes here).
 */
export async function assertSessionVerified(sessionId: string): Promise<void> {
  if (!required) return;
  const state = await sessionState(sessionId);
  assertEmailVerified(state?.emailVerified ?? false);
}
