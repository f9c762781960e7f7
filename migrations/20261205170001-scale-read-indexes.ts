import type { QueryInterface } from 'sequelize';

/**
 * Reads at §8's scale (1,000,000 cars, 100,000 users; `npm run bench -- --only H`):
 *
 * - `/users?q=` matches part of the username or the email (`ILIKE '%q%'`): trigram indexes
 *   let both halves of the OR be index scans instead of reading every user;
 * - `/socket/log?status=` counts one status: an index-only count on it;
 * - `/cars?sort=make|model` walks an index in the page's order (make or model, then id)
 *   instead of sorting every car, and `/cars?make=…&sort=model` reads the make's cars in
 *   model order from `(lower(make), model, id)`.
 */
const INDEXES: [name: string, definition: string][] = [
  ['users_username_trgm', 'ON "Users" USING GIN ("username" gin_trgm_ops)'],
  ['users_email_trgm', 'ON "Users" USING GIN ("email" gin_trgm_ops)'],
  ['logs_status', 'ON "Logs" ("status")'],
  ['cars_make_id', 'ON "Cars" ("make", "id")'],
  ['cars_model_id', 'ON "Cars" ("model", "id")'],
  ['cars_make_lower_model', 'ON "Cars" (lower("make"), "model", "id")'],
];

export async function up(queryInterface: QueryInterface): Promise<void> {
  // pg_trgm comes with the catalogue search migration; this one must not depend on its order.
  await queryInterface.sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  for (const [name, definition] of INDEXES) await queryInterface.sequelize.query(`CREATE INDEX "${name}" ${definition}`);
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await queryInterface.sequelize.query(`DROP INDEX IF EXISTS "${name}"`);
}
