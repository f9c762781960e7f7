import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  // One row per login (device). Access tokens carry its id as `sid`.
  await queryInterface.createTable('Sessions', {
    id: { type: Sequelize.UUID, primaryKey: true, allowNull: false },
    UserId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    expiresAt: { type: Sequelize.DATE, allowNull: false },
    revokedAt: { type: Sequelize.DATE, allowNull: true },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('Sessions', ['UserId'], { name: 'sessions_user' });
  // Every refresh token ever issued, as a SHA-256 hash only; a rotated one presented again betrays theft.
  await queryInterface.createTable('RefreshTokens', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    SessionId: { type: Sequelize.UUID, allowNull: false, references: { model: 'Sessions', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    tokenHash: { type: Sequelize.STRING(64), allowNull: false, unique: true },
    rotatedAt: { type: Sequelize.DATE, allowNull: true },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('RefreshTokens', ['SessionId'], { name: 'refresh_tokens_session' });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('RefreshTokens');
  await queryInterface.dropTable('Sessions');
}
