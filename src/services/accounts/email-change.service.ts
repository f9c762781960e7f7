import type { Transaction } from 'sequelize';
import { AppError } from '../../errors';
import { User } from '../../models';
import { changeEmail as unverifyNewEmail } from './email-verification.service';
import { comparePassword } from '../auth/password-hash.pool';
import { revokeAllSessions } from '../auth/session.service';

/**
 * 401 INVALID_CREDENTIALS unless `password` is the user's current one: what proves that
 * the caller is the account holder and not someone with a stolen access token.
 */
export async function assertCurrentPassword(userId: number, password: string | undefined): Promise<void> {
  const user = await User.scope('withPassword').findByPk(userId);
  if (!user) throw AppError.invalidToken('The token has been revoked');
  if (password === undefined) throw new AppError(401, 'INVALID_CREDENTIALS', 'current_password is required to change the email');
  if (!(await comparePassword(password, user.passwordHash))) throw new AppError(401, 'INVALID_CREDENTIALS', 'The current password is wrong');
}

export interface EmailChange {
  /** The session that made the change and stays signed in (none: every session ends). */
  keepSessionId?: string;
  transaction: Transaction;
}

/**
 * The one place an account's login email changes (`PUT /user/:id` and `PUT /user/credential`):
 * the new address is stored and every other session of the user is revoked (their sockets
 * disconnected once the transaction commits). The new address is unverified and gets a
 * verification email, the old one a notice (both sent once the transaction commits).
 */
export async function changeEmail(user: User, email: string, change: EmailChange): Promise<void> {
  await unverifyNewEmail(user, email, change.transaction);
  await revokeAllSessions(user.id, change.transaction, change.keepSessionId);
}
