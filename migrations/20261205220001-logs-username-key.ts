import type { QueryInterface } from 'sequelize';

/**
 * `GET /socket/log` is ordered by username and searched by username prefix. With the
 * username only in "Users", a deep page (`page=1000` at 100,000 users) joined 20,000 users
 * to their entries before skipping them (~100 ms). Each entry now keeps its user's
 * lower-cased username ("usernameKey", "C" collation), so one index-only walk of "Logs"
 * skips, filters and orders, and only the page's rows are joined to "Users". Triggers keep
 * it: an entry inserted without it looks it up (a bulk insert that already has the user's
 * row passes `lower(username)` itself), a new UserId looks it up again, a rename updates it.
 */
const STATEMENTS = [
  `ALTER TABLE "Logs" ADD COLUMN "usernameKey" text COLLATE "C"`,
  `UPDATE "Logs" l SET "usernameKey" = lower(u."username") FROM "Users" u WHERE u."id" = l."UserId"`,
  `ALTER TABLE "Logs" ALTER COLUMN "usernameKey" SET NOT NULL`,
  `CREATE FUNCTION logs_set_username_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' OR NEW."usernameKey" IS NULL THEN
       NEW."usernameKey" := (SELECT lower("username") FROM "Users" WHERE "id" = NEW."UserId");
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER logs_set_username_key BEFORE INSERT OR UPDATE OF "UserId" ON "Logs"
   FOR EACH ROW EXECUTE FUNCTION logs_set_username_key()`,
  `CREATE FUNCTION users_rename_log_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE "Logs" SET "usernameKey" = lower(NEW."username") WHERE "UserId" = NEW."id";
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER users_rename_log_key AFTER UPDATE OF "username" ON "Users"
   FOR EACH ROW WHEN (lower(OLD."username") IS DISTINCT FROM lower(NEW."username")) EXECUTE FUNCTION users_rename_log_key()`,
  `CREATE INDEX "logs_username_key" ON "Logs" ("usernameKey", "UserId") INCLUDE ("status", "updatedAt")`,
];

export async function up(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.sequelize.transaction(async (transaction) => {
    for (const sql of STATEMENTS) await queryInterface.sequelize.query(sql, { transaction });
  });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.sequelize.query(`DROP TRIGGER IF EXISTS users_rename_log_key ON "Users"`);
  await queryInterface.sequelize.query('DROP FUNCTION IF EXISTS users_rename_log_key()');
  await queryInterface.sequelize.query(`DROP TRIGGER IF EXISTS logs_set_username_key ON "Logs"`);
  await queryInterface.sequelize.query('DROP FUNCTION IF EXISTS logs_set_username_key()');
  await queryInterface.sequelize.query('ALTER TABLE "Logs" DROP COLUMN IF EXISTS "usernameKey"');
}
