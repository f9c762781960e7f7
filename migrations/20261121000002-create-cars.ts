import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('Cars', {
    id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    objectId: { type: Sequelize.STRING(32), allowNull: false, unique: true },
    make: { type: Sequelize.STRING(100), allowNull: false },
    model: { type: Sequelize.STRING(150), allowNull: false },
    year: { type: Sequelize.INTEGER, allowNull: false },
    category: { type: Sequelize.STRING(255), allowNull: false, defaultValue: '' },
    createdAt: { type: Sequelize.DATE, allowNull: false },
    updatedAt: { type: Sequelize.DATE, allowNull: false },
  });
  const q = (sql: string) => queryInterface.sequelize.query(sql);
  await q('CREATE INDEX "cars_make_lower" ON "Cars" (lower("make"), "id")');
  await q('CREATE INDEX "cars_model_lower" ON "Cars" (lower("model"))');
  await q('CREATE INDEX "cars_year" ON "Cars" ("year")');
  // `category` holds a comma-separated list; the filter matches one of its items.
  await q(`CREATE INDEX "cars_categories" ON "Cars" USING GIN (regexp_split_to_array(lower("category"), '\\s*,\\s*'))`);
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('Cars');
}
