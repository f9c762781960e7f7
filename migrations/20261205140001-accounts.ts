import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

/**
 * Accounts (contract §6): email verification and avatar version on Users; the device
 * (user agent, IP) and last use of each session; one-time codes for password reset and
 * email verification; avatar images.
 */
export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.addColumn('Users', 'emailVerified', { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false });
  // The version of the current avatar (null: none); it names the immutable URL /users/:id/avatar?v=N.
  await queryInterface.addColumn('Users', 'avatarVersion', { type: Sequelize.INTEGER, allowNull: true });

  await queryInterface.addColumn('Sessions', 'userAgent', { type: Sequelize.STRING(512), allowNull: true });
  await queryInterface.addColumn('Sessions', 'ip', { type: Sequelize.STRING(64), allowNull: true });
  await queryInterface.addColumn('Sessions', 'lastUsedAt', { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.fn('now') });

  // At most one live code per user and purpose: a new request replaces the old one.
  // The 6-digit code and the link token are kept only as keyed hashes.
  await queryInterface.createTable('AccountCodes', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    UserId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    purpose: { type: Sequelize.STRING(32), allowNull: false },
    email: { type: Sequelize.STRING(254), allowNull: false },
    codeHash: { type: Sequelize.STRING(64), allowNull: false },
    tokenHash: { type: Sequelize.STRING(64), allowNull: false, unique: true },
    attempts: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
    expiresAt: { type: Sequelize.DATE, allowNull: false },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('AccountCodes', ['UserId', 'purpose'], { name: 'account_codes_user_purpose', unique: true });

  // The image outlives a deletion as a null so that `version` only ever grows: a URL once
  // served as immutable never names another picture.
  await queryInterface.createTable('UserAvatars', {
    UserId: {
      type: Sequelize.INTEGER,
      primaryKey: true,
      allowNull: false,
      references: { model: 'Users', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    image: { type: Sequelize.BLOB, allowNull: true },
    version: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('UserAvatars');
  await queryInterface.dropTable('AccountCodes');
  await queryInterface.removeColumn('Sessions', 'lastUsedAt');
  await queryInterface.removeColumn('Sessions', 'ip');
  await queryInterface.removeColumn('Sessions', 'userAgent');
  await queryInterface.removeColumn('Users', 'avatarVersion');
  await queryInterface.removeColumn('Users', 'emailVerified');
}
