import { randomBytes } from 'node:crypto';
import { getSequelize } from '../../db/sequelize';
import { User } from '../../models';
import { email as emailSchema } from '../../schemas/auth.schemas';
import { findUserByEmail, findUserByUsername } from '../auth/auth.service';
import { comparePassword, hashPassword } from '../auth/password-hash.pool';
import { checkPassword } from '../auth/password.policy';
import { forgetUser } from '../auth/session-state.cache';
import { revokeAllSessions } from '../auth/session.service';

export interface AdminCredentials {
  email: string;
  password: string;
}

export interface AdminBootstrapResult {
  action: 'created' | 'updated' | 'unchanged';
  userId: number;
  username: string;
  email: string;
}

/** A bad `ADMIN_EMAIL`/`ADMIN_PASSWORD`, with a message that names the variable. */
export class AdminBootstrapError extends Error {
  override readonly name = 'AdminBootstrapError';
}

const USERNAME_MAX = 30;

/**
 * The admin settings of the environment: none, or both. Checked before anything is
 * written, so a bad password does not leave a half-done seed behind.
 */
export function adminCredentialsFrom(env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string }): AdminCredentials | undefined {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = env;
  if (!email && !password) return undefined;
  if (!email || !password) throw new AdminBootstrapError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  const credentials = { email: email.trim().toLowerCase(), password };
  assertValid(credentials, usernameBaseFor(credentials.email));
  return credentials;
}

function assertValid(credentials: AdminCredentials, username: string): void {
  if (!emailSchema.safeParse(credentials.email).success) throw new AdminBootstrapError(`ADMIN_EMAIL is not a valid email address`);
  const problems = checkPassword(credentials.password, { username, email: credentials.email });
  if (problems.length > 0) throw new AdminBootstrapError(`ADMIN_PASSWORD is not acceptable: ${problems.map((p) => p.message).join('; ')}`);
}

/** The email's local part made into a valid username: 3–30 of letters, digits, `_`, `.`, `-`. */
export function usernameBaseFor(email: string): string {
  const local = email.split('@')[0] ?? '';
  const cleaned = local.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, USERNAME_MAX);
  return cleaned.length >= 3 ? cleaned : `${cleaned}_admin`.replace(/^_/, '');
}

/** The base, or the base with `-2`, `-3`… (then a random suffix) until no one has it, ignoring case. */
async function availableUsername(base: string): Promise<string> {
  for (let n = 1; n <= 20; n += 1) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base.slice(0, USERNAME_MAX - suffix.length)}${suffix}`;
    if (!(await findUserByUsername(candidate))) return candidate;
  }
  const suffix = `-${randomBytes(4).toString('hex')}`;
  return `${base.slice(0, USERNAME_MAX - suffix.length)}${suffix}`;
}

const resultOf = (user: User, action: AdminBootstrapResult['action']): AdminBootstrapResult => ({
  action,
  userId: user.id,
  username: user.username,
  email: user.email,
});

/**
 * Creates the superadmin for `email`, or makes the existing account with that email a
 * superadmin with this password. Running it again with the same values changes nothing.
 */
export async function ensureSuperadmin(input: AdminCredentials): Promise<AdminBootstrapResult> {
  const email = input.email.trim().toLowerCase();
  const existing = await findUserByEmail(email, true);
  if (existing) {
    assertValid({ email, password: input.password }, existing.username);
    const samePassword = await comparePassword(input.password, existing.passwordHash);
    if (samePassword && existing.role === 'superadmin') {
      // The operator vouches for ADMIN_EMAIL: the first superadmin is verified (contract §6).
      if (!existing.emailVerified) await existing.update({ emailVerified: true });
      return resultOf(existing, 'unchanged');
    }
    const passwordHash = samePassword ? existing.passwordHash : await hashPassword(input.password);
    // Whoever held this account before (it may have been registered by anyone, since
    // emails are not verified) must not keep a session that is now superadmin.
    await getSequelize().transaction(async (transaction) => {
      await existing.update({ role: 'superadmin', passwordHash, emailVerified: true }, { transaction });
      await revokeAllSessions(existing.id, transaction);
    });
    forgetUser(existing.id);
    return resultOf(existing, 'updated');
  }
  const username = await availableUsername(usernameBaseFor(email));
  assertValid({ email, password: input.password }, username);
  const user = await User.create({
    username,
    email,
    passwordHash: await hashPassword(input.password),
    address: null,
    quotes: null,
    role: 'superadmin',
    emailVerified: true,
  });
  return resultOf(user, 'created');
}
