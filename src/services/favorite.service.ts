import { UniqueConstraintError } from 'sequelize';
import { AppError } from '../errors';
import { Car, Favorite } from '../models';

const include = [{ model: Car, attributes: ['id', 'objectId', 'make', 'model', 'year', 'category', 'createdAt', 'updatedAt'] }];

export function listFavorites(userId: number): Promise<Favorite[]> {
  return Favorite.findAll({ where: { UserId: userId }, include, order: [['id', 'ASC']] });
}

export async function addFavorite(userId: number, carId: number): Promise<Favorite> {
  const car = await Car.findByPk(carId, { attributes: ['id'] });
  if (!car) throw AppError.notFound('Car not found');
  try {
    const created = await Favorite.create({ UserId: userId, CarId: carId });
    const withCar = await Favorite.findByPk(created.id, { include });
    if (!withCar) throw AppError.notFound('Favorite not found');
    return withCar;
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw AppError.conflict('This car is already a favorite');
    throw err;
  }
}

/** Only the owner can delete; someone else's favorite is indistinguishable from none. */
export async function removeFavorite(userId: number, favoriteId: number): Promise<void> {
  const removed = await Favorite.destroy({ where: { id: favoriteId, UserId: userId } });
  if (removed === 0) throw AppError.notFound('Favorite not found');
}
