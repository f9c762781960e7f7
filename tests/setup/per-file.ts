import { closeDatabase, connectDatabase } from '../../src/db/sequelize';

beforeAll(() => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the jest global setup did not run');
  connectDatabase(url);
});

afterAll(async () => {
  await closeDatabase();
});
