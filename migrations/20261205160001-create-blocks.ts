import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  // "UserId blocks BlockedUserId". Both ways of reading it are hot: the primary key answers
  // "whom does U block" (history, catch-up), the second index "who blocks U" (broadcasts).
  await queryInterface.createTable('Blocks', {
    UserId: {
      type: Sequelize.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'Users', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    BlockedUserId: {
      type: Sequelize.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'Users', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    createdAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('Blocks', ['BlockedUserId', 'UserId'], { name: 'blocks_blocked_user' });
  await queryInterface.sequelize.query('ALTER TABLE "Blocks" ADD CONSTRAINT blocks_not_self CHECK ("UserId" <> "BlockedUserId")');
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Blocks');
}
