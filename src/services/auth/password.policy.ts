import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FieldError } from '../../errors';
import { BUNDLED_DATA_DIR } from '../../paths';

let common: Set<string> | undefined;

/** The bundled list of common passwords, read once on first use. */
function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(path.join(BUNDLED_DATA_DIR, 'common-passwords.txt'), 'utf8');
    common = new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean),
    );
  }
  return common;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/**
 * NIST-style rules: 8+ characters, at most 72 bytes (bcrypt ignores the rest), not a
 * common password, not containing the username or the email's local part. No composition rules.
 */
export function checkPassword(password: string, context: { username?: string; email?: string }, field = 'password'): FieldError[] {
  const problems: string[] = [];
  if ([...password].length < 8) problems.push('Password must be at least 8 characters');
  if (Buffer.byteLength(password, 'utf8') > 72) problems.push('Password must be at most 72 bytes');
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) problems.push('Password is too common');
  const username = context.username?.toLowerCase();
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (username && lower.includes(username)) problems.push('Password must not contain the username');
  else if (local && local.length >= 3 && lower.includes(local)) problems.push('Password must not contain the email address');
  return problems.map((message) => ({ path: field, message, location: 'body' }));
}
