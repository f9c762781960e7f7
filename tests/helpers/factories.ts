import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { Car, User } from '../../src/models';
import type { Role } from '../../src/models/user';
import { hashPassword } from '../../src/services/auth/password-hash.pool';

export const PASSWORD = 'correct-horse-battery-staple';

export function unique(prefix = 'u'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export interface TestUser {
  user: User;
  email: string;
  password: string;
}

/** A user straight in the database (registration has its own tests). */
export async function createUser(
  overrides: { role?: Role; username?: string; email?: string; password?: string; emailVerified?: boolean } = {},
): Promise<TestUser> {
  const username = overrides.username ?? unique('user_');
  const email = overrides.email ?? `${username.toLowerCase()}@example.com`;
  const password = overrides.password ?? PASSWORD;
  const user = await User.create({
    username,
    email,
    passwordHash: await hashPassword(password),
    address: null,
    quotes: null,
    role: overrides.role ?? 'user',
    ...(overrides.emailVerified === undefined ? {} : { emailVerified: overrides.emailVerified }),
  });
  return { user, email, password };
}

export interface LoggedIn extends TestUser {
  accessToken: string;
  refreshToken: string;
}

/** A user logged in through the real `POST /login`. */
export async function loginAs(app: Express, overrides: Parameters<typeof createUser>[0] = {}): Promise<LoggedIn> {
  const created = await createUser(overrides);
  const res = await request(app).post('/login').send({ email: created.email, password: created.password }).expect(200);
  return { ...created, accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
}

export async function createCar(overrides: Partial<{ make: string; model: string; year: number; category: string }> = {}): Promise<Car> {
  return Car.create({
    objectId: unique('obj'),
    make: overrides.make ?? unique('Make'),
    model: overrides.model ?? 'Model',
    year: overrides.year ?? 2020,
    category: overrides.category ?? 'Sedan',
  });
}
