import { AppError } from '../errors';
import { User } from '../models';
import type { Role } from '../models/user';
import type { Principal } from './principal.service';
import { assertAvailable } from './auth.service';
import { toUserView, type UserView } from './user.view';

const RANK: Record<Role, number> = { user: 0, admin: 1, superadmin: 2 };

/** Self, an admin acting on a plain user, or a superadmin acting on anyone. */
export function canManage(actor: Pick<Principal, 'userId' | 'role'>, target: Pick<User, 'id' | 'role'>): boolean {
  if (actor.userId === target.id) return true;
  if (actor.role === 'superadmin') return true;
  return actor.role === 'admin' && RANK[target.role as Role] === 0;
}

export async function getUser(id: number): Promise<User> {
  const user = await User.findByPk(id);
  if (!user) throw AppError.notFound('User not found');
  return user;
}

export interface ProfileChanges {
  username?: string;
  email?: string;
  address?: string | null;
  quotes?: string | null;
}

export async function updateProfile(actor: Principal, targetId: number, changes: ProfileChanges): Promise<UserView> {
  const target = await getUser(targetId);
  if (!canManage(actor, target)) throw AppError.forbidden('You may only update your own account');
  await assertAvailable({ username: changes.username, email: changes.email }, target.id);
  await target.update(changes);
  return toUserView(target);
}
