import type { QueryInterface } from 'sequelize';

/**
 * What the purge job (services/purge.service) looks for: rotated refresh tokens, expired
 * and revoked sessions. Partial indexes on the dead rows only, so live traffic pays little
 * to keep them up to date and each batch of the purge is an index scan, not a table scan.
 */
export async function up(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.sequelize.query('CREATE INDEX refresh_tokens_rotated ON "RefreshTokens" ("rotatedAt") WHERE "rotatedAt" IS NOT NULL');
  await queryInterface.addIndex('Sessions', ['expiresAt'], { name: 'sessions_expires' });
  await queryInterface.sequelize.query('CREATE INDEX sessions_revoked ON "Sessions" ("revokedAt") WHERE "revokedAt" IS NOT NULL');
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await queryInterface.removeIndex('Sessions', 'sessions_revoked');
  await queryInterface.removeIndex('Sessions', 'sessions_expires');
  await queryInterface.removeIndex('RefreshTokens', 'refresh_tokens_rotated');
}
