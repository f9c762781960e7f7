import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('Logs', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    UserId: {
      type: Sequelize.INTEGER,
      allowNull: false,
      unique: true,
      references: { model: 'Users', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    status: { type: Sequelize.ENUM('on', 'off'), allowNull: false, defaultValue: 'off' },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Logs');
  await queryInterface.sequelize.query('DROP TYPE IF EXISTS "enum_Logs_status"');
}
