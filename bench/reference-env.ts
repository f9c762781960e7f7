import { createSecretKey } from 'node:crypto';
import type jwt from 'jsonwebtoken';
import { Pool } from 'pg';

/**
 * What both reference servers (bench/reference-server.ts for A and B,
 * bench/socket-reference-server.ts for E) take from their environment: the database pool,
 * sized like ours, and the access-token key and checks of our server.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

export const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.DB_POOL_MAX ?? 10) });
export const key = createSecretKey(Buffer.from(required('JWT_SECRET'), 'utf8'));
export const verifyOptions: jwt.VerifyOptions & { complete?: false } = {
  algorithms: ['HS256'],
  issuer: process.env.JWT_ISSUER ?? 'car-community',
  audience: process.env.JWT_AUDIENCE ?? 'car-community-api',
};
