import type { Migration, MigrationProvider } from 'kysely';
import * as accounts from './001_accounts.js';

/** Every migration, in order. Each one runs unchanged on SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '001_accounts': accounts,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
