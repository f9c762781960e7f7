import type { QueryInterface } from 'sequelize';
import type * as SequelizeLib from 'sequelize';

/**
 * Brute-force counters shared by every instance when RATE_LIMIT_STORE=postgres, in the
 * layout rate-limiter-flexible's RateLimiterPostgres reads and writes (made here, never
 * by the library at run time): one row per counted key, `expire` in epoch milliseconds.
 * `key` is text rather than the library's varchar(255): it holds an IP and an email.
 */
export async function up(queryInterface: QueryInterface, Sequelize: typeof SequelizeLib): Promise<void> {
  await queryInterface.createTable('RateLimits', {
    key: { type: Sequelize.TEXT, primaryKey: true, allowNull: false },
    points: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
    expire: { type: Sequelize.BIGINT, allowNull: true },
  });
  // The library deletes rows expired an hour ago every five minutes.
  await queryInterface.addIndex('RateLimits', ['expire'], { name: 'rate_limits_expire' });
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.dropTable('RateLimits');
}
