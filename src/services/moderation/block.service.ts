import { Op } from 'sequelize';
import { queryPrepared } from '../../db/prepared';
import { AppError } from '../../errors';
import { Block, User } from '../../models';
import { blocksChanged } from './block.cache';
import { getUser } from '../users/user.service';
import { toPublicProfile, type PublicProfile } from '../users/user.view';

const INSERT_BLOCK = `INSERT INTO "Blocks" ("UserId", "BlockedUserId", "createdAt") VALUES ($1, $2, now())
  ON CONFLICT DO NOTHING RETURNING "UserId"`;
const DELETE_BLOCK = 'DELETE FROM "Blocks" WHERE "UserId" = $1 AND "BlockedUserId" = $2 RETURNING "UserId"';

/** `blockerId` stops receiving `targetId`'s messages and typing; the target is not told. */
export async function blockUser(blockerId: number, targetId: number): Promise<void> {
  if (blockerId === targetId) {
    throw AppError.validation([{ path: 'id', message: 'You cannot block yourself', location: 'params' }], 'You cannot block yourself');
  }
  await getUser(targetId);
  const [row] = await queryPrepared<{ UserId: number }>(INSERT_BLOCK, [blockerId, targetId]);
  if (!row) throw AppError.conflict('You already block this user');
  await blocksChanged(blockerId, targetId);
}

export async function unblockUser(blockerId: number, targetId: number): Promise<void> {
  const [row] = await queryPrepared<{ UserId: number }>(DELETE_BLOCK, [blockerId, targetId]);
  if (!row) throw AppError.notFound('You do not block this user');
  await blocksChanged(blockerId, targetId);
}

/** Whom the user blocks, as public profiles, most recently blocked first. */
export async function listBlocked(blockerId: number): Promise<PublicProfile[]> {
  const blocks = await Block.findAll({ where: { UserId: blockerId }, order: [['createdAt', 'DESC']] });
  if (blocks.length === 0) return [];
  const users = await User.findAll({ where: { id: { [Op.in]: blocks.map((b) => b.BlockedUserId) } } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return blocks.flatMap((b) => {
    const user = byId.get(b.BlockedUserId);
    return user ? [toPublicProfile(user)] : [];
  });
}
