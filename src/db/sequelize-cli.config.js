// CommonJS on purpose: sequelize-cli loads it with require().
require('dotenv/config');

const base = { use_env_variable: 'DATABASE_URL', dialect: 'postgres', migrationStorageTableName: 'SequelizeMeta' };

module.exports = { development: base, test: base, production: base };
