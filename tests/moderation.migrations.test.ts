import { QueryTypes } from 'sequelize';
import { createMigrator, migrateUp } from '../src/db/migrate';
import { getSequelize } from '../src/db/sequelize';
import { useFreshDatabase } from './helpers/fresh-database';

useFreshDatabase('moderation_migrations');

const FIRST = '20261205160001-create-blocks.ts';

async function schema(): Promise<{ tables: string[]; mutedUntil: boolean }> {
  const tables = await getSequelize().query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('Blocks', 'Reports') ORDER BY 1`,
    { type: QueryTypes.SELECT },
  );
  const columns = await getSequelize().query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'Users' AND column_name = 'mutedUntil'`,
    { type: QueryTypes.SELECT },
  );
  return { tables: tables.map((t) => t.name), mutedUntil: columns.length === 1 };
}

describe('the moderation migrations', () => {
  it('when undone, then Blocks, Reports and Users.mutedUntil are gone; when redone, they are back', async () => {
    expect(await schema()).toEqual({ tables: ['Blocks', 'Reports'], mutedUntil: true });
    const migrator = createMigrator(getSequelize());
    const undone = await migrator.down({ to: FIRST });
    expect(undone.map((m) => m.name)).toEqual(expect.arrayContaining([FIRST]));
    expect(await schema()).toEqual({ tables: [], mutedUntil: false });
    await migrateUp(getSequelize());
    expect(await schema()).toEqual({ tables: ['Blocks', 'Reports'], mutedUntil: true });
  });
});
