// Call and visit tasks, kept in the plugin's own table (with its own migrations) on SQLite and
// PostgreSQL through the core store's `sql`, or in memory for tests and demos.
import { isoDateTime, type SqlExecutor } from '@kequn/core';
import { z } from 'zod';

export const taskOutcomeSchema = z.enum(['reached', 'no_answer', 'declined', 'interested', 'sold', 'opted_out']);
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;

export const managerTaskSchema = z.object({
  /** The outbox message's idempotency key: one task per message, however often it is sent. */
  id: z.string().min(1),
  customerId: z.string().min(1),
  managerId: z.string().min(1),
  channel: z.enum(['phone', 'branch']),
  /** A phone call, or a visit at the branch (an appointment, an invitation). */
  kind: z.enum(['call', 'visit']),
  templateId: z.string().min(1),
  locale: z.enum(['zh-CN', 'en']),
  /** The script the manager follows. */
  text: z.string(),
  subject: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(['open', 'done']),
  createdAt: isoDateTime,
  outcome: z.object({ outcome: taskOutcomeSchema, by: z.string().min(1), at: isoDateTime, note: z.string().max(2_000).optional() }).optional(),
});
export type ManagerTask = z.infer<typeof managerTaskSchema>;

export interface ManagerTaskStore {
  /** Inserts a task unless one with its id exists; returns the stored task. */
  add(task: ManagerTask): Promise<ManagerTask>;
  get(id: string): Promise<ManagerTask | undefined>;
  update(task: ManagerTask): Promise<void>;
  /** The manager's open tasks, oldest first. */
  listOpen(managerId: string): Promise<ManagerTask[]>;
}

export function createMemoryTaskStore(): ManagerTaskStore {
  const tasks = new Map<string, ManagerTask>();
  return {
    async add(task) {
      const existing = tasks.get(task.id);
      if (existing !== undefined) return structuredClone(existing);
      tasks.set(task.id, structuredClone(task));
      return structuredClone(task);
    },
    async get(id) {
      const task = tasks.get(id);
      return task === undefined ? undefined : structuredClone(task);
    },
    async update(task) {
      tasks.set(task.id, structuredClone(task));
    },
    async listOpen(managerId) {
      return [...tasks.values()]
        .filter((task) => task.managerId === managerId && task.status === 'open')
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1))
        .map((task) => structuredClone(task));
    },
  };
}

interface TaskMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

/** The SQL both dialects share; every statement is idempotent, so an interrupted run simply repeats. */
export const taskMigrations: readonly TaskMigration[] = Object.freeze([
  {
    version: 1,
    name: 'manager call and visit tasks',
    statements: [
      'CREATE TABLE IF NOT EXISTS manager_tasks (id TEXT PRIMARY KEY, manager_id TEXT NOT NULL, status TEXT NOT NULL, created_ms BIGINT NOT NULL, document TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS manager_tasks_open ON manager_tasks (manager_id, status, created_ms)',
    ],
  },
]);

export const LATEST_TASK_SCHEMA_VERSION = taskMigrations.length;

async function taskSchemaVersion(sql: SqlExecutor): Promise<number> {
  await sql.execute('CREATE TABLE IF NOT EXISTS manager_tasks_schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const rows = await sql.query('SELECT COALESCE(MAX(version), 0) AS version FROM manager_tasks_schema_version');
  return Number(rows[0]?.['version'] ?? 0);
}

/** Brings the task table up to date; returns the version. */
export async function migrateTaskStore(sql: SqlExecutor, appliedAt: string): Promise<number> {
  const current = await taskSchemaVersion(sql);
  for (const migration of taskMigrations.filter((step) => step.version > current)) {
    for (const statement of migration.statements) await sql.execute(statement);
    await sql.execute('INSERT INTO manager_tasks_schema_version (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING', [migration.version, migration.name, appliedAt]);
  }
  return taskSchemaVersion(sql);
}

function decode(rows: ReadonlyArray<Record<string, unknown>>): ManagerTask[] {
  return rows.map((row) => {
    const document = row['document'];
    return managerTaskSchema.parse(typeof document === 'string' ? JSON.parse(document) : document);
  });
}

/** Call `migrateTaskStore(sql, at)` once first. */
export function createSqlTaskStore(sql: SqlExecutor): ManagerTaskStore {
  const get = async (id: string): Promise<ManagerTask | undefined> => decode(await sql.query('SELECT document FROM manager_tasks WHERE id = $1', [id]))[0];
  return {
    async add(task) {
      await sql.bulkWrite({
        table: 'manager_tasks',
        columns: ['id', 'manager_id', 'status', 'created_ms', 'document'],
        key: ['id'],
        mode: 'ignore',
        rows: [[task.id, task.managerId, task.status, Date.parse(task.createdAt), JSON.stringify(task)]],
      });
      return (await get(task.id)) ?? task;
    },
    get,
    async update(task) {
      await sql.execute('UPDATE manager_tasks SET status = $2, document = $3 WHERE id = $1', [task.id, task.status, JSON.stringify(task)]);
    },
    async listOpen(managerId) {
      return decode(await sql.query("SELECT document FROM manager_tasks WHERE manager_id = $1 AND status = 'open' ORDER BY created_ms, id", [managerId]));
    },
  };
}
