import { Client, DatabaseError, type QueryResultRow } from 'pg';
import { logger } from '../logger';
import { getSequelize } from './sequelize';

/**
 * Statement names by SQL text. The hot statements are built from a fixed set of fragments,
 * so this stays small; past the bound a text runs unnamed (parsed every time) rather than
 * growing every connection's set of prepared statements.
 */
const names = new Map<string, string>();
const MAX_NAMED = 500;

function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const name = `api_${names.size + 1}`;
  names.set(text, name);
  return name;
}

function asPgClient(connection: object): Client {
  if (connection instanceof Client) return connection;
  throw new Error('The Sequelize pool did not hand out a pg Client');
}

/** The server refused the statement (ERROR) but kept the session (unlike FATAL or PANIC). */
function statementFailed(err: unknown): boolean {
  return err instanceof DatabaseError && err.severity !== 'FATAL' && err.severity !== 'PANIC';
}

/**
 * Runs one statement as a named prepared statement (parsed and planned once per connection)
 * on a connection borrowed from Sequelize's pool: there is one pool, DB_POOL_MAX is its size,
 * and an exhausted pool or a database that cannot be reached fails the same way as any
 * Sequelize query (ConnectionAcquireTimeoutError, ConnectionError: 503). About half the CPU
 * of `sequelize.query` per statement; for hot read paths and the chat insert.
 *
 * A statement the server rejected leaves the connection usable; any other failure (session
 * terminated, connection lost, `query_timeout`) takes the connection out of the pool.
 */
export async function queryPrepared<T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
  const manager = getSequelize().connectionManager;
  const client = asPgClient(await manager.getConnection({ type: 'write' }));
  try {
    const result = await client.query<T>({ name: statementName(text), text, values });
    manager.releaseConnection(client);
    return result.rows;
  } catch (err) {
    if (statementFailed(err)) manager.releaseConnection(client);
    else void manager.destroyConnection(client).catch((e: unknown) => logger.warn({ err: e }, 'closing a failed connection failed'));
    throw err;
  }
}
