/** The payload of a JWT, read without verifying it (tests forge and inspect tokens). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** The session (`sid`) an access token names. */
export function sessionIdOf(accessToken: string): string {
  return String(claimsOf(accessToken).sid);
}
