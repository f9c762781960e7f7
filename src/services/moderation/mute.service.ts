import { AppError } from '../../errors';
import type { User } from '../../models';
import { muteChanged } from './mute.cache';
import type { Principal } from '../auth/principal.service';
import { getUser } from '../users/user.service';
import { toPublicProfile, type PublicProfile } from '../users/user.view';

export const MAX_MUTE_MINUTES = 43_200;

export type MutedProfile = PublicProfile & { mutedUntil: Date | null };

type Actor = Pick<Principal, 'userId' | 'role'>;

/** An admin mutes plain users; a superadmin anyone but a superadmin (§7). */
export function canMute(actor: Actor, target: Pick<User, 'role'>): boolean {
  if (actor.role === 'superadmin') return target.role !== 'superadmin';
  return actor.role === 'admin' && target.role === 'user';
}

async function target(actor: Actor, targetId: number): Promise<User> {
  const user = await getUser(targetId);
  if (!canMute(actor, user)) throw AppError.forbidden('Only an admin (on a plain user) or a superadmin (on anyone but a superadmin) can mute');
  return user;
}

function view(user: User): MutedProfile {
  const until = user.mutedUntil && user.mutedUntil.getTime() > Date.now() ? user.mutedUntil : null;
  return { ...toPublicProfile(user), mutedUntil: until };
}

/** Refuses the user's sends and edits for `minutes`, on every instance at once. */
export async function muteUser(actor: Actor, targetId: number, minutes: number): Promise<MutedProfile> {
  const user = await target(actor, targetId);
  await user.update({ mutedUntil: new Date(Date.now() + minutes * 60_000) });
  await muteChanged(user.id);
  return view(user);
}

export async function unmuteUser(actor: Actor, targetId: number): Promise<MutedProfile> {
  const user = await target(actor, targetId);
  await user.update({ mutedUntil: null });
  await muteChanged(user.id);
  return view(user);
}
