import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

/**
 * Chat that can change: every message gets a `seq` from the same sequence as its id (equal
 * to the id at insert, a fresh value of the sequence at every edit or delete), `editedAt`,
 * and `deletedAt` for tombstones. Read markers live in RoomReads, which also records which
 * `dm:` rooms a user belongs to.
 */
export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  const q = (sql: string) => queryInterface.sequelize.query(sql);
  await queryInterface.addColumn('Messages', 'seq', { type: Sequelize.INTEGER, allowNull: true });
  await queryInterface.addColumn('Messages', 'editedAt', { type: Sequelize.DATE, allowNull: true });
  await queryInterface.addColumn('Messages', 'deletedAt', { type: Sequelize.DATE, allowNull: true });
  await q('UPDATE "Messages" SET "seq" = "id" WHERE "seq" IS NULL');
  // At insert seq = id, whoever inserts (the chat insert, bulkCreate, a seeder).
  await q(`CREATE FUNCTION messages_seq_from_id() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW."seq" := COALESCE(NEW."seq", NEW."id"); RETURN NEW; END $$`);
  await q('CREATE TRIGGER messages_seq_from_id BEFORE INSERT ON "Messages" FOR EACH ROW EXECUTE FUNCTION messages_seq_from_id()');
  await q('ALTER TABLE "Messages" ALTER COLUMN "seq" SET NOT NULL');
  // Catch-up: a room's changes after an offset, in seq order.
  await q('CREATE INDEX messages_room_seq ON "Messages" ("room", "seq")');
  // History, unread counts and last messages read live messages only; with UserId in the
  // index an unread count ("not written by me") is an index-only scan of at most 1,000 entries.
  await q('CREATE INDEX messages_room_live_id ON "Messages" ("room", "id") INCLUDE ("UserId") WHERE "deletedAt" IS NULL');
  await q('DROP INDEX IF EXISTS messages_room_id');
  // The tombstone purge finds old tombstones without reading live messages.
  await q('CREATE INDEX messages_deleted_at ON "Messages" ("deletedAt") WHERE "deletedAt" IS NOT NULL');

  await queryInterface.createTable('RoomReads', {
    UserId: { type: Sequelize.INTEGER, allowNull: false, primaryKey: true, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE' },
    room: { type: Sequelize.STRING(64), allowNull: false, primaryKey: true },
    lastReadId: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });

  // /socket/log: ordered by username, `q` a username prefix. Usernames are ASCII, so the
  // "C" collation orders them as people expect and lets LIKE 'prefix%' use the index.
  await q('CREATE INDEX users_username_lower_c ON "Users" (lower("username") COLLATE "C")');
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  const q = (sql: string) => queryInterface.sequelize.query(sql);
  await q('DROP INDEX IF EXISTS users_username_lower_c');
  await queryInterface.dropTable('RoomReads');
  // Tombstones are not messages any more: they do not survive going back.
  await q('DELETE FROM "Messages" WHERE "deletedAt" IS NOT NULL');
  await q('DROP INDEX IF EXISTS messages_deleted_at');
  await q('CREATE INDEX IF NOT EXISTS messages_room_id ON "Messages" ("room", "id")');
  await q('DROP INDEX IF EXISTS messages_room_live_id');
  await q('DROP INDEX IF EXISTS messages_room_seq');
  await q('DROP TRIGGER IF EXISTS messages_seq_from_id ON "Messages"');
  await q('DROP FUNCTION IF EXISTS messages_seq_from_id()');
  await queryInterface.removeColumn('Messages', 'deletedAt');
  await queryInterface.removeColumn('Messages', 'editedAt');
  await queryInterface.removeColumn('Messages', 'seq');
}
