import { ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';
import { AppError } from '../../errors';
import { Car, Favorite } from '../../models';

const include = [{ model: Car, attributes: ['id', 'objectId', 'make', 'model', 'year', 'category', 'createdAt', 'updatedAt'] }];

export function listFavorites(userId: number): Promise<Favorite[]> {
  return Favorite.findAll({ where: { UserId: userId }, include, order: [['id', 'ASC']] });
}

/**
 * The database settles both rules in the one INSERT, so a concurrent duplicate or a car
 * deleted meanwhile still answers 409 or 404: the (UserId, CarId) unique index and the
 * CarId foreign key.
 */
export async function addFavorite(userId: number, carId: number): Promise<Favorite> {
  try {
    const created = await Favorite.create({ UserId: userId, CarId: carId });
    return await created.reload({ include });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw AppError.conflict('This car is already a favorite');
    if (err instanceof ForeignKeyConstraintError && String(err.index).includes('CarId')) throw AppError.notFound('Car not found');
    throw err;
  }
}

/** Only the owner can delete; someone else's favorite is indistinguishable from none. */
export async function removeFavorite(userId: number, favoriteId: number): Promise<void> {
  const removed = await Favorite.destroy({ where: { id: favoriteId, UserId: userId } });
  if (removed === 0) throw AppError.notFound('Favorite not found');
}
