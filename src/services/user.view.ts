import type { Role, User } from '../models/user';

export interface UserView {
  id: number;
  username: string;
  email: string;
  address: string | null;
  quotes: string | null;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

export interface PublicProfile {
  id: number;
  username: string;
  quotes: string | null;
  createdAt: Date;
}

/** The only shape in which a user leaves the API: never a hash, never a token. */
export function toUserView(user: User): UserView {
  const { id, username, email, address, quotes, role, createdAt, updatedAt } = user;
  return { id, username, email, address, quotes, role, createdAt, updatedAt };
}

export function toPublicProfile(user: User): PublicProfile {
  const { id, username, quotes, createdAt } = user;
  return { id, username, quotes, createdAt };
}
