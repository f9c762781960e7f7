import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  // Until when a moderator muted the user (no sends or edits); NULL or past means not muted.
  await queryInterface.addColumn('Users', 'mutedUntil', { type: Sequelize.DATE, allowNull: true });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.removeColumn('Users', 'mutedUntil');
}
