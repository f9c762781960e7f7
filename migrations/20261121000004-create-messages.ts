import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('Messages', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    text: { type: Sequelize.TEXT, allowNull: false },
    room: { type: Sequelize.STRING(64), allowNull: false, defaultValue: 'global' },
    UserId: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'Users', key: 'id' }, onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    clientId: { type: Sequelize.STRING(64), allowNull: true },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('Messages', ['room', 'id'], { name: 'messages_room_id' });
  // A retried send with the same clientId must find the first copy, never store a second
  // (NULL clientIds are distinct, so messages without one are unaffected).
  await queryInterface.addIndex('Messages', ['UserId', 'clientId'], { unique: true, name: 'messages_user_client_unique' });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Messages');
}
