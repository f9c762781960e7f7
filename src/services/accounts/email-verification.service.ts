import type { Transaction } from 'sequelize';
import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { User } from '../../models';
import type { AccountCode } from '../../models/account-code';
import { checkCode, codeOfToken, consumeCode, invalidCode, issueCode } from './account-code.service';
import { runInBackground } from '../operations/background.tasks';
import { sendMail } from '../mail/mail.transport';
import { emailChangedMail, verificationMail } from '../mail/mail.templates';
import { forgetUser } from '../auth/session-state.cache';
import { toUserView, type UserView } from '../users/user.view';

export const VERIFICATION_TTL_MS = 24 * 3_600_000;
/** At most one verification email a minute per user (POST /email/verify/resend). */
export const RESEND_INTERVAL_MS = 60_000;

const PURPOSE = 'email_verification';

/**
 * Issues a verification code for the user's current email inside `transaction` and sends
 * it once that commits (in the background: the response does not wait for SMTP).
 */
export async function startVerification(user: User, transaction: Transaction): Promise<void> {
  const issued = await issueCode(user, PURPOSE, VERIFICATION_TTL_MS, { transaction });
  if (!('code' in issued)) return;
  const mail = verificationMail(user.email, issued.code, issued.token);
  transaction.afterCommit(() => runInBackground('verification email', () => sendMail(mail)));
}

/**
 * The one place an account's email changes (PUT /user/credential, PUT /user/:id): the new
 * address is unverified and gets a verification email; the old one gets a notice. Call it
 * inside the transaction that makes the change; the emails leave once it commits.
 */
export async function changeEmail(user: User, newEmail: string, transaction: Transaction): Promise<void> {
  const oldEmail = user.email;
  if (newEmail === oldEmail) return;
  await user.update({ email: newEmail, emailVerified: false }, { transaction });
  await startVerification(user, transaction);
  transaction.afterCommit(() => runInBackground('email change notice', () => sendMail(emailChangedMail(oldEmail, newEmail))));
}

/** A code sent to an address the account no longer has proves nothing. */
async function markVerified(row: AccountCode | undefined, user: User | null): Promise<UserView> {
  if (!row || !user || row.email !== user.email) throw invalidCode();
  await getSequelize().transaction(async (transaction) => {
    if (!(await consumeCode(row, transaction))) throw invalidCode();
    await user.update({ emailVerified: true }, { transaction });
  });
  forgetUser(user.id);
  return toUserView(user);
}

/** POST /email/verify { code } by the signed-in user. */
export async function verifyWithCode(userId: number, code: string): Promise<UserView> {
  const user = await User.findByPk(userId);
  if (!user) throw AppError.invalidToken('The account no longer exists');
  return markVerified(await checkCode(userId, PURPOSE, code), user);
}

/** POST /email/verify { token } from the emailed link, with no access token. */
export async function verifyWithToken(token: string): Promise<UserView> {
  const row = await codeOfToken(token, PURPOSE);
  return markVerified(row, row ? await User.findByPk(row.UserId) : null);
}

/** POST /email/verify/resend: a new code for the current address, at most one a minute. */
export async function resendVerification(userId: number): Promise<void> {
  const user = await User.findByPk(userId);
  if (!user) throw AppError.invalidToken('The account no longer exists');
  if (user.emailVerified) throw AppError.conflict('The email address is already verified');
  const issued = await issueCode(user, PURPOSE, VERIFICATION_TTL_MS, { minIntervalMs: RESEND_INTERVAL_MS });
  if (!('code' in issued)) throw AppError.rateLimited(issued.retryAfterMs / 1000, 'One verification email a minute: try again later');
  const mail = verificationMail(user.email, issued.code, issued.token);
  runInBackground('verification email', () => sendMail(mail));
}
