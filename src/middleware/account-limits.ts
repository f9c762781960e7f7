import type { Request } from 'express';
import { extractToken } from '../services/auth/principal.service';
import { verifyAccessToken } from '../services/auth/token.service';
import { clientIp, emailOf, limited, ruleMaker, type Limited, type RateLimits } from './rate-limit';

export interface AccountLimiters {
  /** POST /password/forgot: every request counts, per email+IP and per IP, like logins. */
  forgot: Limited;
  /** POST /password/reset: wrong codes count per email (token form: per IP) and per IP. */
  reset: Limited;
  /** POST /email/verify: wrong codes count per user (token form: per IP) and per IP. */
  verify: Limited;
}

/** The user an access token names, read without a database look-up (it only picks the counter). */
function tokenUser(req: Request): string | undefined {
  try {
    const token = extractToken(req.headers);
    return token ? `user:${verifyAccessToken(token).userId}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Codes are 6 digits: besides the 5 wrong tries each code allows, these budgets bound the
 * guesses per account across codes and addresses. The keys never depend on whether an
 * account exists, so a 429 says nothing about it either.
 */
export function createAccountLimiters(limits: RateLimits): AccountLimiters {
  const { loginMaxFailures: max, loginWindowMs: window } = limits;
  const rule = ruleMaker(limits);
  const always = () => true;
  const wrong = (status: number) => status === 400;
  const perIp = (name: string) => rule(name, max * 10, window, (req) => clientIp(req));
  return {
    forgot: limited([rule('forgot-account', max, window, (req) => `${clientIp(req)}|${emailOf(req)}`), perIp('forgot-ip')], always),
    reset: limited(
      [rule('reset-account', max, window, (req) => (emailOf(req) ? `email:${emailOf(req)}` : `ip:${clientIp(req)}`)), perIp('reset-ip')],
      wrong,
    ),
    verify: limited([rule('verify-account', max, window, (req) => tokenUser(req) ?? `ip:${clientIp(req)}`), perIp('verify-ip')], wrong),
  };
}
