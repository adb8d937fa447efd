// The campaign tables' own versioned schema, tracked in `campaigns_schema_version` beside the core
// store's migrations. The SQL is the subset SQLite and PostgreSQL share; every statement is
// idempotent, so a migration interrupted before its version row is written simply runs again.
import type { SqlExecutor } from '@kequn/core';
import { CampaignError } from '../errors.js';

export interface CampaignMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const campaignMigrations: readonly CampaignMigration[] = Object.freeze([
  {
    version: 1,
    name: 'campaigns, enrolments, step runs, suppressions and responses',
    statements: [
      'CREATE TABLE IF NOT EXISTS campaign_definitions (id TEXT PRIMARY KEY, status TEXT NOT NULL, document TEXT NOT NULL)',
      // One row per customer per campaign: the group (treatment/holdout/global_holdout), the
      // variant and where the customer is in the journey. `next_run_ms` drives the scheduler.
      `CREATE TABLE IF NOT EXISTS campaign_enrolments (
        campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL, cohort TEXT NOT NULL, variant TEXT NOT NULL, stratum TEXT NOT NULL,
        state TEXT NOT NULL, step_index INTEGER NOT NULL, next_run_ms BIGINT NOT NULL, enrolled_ms BIGINT NOT NULL,
        aum_at_enrolment DOUBLE PRECISION NOT NULL, source TEXT NOT NULL, exit_reason TEXT, PRIMARY KEY (campaign_id, customer_id))`,
      // Finished enrolments carry next_run_ms = DONE_MS, so "what is due" is one range scan of this index.
      'CREATE INDEX IF NOT EXISTS campaign_enrolments_due ON campaign_enrolments (next_run_ms)',
      // A step happens at most once per enrolment: the key is what makes a re-run after a crash harmless.
      `CREATE TABLE IF NOT EXISTS campaign_step_runs (
        campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL, step_id TEXT NOT NULL, outcome TEXT NOT NULL,
        channel TEXT, purpose TEXT NOT NULL, priority INTEGER NOT NULL, at_ms BIGINT NOT NULL, detail TEXT NOT NULL,
        PRIMARY KEY (campaign_id, customer_id, step_id))`,
      'CREATE INDEX IF NOT EXISTS campaign_step_runs_contacts ON campaign_step_runs (customer_id, at_ms)',
      // Sends put off by a time rule (quiet hours, holiday, cap, arbitration) and why; the step runs later.
      `CREATE TABLE IF NOT EXISTS campaign_deferrals (
        campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL, step_id TEXT NOT NULL, at_ms BIGINT NOT NULL,
        retry_ms BIGINT NOT NULL, reasons TEXT NOT NULL, PRIMARY KEY (campaign_id, customer_id, step_id, at_ms))`,
      // What customers and managers answered: registrations, attendance, referrals, call outcomes.
      `CREATE TABLE IF NOT EXISTS campaign_responses (
        campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL, kind TEXT NOT NULL, reference TEXT NOT NULL,
        step_id TEXT, at_ms BIGINT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (campaign_id, customer_id, kind, reference))`,
    ],
  },
]);

export const LATEST_CAMPAIGN_SCHEMA_VERSION = campaignMigrations.length;

export async function campaignSchemaVersion(sql: SqlExecutor): Promise<number> {
  await sql.execute('CREATE TABLE IF NOT EXISTS campaigns_schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const rows = await sql.query('SELECT COALESCE(MAX(version), 0) AS version FROM campaigns_schema_version');
  return Number(rows[0]?.['version'] ?? 0);
}

/** Brings the campaign tables up to date. Returns the version now in place. */
export async function migrateCampaignStore(sql: SqlExecutor, appliedAt: string): Promise<number> {
  const current = await campaignSchemaVersion(sql);
  if (current > LATEST_CAMPAIGN_SCHEMA_VERSION)
    throw new CampaignError('KQ_CAMPAIGN_SCHEMA_TOO_NEW', `The campaign tables are at version ${current}, newer than this @kequn/campaigns (${LATEST_CAMPAIGN_SCHEMA_VERSION}). Upgrade the package before using this database.`);
  for (const migration of campaignMigrations.filter((step) => step.version > current)) {
    for (const statement of migration.statements) await sql.execute(statement);
    await sql.execute('INSERT INTO campaigns_schema_version (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING', [migration.version, migration.name, appliedAt]);
  }
  return LATEST_CAMPAIGN_SCHEMA_VERSION;
}
