import type { Role, User } from '../../models/user';

export interface UserView {
  id: number;
  username: string;
  email: string;
  emailVerified: boolean;
  address: string | null;
  quotes: string | null;
  role: Role;
  avatarUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PublicProfile {
  id: number;
  username: string;
  quotes: string | null;
  avatarUrl: string | null;
  createdAt: Date;
}

/** `/users/7/avatar?v=3`: the version makes the URL immutable (it changes with every upload). */
export function avatarUrlOf(userId: number, version: number | null | undefined): string | null {
  return version ? `/users/${userId}/avatar?v=${version}` : null;
}

/** The only shape in which a user leaves the API: never a hash, never a token. */
export function toUserView(user: User): UserView {
  const { id, username, email, emailVerified, address, quotes, role, createdAt, updatedAt } = user;
  return { id, username, email, emailVerified, address, quotes, role, avatarUrl: avatarUrlOf(id, user.avatarVersion), createdAt, updatedAt };
}

export function toPublicProfile(user: User): PublicProfile {
  const { id, username, quotes, createdAt } = user;
  return { id, username, quotes, avatarUrl: avatarUrlOf(id, user.avatarVersion), createdAt };
}
