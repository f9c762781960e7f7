import { fn, col, where } from 'sequelize';
import { config } from '../../config';
import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { User } from '../../models';
import { changeEmail } from '../accounts/email-change.service';
import { startVerification } from '../accounts/email-verification.service';
import { comparePassword, dummyHash, hashPassword } from './password-hash.pool';
import { checkPassword } from './password.policy';
import type { Principal } from './principal.service';
import { openSession, revokeAllSessions, revokeSession, rotateRefreshToken, sessionOfRefreshToken, type SessionClient } from './session.service';
import { signAccessToken } from './token.service';
import { toUserView, type UserView } from '../users/user.view';

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserView;
}

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  address?: string | null;
  quotes?: string | null;
}

export function findUserByEmail(email: string, withPassword = false): Promise<User | null> {
  const model = withPassword ? User.scope('withPassword') : User;
  return model.findOne({ where: where(fn('lower', col('email')), email.toLowerCase()) });
}

export function findUserByUsername(username: string): Promise<User | null> {
  return User.findOne({ where: where(fn('lower', col('username')), username.toLowerCase()) });
}

/** 409 with the fields already taken (case-insensitively) by another account. */
export async function assertAvailable(fields: { username?: string; email?: string }, exceptUserId?: number): Promise<void> {
  const taken: { path: string; message: string; location: 'body' }[] = [];
  if (fields.username) {
    const other = await findUserByUsername(fields.username);
    if (other && other.id !== exceptUserId) taken.push({ path: 'username', message: 'Username is already taken', location: 'body' });
  }
  if (fields.email) {
    const other = await findUserByEmail(fields.email);
    if (other && other.id !== exceptUserId) taken.push({ path: 'email', message: 'Email is already registered', location: 'body' });
  }
  if (taken.length > 0) throw AppError.conflict(taken.map((t) => t.message).join('; '), taken);
}

export async function register(input: RegisterInput): Promise<UserView> {
  const email = input.email.toLowerCase();
  const problems = checkPassword(input.password, { username: input.username, email });
  if (problems.length > 0) throw AppError.validation(problems, 'Invalid request body');
  await assertAvailable({ username: input.username, email });
  const passwordHash = await hashPassword(input.password);
  // The unique indexes on lower(username)/lower(email) settle any race: the loser gets 409.
  // The address is unverified: a verification email goes out once the account is committed.
  const user = await getSequelize().transaction(async (transaction) => {
    const created = await User.create(
      { username: input.username, email, passwordHash, address: input.address ?? null, quotes: input.quotes ?? null, role: 'user' },
      { transaction },
    );
    await startVerification(created, transaction);
    return created;
  });
  return toUserView(user);
}

export async function issueTokens(user: User, client?: SessionClient): Promise<TokenResponse> {
  const { sessionId, refreshToken } = await openSession(user.id, undefined, client);
  return tokenResponse(user, sessionId, refreshToken);
}

export function tokenResponse(user: User, sessionId: string, refreshToken: string): TokenResponse {
  return {
    access_token: signAccessToken(user.id, sessionId),
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: config.accessTtlSeconds,
    user: toUserView(user),
  };
}

/** Unknown email and wrong password fail alike, in about the same time. */
export async function verifyCredentials(email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(email, true);
  const ok = await comparePassword(password, user?.passwordHash ?? (await dummyHash()));
  return user && ok ? user : null;
}

export async function refresh(presented: string): Promise<TokenResponse> {
  const { userId, sessionId, refreshToken } = await rotateRefreshToken(presented);
  const user = await User.findByPk(userId);
  if (!user) throw AppError.invalidToken();
  return tokenResponse(user, sessionId, refreshToken);
}

const invalidCredentials = (detail: string) => new AppError(401, 'INVALID_CREDENTIALS', detail);

export async function login(email: string, password: string, client?: SessionClient): Promise<TokenResponse> {
  const user = await verifyCredentials(email, password);
  if (!user) throw invalidCredentials('Invalid email or password');
  return issueTokens(user, client);
}

/**
 * Ends the caller's session: its access tokens and refresh token stop working at once.
 * A refresh token in the body is revoked too when it is one of the caller's; any other
 * is ignored, so the answer says nothing about whose it is.
 */
export async function logout(principal: Principal, refreshToken?: string): Promise<void> {
  await revokeSession(principal.sessionId);
  const other = refreshToken ? await sessionOfRefreshToken(refreshToken, principal.userId) : undefined;
  if (other && other !== principal.sessionId) await revokeSession(other);
}

export interface CredentialChange {
  current_password: string;
  email?: string;
  password?: string;
}

/**
 * Changes email and/or password after checking the current password. Every session of
 * the user, the caller's included, is revoked; the caller gets tokens of a new session.
 */
export async function changeCredential(principal: Principal, change: CredentialChange, client?: SessionClient): Promise<TokenResponse> {
  const user = await User.scope('withPassword').findByPk(principal.userId);
  if (!user) throw AppError.invalidToken('The token has been revoked');
  if (!(await comparePassword(change.current_password, user.passwordHash))) throw invalidCredentials('The current password is wrong');
  const email = change.email ?? user.email;
  if (change.password !== undefined) {
    const problems = checkPassword(change.password, { username: user.username, email });
    if (problems.length > 0) throw AppError.validation(problems, 'Invalid request body');
  }
  if (email !== user.email) await assertAvailable({ email }, user.id);
  const passwordHash = change.password === undefined ? user.passwordHash : await hashPassword(change.password);
  const issued = await getSequelize().transaction(async (transaction) => {
    if (email !== user.email) await changeEmail(user, email, { transaction });
    await user.update({ passwordHash }, { transaction });
    await revokeAllSessions(user.id, transaction);
    return openSession(user.id, transaction, client);
  });
  return tokenResponse(user, issued.sessionId, issued.refreshToken);
}
