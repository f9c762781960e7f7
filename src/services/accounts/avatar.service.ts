import { QueryTypes } from 'sequelize';
import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { User } from '../../models';
import { toAvatarWebp } from './avatar-image.codec';
import { getUser } from '../users/user.service';
import { toUserView, type UserView } from '../users/user.view';

const STORE = `
  INSERT INTO "UserAvatars" ("UserId", "image", "version", "createdAt", "updatedAt") VALUES ($1, $2, 1, now(), now())
  ON CONFLICT ("UserId") DO UPDATE SET "image" = EXCLUDED."image", "version" = "UserAvatars"."version" + 1, "updatedAt" = now()
  RETURNING "version"`;

/** PUT /user/avatar: re-encodes the upload and stores it under a new version (so a new URL). */
export async function setAvatar(userId: number, upload: Buffer): Promise<UserView> {
  const image = await toAvatarWebp(upload);
  await getSequelize().transaction(async (transaction) => {
    const [row] = await getSequelize().query<{ version: number }>(STORE, { bind: [userId, image], type: QueryTypes.SELECT, transaction });
    if (!row) throw new Error('The avatar was not stored');
    await User.update({ avatarVersion: row.version }, { where: { id: userId }, transaction });
  });
  return toUserView(await getUser(userId));
}

/** DELETE /user/avatar: the image goes; its version stays, so a later upload gets a URL never used before. */
export async function removeAvatar(userId: number): Promise<UserView> {
  await getSequelize().transaction(async (transaction) => {
    await getSequelize().query('UPDATE "UserAvatars" SET "image" = NULL, "updatedAt" = now() WHERE "UserId" = $1', { bind: [userId], transaction });
    await User.update({ avatarVersion: null }, { where: { id: userId }, transaction });
  });
  return toUserView(await getUser(userId));
}

export interface StoredAvatar {
  image: Buffer;
  version: number;
}

/** The current avatar of a user; 404 when they have none (or do not exist). */
export async function getAvatar(userId: number): Promise<StoredAvatar> {
  const [row] = await getSequelize().query<StoredAvatar>('SELECT "image", "version" FROM "UserAvatars" WHERE "UserId" = $1 AND "image" IS NOT NULL', {
    bind: [userId],
    type: QueryTypes.SELECT,
  });
  if (!row) throw AppError.notFound('This user has no avatar');
  return row;
}
