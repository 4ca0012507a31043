import { describe, expect, it } from 'vitest';
import openapi from '../../../openapi.json?raw';
// @ts-expect-error: a plain ESM script without types
import { generate } from '../../scripts/gen-api.mjs';
import current from './schema.gen.ts?raw';

describe('generated API types', () => {
  it('match the committed openapi.json (run `node scripts/gen-api.mjs` after changing the API)', () => {
    expect((generate as (o: unknown) => string)(JSON.parse(openapi))).toBe(current);
  });
});
