import { QueryTypes } from 'sequelize';
import { createMigrator, migrateUp } from '../src/db/migrate';
import { getSequelize } from '../src/db/sequelize';
import { useFreshDatabase } from './helpers/fresh-database';

useFreshDatabase('accounts_migration');

const MIGRATION = '20261205140001-accounts.ts';

async function columns(table: string): Promise<string[]> {
  const rows = await getSequelize().query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_name = :table ORDER BY column_name',
    { replacements: { table }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => r.column_name);
}

async function tableExists(table: string): Promise<boolean> {
  const [row] = await getSequelize().query<{ exists: boolean }>('SELECT to_regclass(:table) IS NOT NULL AS "exists"', {
    replacements: { table: `"${table}"` },
    type: QueryTypes.SELECT,
  });
  return row?.exists ?? false;
}

describe(`migration ${MIGRATION}`, () => {
  it('when undone and redone, then its columns and tables go and come back', async () => {
    expect(await columns('Users')).toEqual(expect.arrayContaining(['emailVerified', 'avatarVersion']));
    expect(await columns('Sessions')).toEqual(expect.arrayContaining(['userAgent', 'ip', 'lastUsedAt']));
    expect(await tableExists('AccountCodes')).toBe(true);

    await createMigrator(getSequelize()).down({ to: MIGRATION });
    expect(await columns('Users')).not.toContain('emailVerified');
    expect(await columns('Sessions')).not.toContain('lastUsedAt');
    expect(await tableExists('AccountCodes')).toBe(false);
    expect(await tableExists('UserAvatars')).toBe(false);

    await migrateUp(getSequelize());
    expect(await columns('Users')).toEqual(expect.arrayContaining(['emailVerified', 'avatarVersion']));
    expect(await tableExists('UserAvatars')).toBe(true);
  });
});
