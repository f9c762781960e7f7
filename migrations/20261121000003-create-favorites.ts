import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('Favorites', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    UserId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    CarId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'Cars', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('Favorites', ['UserId', 'CarId'], { unique: true, name: 'favorites_user_car_unique' });
  await queryInterface.addIndex('Favorites', ['CarId'], { name: 'favorites_car' });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Favorites');
}
