// What is particular to the PostgreSQL store: its migrations match core's, and unreachable servers
// are reported with a code and the location (never the password).
import { isKequnError, storeMigrations } from '@kequn/core';
import { describe, expect, it } from 'vitest';
import { openPostgresStore, postgresMigrations } from '../src/index.js';

describe('postgres store', () => {
  it('has one migration per version of core’s catalogue, with the same names', () => {
    expect(postgresMigrations.map(({ version, name }) => ({ version, name }))).toEqual([...storeMigrations]);
  });

  it('says which server it could not reach, without the password', async () => {
    const error: unknown = await openPostgresStore({ url: 'postgres://kequn:secret@127.0.0.1:1/none' }).catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_STORE_UNAVAILABLE')).toBe(true);
    expect(String(error)).toContain('127.0.0.1:1');
    expect(String(error)).not.toContain('secret');
  });
});
