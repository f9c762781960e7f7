import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  // A report outlives what it is about: a deleted reporter, author or message leaves a
  // NULL, and `text` keeps the reported message as it was when reported.
  const user = (allowNull: boolean) => ({
    type: Sequelize.INTEGER,
    allowNull,
    references: { model: 'Users', key: 'id' },
    onDelete: 'SET NULL',
    onUpdate: 'CASCADE',
  });
  await queryInterface.createTable('Reports', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    ReporterId: user(true),
    MessageId: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'Messages', key: 'id' }, onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    UserId: user(true),
    isMessageReport: { type: Sequelize.BOOLEAN, allowNull: false },
    text: { type: Sequelize.TEXT, allowNull: true },
    reason: { type: Sequelize.STRING(16), allowNull: false },
    note: { type: Sequelize.STRING(500), allowNull: true },
    status: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'open' },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.sequelize.query(
    `ALTER TABLE "Reports"
       ADD CONSTRAINT reports_reason CHECK ("reason" IN ('spam', 'harassment', 'hate', 'sexual', 'violence', 'other')),
       ADD CONSTRAINT reports_status CHECK ("status" IN ('open', 'resolved', 'dismissed'))`,
  );
  // The moderation queue: newest first, optionally by status.
  await queryInterface.addIndex('Reports', ['status', 'createdAt'], { name: 'reports_status_created' });
  await queryInterface.addIndex('Reports', ['createdAt'], { name: 'reports_created' });
  // One open report per reporter and target: a message, or (for user reports) a user.
  await queryInterface.addIndex('Reports', ['ReporterId', 'MessageId'], {
    unique: true,
    name: 'reports_open_message_unique',
    where: { status: 'open', isMessageReport: true },
  });
  await queryInterface.addIndex('Reports', ['ReporterId', 'UserId'], {
    unique: true,
    name: 'reports_open_user_unique',
    where: { status: 'open', isMessageReport: false },
  });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Reports');
}
