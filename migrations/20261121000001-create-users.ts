import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('Users', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    username: { type: Sequelize.STRING(30), allowNull: false },
    email: { type: Sequelize.STRING(254), allowNull: false },
    passwordHash: { type: Sequelize.STRING(100), allowNull: false },
    address: { type: Sequelize.STRING(255), allowNull: true },
    quotes: { type: Sequelize.STRING(500), allowNull: true },
    role: { type: Sequelize.ENUM('user', 'admin', 'superadmin'), allowNull: false, defaultValue: 'user' },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  // Uniqueness ignores case; these also serve the case-insensitive look-ups.
  await queryInterface.sequelize.query('CREATE UNIQUE INDEX "users_email_lower_unique" ON "Users" (lower("email"))');
  await queryInterface.sequelize.query('CREATE UNIQUE INDEX "users_username_lower_unique" ON "Users" (lower("username"))');
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Users');
  await queryInterface.sequelize.query('DROP TYPE IF EXISTS "enum_Users_role"');
}
