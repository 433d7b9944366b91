import { defineConfig } from 'vitest/config';

const shared = {
  include: ['test/**/*.test.ts'],
  exclude: ['test/browser/**', '**/node_modules/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * The API suite runs on SQLite, and again on PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it); pure unit tests run once.
 */
const projects: any[] = [{
  test: {
    ...shared,
    name: 'sqlite',
    // The browser tests (test/browser) run here only, against the client built by the global setup.
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/browser/global-setup.ts'],
    env: { TEST_DB: 'sqlite' },
  },
}];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    test: { ...shared, name: 'postgres', include: ['test/api/**/*.test.ts', 'test/multi-node/**/*.test.ts', 'test/game/**/*.test.ts', 'test/play/**/*.test.ts', 'test/faults/**/*.test.ts', 'test/security/**/*.test.ts', 'test/tournament/**/*.test.ts'], env: { TEST_DB: 'postgres' } },
  });
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects,
  },
});
