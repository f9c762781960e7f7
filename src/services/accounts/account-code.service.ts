import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { config } from '../../config';
import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { AccountCode } from '../../models';
import type { CodePurpose } from '../../models/account-code';

export const invalidCode = () => new AppError(400, 'INVALID_CODE', 'The code or link is wrong, used or expired');

/** Wrong codes after which a code is void (a new one must be requested). */
export const MAX_WRONG_CODES = 5;

// A 6-digit code has a million values: a plain SHA-256 of it would fall to a table at once if
// the database leaked, so codes (and link tokens, for uniformity) are HMACed with a key
// derived from the server secret.
const key = createHmac('sha256', config.jwtSecret).update('car-community/account-codes').digest();

function keyedHash(text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

const codeHashOf = (purpose: CodePurpose, userId: number, code: string) => keyedHash(`code:${purpose}:${userId}:${code}`);
const tokenHashOf = (token: string) => keyedHash(`token:${token}`);

export interface IssuedCode {
  code: string;
  token: string;
}

const UPSERT = `
  INSERT INTO "AccountCodes" ("UserId", "purpose", "email", "codeHash", "tokenHash", "attempts", "expiresAt", "createdAt", "updatedAt")
  VALUES ($1, $2, $3, $4, $5, 0, $6, now(), now())
  ON CONFLICT ("UserId", "purpose") DO UPDATE SET
    "email" = EXCLUDED."email", "codeHash" = EXCLUDED."codeHash", "tokenHash" = EXCLUDED."tokenHash",
    "attempts" = 0, "expiresAt" = EXCLUDED."expiresAt", "createdAt" = now(), "updatedAt" = now()
  WHERE "AccountCodes"."createdAt" <= now() - make_interval(secs => $7)
  RETURNING "id"`;

/**
 * A new code and link token for `purpose`, sent to `email`; it replaces the user's previous
 * one. With `minIntervalMs`, a previous one younger than that stays and the answer is
 * `{ retryAfterMs }` instead (one atomic statement, so parallel requests issue one code).
 */
export async function issueCode(
  user: { id: number; email: string },
  purpose: CodePurpose,
  ttlMs: number,
  options: { minIntervalMs?: number; transaction?: Transaction } = {},
): Promise<IssuedCode | { retryAfterMs: number }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const token = randomBytes(32).toString('base64url');
  const { transaction, minIntervalMs = 0 } = options;
  const rows = await getSequelize().query<{ id: number }>(UPSERT, {
    bind: [user.id, purpose, user.email, codeHashOf(purpose, user.id, code), tokenHashOf(token), new Date(Date.now() + ttlMs), minIntervalMs / 1000],
    type: QueryTypes.SELECT,
    transaction,
  });
  if (rows.length > 0) return { code, token };
  const current = await AccountCode.findOne({ attributes: ['createdAt'], where: { UserId: user.id, purpose }, transaction });
  return { retryAfterMs: Math.max(1000, (current?.createdAt.getTime() ?? Date.now()) + minIntervalMs - Date.now()) };
}

function matches(row: AccountCode, code: string): boolean {
  const expected = Buffer.from(row.codeHash, 'hex');
  const given = Buffer.from(codeHashOf(row.purpose, row.UserId, code), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The user's live code of this purpose if `code` is it; not consumed (see `consumeCode`).
 * A wrong code counts: the MAX_WRONG_CODES-th voids it. The row is locked while it is
 * checked, so parallel guesses are each counted.
 */
export async function checkCode(userId: number, purpose: CodePurpose, code: string): Promise<AccountCode | undefined> {
  return getSequelize().transaction(async (transaction) => {
    const row = await AccountCode.findOne({ where: { UserId: userId, purpose }, transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return undefined;
    if (row.expiresAt.getTime() <= Date.now()) {
      await row.destroy({ transaction });
      return undefined;
    }
    if (matches(row, code)) return row;
    if (row.attempts + 1 >= MAX_WRONG_CODES) await row.destroy({ transaction });
    else await row.update({ attempts: row.attempts + 1 }, { transaction });
    return undefined;
  });
}

/** The live code of this purpose whose link token this is (tokens are 256 random bits: no attempt count needed). */
export async function codeOfToken(token: string, purpose: CodePurpose): Promise<AccountCode | undefined> {
  const row = await AccountCode.findOne({ where: { tokenHash: tokenHashOf(token), purpose, expiresAt: { [Op.gt]: new Date() } } });
  return row ?? undefined;
}

/** Uses the code up; false when it was used, replaced or expired meanwhile (a parallel request won). */
export async function consumeCode(row: AccountCode, transaction: Transaction): Promise<boolean> {
  const removed = await AccountCode.destroy({
    where: { id: row.id, tokenHash: row.tokenHash, expiresAt: { [Op.gt]: new Date() } },
    transaction,
  });
  return removed === 1;
}
