import { closeDatabase, connectDatabase } from '../../src/db/sequelize';
import { takeResponseMismatches } from '../../src/routes/response-check';

beforeAll(() => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the jest global setup did not run');
  connectDatabase(url);
});

beforeEach(() => {
  takeResponseMismatches(); // what an earlier test left answering is not this one's
});

/** The OpenAPI document cannot lie: an answer its endpoint does not declare fails the test that received it. */
afterEach(() => {
  const mismatches = takeResponseMismatches();
  if (mismatches.length > 0) throw new Error(`Responses that do not match their endpoint's declaration:\n  ${mismatches.join('\n  ')}`);
});

afterAll(async () => {
  await closeDatabase();
});
