// The databases the SQL tests run against. A server that cannot be reached skips its tests, unless
// KEQUN_REQUIRE_SERVICES=1 (CI), where it fails them: a green run must have run every dialect.
import mysql from 'mysql2/promise';
import type { Client as PostgresClient, ClientConfig } from 'pg';
import { openDuckDb, type DuckDbDatabase } from '../bench/duckdb-connection.js';
import type { SqlDialect } from '../src/rule.js';

export interface TestDatabase extends DuckDbDatabase {
  readonly name: string;
}

export const postgresUrl = process.env.KEQUN_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const mariadbUrl = process.env.KEQUN_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export function servicesRequired(): boolean {
  return process.env.KEQUN_REQUIRE_SERVICES === '1';
}

/** Connects, or returns undefined (tests skip) — or throws when services are required. */
export async function reachService<T>(service: string, url: string, connect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = `${service} at ${new URL(url).host}`;
    if (servicesRequired()) {
      throw new Error(`${where} is unreachable (${reason}) and KEQUN_REQUIRE_SERVICES=1: start the server or set its URL.`, {
        cause: error,
      });
    }
    console.warn(`Skipping ${service} tests: ${where} is unreachable (${reason}).`);
    return undefined;
  }
}

type PostgresClientClass = new (config: ClientConfig) => PostgresClient;

/**
 * pg's client class without pg's entry point: the Vitest config runs Node with the `import`
 * condition, under which pg's entry requires pg-pool's ES module and fails. The client needs no pool.
 */
async function postgresClientClass(): Promise<PostgresClientClass> {
  const clientModule = 'pg/lib/client.js';
  const loaded = (await import(clientModule)) as { default: PostgresClientClass };
  return loaded.default;
}

async function openPostgres(): Promise<TestDatabase> {
  const Client = await postgresClientClass();
  const client = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return {
    name: 'PostgreSQL',
    dialect: 'postgres',
    async run(sql, params) {
      await client.query(sql, [...params]);
    },
    async memberIds(sql, params) {
      const result = await client.query<unknown[]>({ text: sql, values: [...params], rowMode: 'array' });
      return result.rows.map((row) => String(row[0]));
    },
    close() {
      void client.end();
    },
  };
}

/** The compiler binds only strings, numbers, booleans and nulls. */
function plainValues(params: readonly unknown[]): (string | number | boolean | null)[] {
  return params.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    throw new TypeError(`Cannot bind a ${typeof value} parameter.`);
  });
}

async function openMariaDb(): Promise<TestDatabase> {
  const connection = await mysql.createConnection({ uri: mariadbUrl, connectTimeout: 5_000 });
  return {
    name: 'MariaDB',
    dialect: 'mysql',
    async run(sql, params) {
      await connection.query(sql, [...params]);
    },
    async memberIds(sql, params) {
      // execute: a server-side prepared statement, so the values never touch the SQL text.
      const [rows] = await connection.execute<mysql.RowDataPacket[]>({ sql, rowsAsArray: true }, plainValues(params));
      return rows.map((row) => String((row as unknown[])[0]));
    },
    close() {
      void connection.end();
    },
  };
}

async function openEmbeddedDuckDb(): Promise<TestDatabase> {
  return { name: 'DuckDB', ...(await openDuckDb()) };
}

/** Every database of the differential tests that could be reached, by dialect. */
export async function openTestDatabases(): Promise<Map<SqlDialect, TestDatabase>> {
  const databases = new Map<SqlDialect, TestDatabase>();
  try {
    databases.set('duckdb', await openEmbeddedDuckDb());
    const postgres = await reachService('PostgreSQL', postgresUrl, openPostgres);
    if (postgres !== undefined) databases.set('postgres', postgres);
    const mariadb = await reachService('MariaDB', mariadbUrl, openMariaDb);
    if (mariadb !== undefined) databases.set('mysql', mariadb);
    return databases;
  } catch (error) {
    for (const database of databases.values()) database.close();
    throw error;
  }
}

/** A schema (PostgreSQL, DuckDB) or database (MariaDB) name no other run uses. */
export function uniqueNamespace(): string {
  const suffix = `${Date.now().toString(36)}_${process.pid}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  return `kq_sql_test_${suffix}`;
}

export async function dropNamespace(database: TestDatabase, namespace: string): Promise<void> {
  const quoted = database.dialect === 'mysql' ? `\`${namespace}\`` : `"${namespace}"`;
  const statement = database.dialect === 'mysql' ? `DROP DATABASE IF EXISTS ${quoted}` : `DROP SCHEMA IF EXISTS ${quoted} CASCADE`;
  await database.run(statement, []);
}
