import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { User } from '../../models';
import type { AccountCode } from '../../models/account-code';
import { checkCode, codeOfToken, consumeCode, invalidCode, issueCode } from './account-code.service';
import { findUserByEmail } from '../auth/auth.service';
import { runInBackground } from '../operations/background.tasks';
import { sendMail } from '../mail/mail.transport';
import { passwordResetMail } from '../mail/mail.templates';
import { hashPassword } from '../auth/password-hash.pool';
import { checkPassword } from '../auth/password.policy';
import { forgetUser } from '../auth/session-state.cache';
import { revokeAllSessions } from '../auth/session.service';

export const RESET_TTL_MS = 15 * 60_000;
export const FORGOT_ANSWER = { message: 'if the address is registered, a code has been sent' } as const;

const PURPOSE = 'password_reset';

/**
 * POST /password/forgot. Everything happens after the 202 is sent, so the answer is the
 * same, in the same time, whether or not the address is registered.
 */
export function requestPasswordReset(email: string): void {
  runInBackground('password reset email', async () => {
    const user = await findUserByEmail(email);
    if (!user) return;
    const issued = await issueCode(user, PURPOSE, RESET_TTL_MS);
    if ('code' in issued) await sendMail(passwordResetMail(user.email, issued.code, issued.token));
  });
}

export type ResetInput = { email: string; code: string; password: string } | { token: string; password: string };

async function findCode(input: ResetInput): Promise<{ row: AccountCode; user: User }> {
  let row: AccountCode | undefined;
  let user: User | null;
  if ('token' in input) {
    row = await codeOfToken(input.token, PURPOSE);
    user = row ? await User.findByPk(row.UserId) : null;
  } else {
    user = await findUserByEmail(input.email);
    // An unknown address runs the same locked look-up (of no row), so it answers in the same time.
    row = await checkCode(user?.id ?? 0, PURPOSE, input.code);
  }
  // A code sent before the account's email changed was sent to someone else.
  if (!row || !user || row.email !== user.email) throw invalidCode();
  return { row, user };
}

/**
 * POST /password/reset: a valid code or link sets the password (the policy of §2 applies,
 * and a refused password leaves the code usable), uses the code up, and revokes every
 * session of the user, disconnecting their sockets. Receiving the code proves the address,
 * so it counts as verified too.
 */
export async function resetPassword(input: ResetInput): Promise<void> {
  const { row, user } = await findCode(input);
  const problems = checkPassword(input.password, { username: user.username, email: user.email });
  if (problems.length > 0) throw AppError.validation(problems, 'Invalid request body');
  const passwordHash = await hashPassword(input.password);
  await getSequelize().transaction(async (transaction) => {
    if (!(await consumeCode(row, transaction))) throw invalidCode();
    await User.update({ passwordHash, emailVerified: true }, { where: { id: user.id }, transaction });
    await revokeAllSessions(user.id, transaction);
  });
  forgetUser(user.id);
}
