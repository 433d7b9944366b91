import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_PATH, clientTypesSource } from '../../scripts/client-types.js';

/** src/client/api-types.ts is what `npm run client:types` makes from the served OpenAPI document today. */
describe('generated client types', () => {
  it('match the routes and schemas the server serves (run `npm run client:types` after changing them)', async () => {
    const committed = readFileSync(CLIENT_TYPES_PATH, 'utf8');
    expect(committed === (await clientTypesSource()), 'src/client/api-types.ts is out of date: run `npm run client:types`').toBe(true);
  });
});
