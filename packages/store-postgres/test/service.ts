// Whether the PostgreSQL these tests need is there. Unreachable is a failure when the run demands
// services (KEQUN_REQUIRE_SERVICES=1, as CI sets it) and a skip otherwise.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { it } from 'vitest';
import { DEFAULT_POSTGRES_URL } from '../src/index.js';

export const postgresUrl = process.env['KEQUN_PG_URL'] ?? DEFAULT_POSTGRES_URL;

export interface PostgresService {
  available: boolean;
  reason: string;
}

export async function checkPostgres(): Promise<PostgresService> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true, reason: '' };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Registers a failing test when services are required but PostgreSQL is missing; returns whether
 * the PostgreSQL tests should run.
 */
export function requirePostgres(service: PostgresService): boolean {
  if (service.available) return true;
  const message = `PostgreSQL at ${postgresUrl} is unreachable: ${service.reason}. Start it or set KEQUN_PG_URL.`;
  if (process.env['KEQUN_REQUIRE_SERVICES'] === '1') {
    it('reaches PostgreSQL (KEQUN_REQUIRE_SERVICES=1)', () => {
      throw new Error(message);
    });
  } else {
    it.skip(message, () => undefined);
  }
  return false;
}

/** A schema name no other test run uses. */
export function uniqueSchema(purpose: string): string {
  return `kequn_test_${purpose}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
