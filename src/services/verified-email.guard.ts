import { config } from '../config';
import { queryPrepared } from '../db/prepared';
import { AppError } from '../errors';

/**
 * Reads `emailVerified` through the row's JSON form, so this works before and after the
 * column exists: without it nobody counts as verified (fail closed while the flag is on).
 * Once the User model carries `emailVerified`, this can read the attribute instead.
 */
const VERIFIED = `SELECT (to_jsonb(u) -> 'emailVerified') = 'true'::jsonb AS verified FROM "Users" u WHERE u."id" = $1`;

/** With REQUIRE_VERIFIED_EMAIL=true, 403 EMAIL_NOT_VERIFIED unless the user verified their email. */
export async function assertEmailVerified(userId: number, required: boolean = config.REQUIRE_VERIFIED_EMAIL): Promise<void> {
  if (!required) return;
  const [row] = await queryPrepared<{ verified: boolean | null }>(VERIFIED, [userId]);
  if (row?.verified !== true) throw new AppError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address first');
}
