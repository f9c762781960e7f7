import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  // One row per running Socket.IO instance, refreshed by its heartbeat. A row whose
  // heartbeat is stale belongs to a crashed instance and is reaped with its holders.
  await queryInterface.createTable('SocketInstances', {
    id: { type: Sequelize.UUID, primaryKey: true, allowNull: false },
    startedAt: { type: Sequelize.DATE, allowNull: false },
    heartbeatAt: { type: Sequelize.DATE, allowNull: false },
  });
  // "Instance X has (or had within the grace period) a live socket of user U". A user's
  // Log row is `on` exactly while at least one holder row exists for them.
  await queryInterface.createTable('PresenceHolders', {
    UserId: {
      type: Sequelize.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'Users', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    instanceId: {
      type: Sequelize.UUID,
      allowNull: false,
      primaryKey: true,
      references: { model: 'SocketInstances', key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    },
    createdAt: { type: Sequelize.DATE, allowNull: false },
  });
  await queryInterface.addIndex('PresenceHolders', ['instanceId'], { name: 'presence_holders_instance' });
  // @socket.io/postgres-adapter stores packets over NOTIFY's 8000-byte limit here.
  await queryInterface.sequelize.query(
    'CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)',
  );
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('socket_io_attachments');
  await queryInterface.dropTable('PresenceHolders');
  await queryInterface.dropTable('SocketInstances');
}
