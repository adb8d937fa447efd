// The campaign engine's persistence over core's SqlExecutor: the same SQL on SQLite and PostgreSQL.
// Keys carry the exactly-once guarantees: one enrolment per customer and campaign, one run per step.
import type { SqlExecutor, SqlRow, SqlValue } from '@kequn/core';
import { campaignSchema, type Campaign, type CampaignStatus } from '../model.js';

export type Cohort = 'treatment' | 'holdout' | 'global_holdout';
/** `active`: runs its next step at next_run_ms; `waiting`: a wait step, woken by time or a response; `done`: left the journey. */
export type EnrolmentState = 'active' | 'waiting' | 'done';

export interface Enrolment {
  campaignId: string;
  customerId: string;
  cohort: Cohort;
  variant: string;
  stratum: string;
  state: EnrolmentState;
  stepIndex: number;
  nextRunMs: number;
  enrolledMs: number;
  aumAtEnrolment: number;
  source: string;
  exitReason: string | null;
}

/** next_run_ms of an enrolment that has left the journey: never due. */
export const DONE_MS = Number.MAX_SAFE_INTEGER;

export type StepOutcome = 'sent' | 'task' | 'suppressed' | 'branched' | 'waited' | 'exited';

export interface StepRun {
  campaignId: string;
  customerId: string;
  stepId: string;
  outcome: StepOutcome;
  channel: string | null;
  purpose: string;
  priority: number;
  atMs: number;
  detail: Record<string, unknown>;
}

export interface Deferral {
  campaignId: string;
  customerId: string;
  stepId: string;
  atMs: number;
  retryMs: number;
  reasons: readonly string[];
}

export interface CampaignResponse {
  campaignId: string;
  customerId: string;
  kind: string;
  /** Distinguishes two responses of one kind (the referee's id, an event id); '' when one is enough. */
  reference: string;
  stepId: string | null;
  atMs: number;
  data: Record<string, unknown>;
}

/** A contact already made, as the contact policy's ledger needs it. */
export interface ContactRow {
  customerId: string;
  campaignId: string;
  channel: string;
  purpose: string;
  priority: number;
  atMs: number;
}

const ENROLMENT_COLUMNS = [
  'campaign_id',
  'customer_id',
  'cohort',
  'variant',
  'stratum',
  'state',
  'step_index',
  'next_run_ms',
  'enrolled_ms',
  'aum_at_enrolment',
  'source',
  'exit_reason',
] as const;

function enrolmentRow(enrolment: Enrolment): SqlValue[] {
  return [
    enrolment.campaignId,
    enrolment.customerId,
    enrolment.cohort,
    enrolment.variant,
    enrolment.stratum,
    enrolment.state,
    enrolment.stepIndex,
    enrolment.nextRunMs,
    enrolment.enrolledMs,
    enrolment.aumAtEnrolment,
    enrolment.source,
    enrolment.exitReason,
  ];
}

function toEnrolment(row: SqlRow): Enrolment {
  return {
    campaignId: String(row['campaign_id']),
    customerId: String(row['customer_id']),
    cohort: String(row['cohort']) as Cohort,
    variant: String(row['variant']),
    stratum: String(row['stratum']),
    state: String(row['state']) as EnrolmentState,
    stepIndex: Number(row['step_index']),
    nextRunMs: Number(row['next_run_ms']),
    enrolledMs: Number(row['enrolled_ms']),
    aumAtEnrolment: Number(row['aum_at_enrolment']),
    source: String(row['source']),
    exitReason:
      row['exit_reason'] === null || row['exit_reason'] === undefined
        ? null
        : String(row['exit_reason']),
  };
}

function parseJson(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, index) => `$${index + offset + 1}`).join(', ');
}

/** Reads in chunks so that `IN (…)` lists stay well inside every database's parameter limit. */
async function inChunks<T>(
  ids: readonly string[],
  read: (chunk: readonly string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < ids.length; start += 500)
    out.push(...(await read(ids.slice(start, start + 500))));
  return out;
}

export interface StepCount {
  stepId: string;
  outcome: StepOutcome;
  cohort: Cohort;
  variant: string;
  count: number;
}

export class CampaignStore {
  constructor(private readonly sql: SqlExecutor) {}

  async saveCampaign(campaign: Campaign): Promise<void> {
    await this.sql.bulkWrite({
      table: 'campaign_definitions',
      columns: ['id', 'status', 'document'],
      key: ['id'],
      mode: 'upsert',
      rows: [[campaign.id, campaign.status, JSON.stringify(campaign)]],
    });
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    const rows = await this.sql.query('SELECT document FROM campaign_definitions WHERE id = $1', [
      id,
    ]);
    const row = rows[0];
    return row === undefined ? undefined : campaignSchema.parse(parseJson(row['document']));
  }

  async listCampaigns(status?: CampaignStatus): Promise<Campaign[]> {
    const rows =
      status === undefined
        ? await this.sql.query('SELECT document FROM campaign_definitions ORDER BY id')
        : await this.sql.query(
            'SELECT document FROM campaign_definitions WHERE status = $1 ORDER BY id',
            [status],
          );
    return rows.map((row) => campaignSchema.parse(parseJson(row['document'])));
  }

  /** Adds enrolments; a customer already enrolled in the campaign keeps the enrolment they have. */
  async insertEnrolments(enrolments: readonly Enrolment[]): Promise<void> {
    if (enrolments.length === 0) return;
    await this.sql.bulkWrite({
      table: 'campaign_enrolments',
      columns: ENROLMENT_COLUMNS,
      key: ['campaign_id', 'customer_id'],
      mode: 'ignore',
      rows: enrolments.map(enrolmentRow),
    });
  }

  async saveEnrolments(enrolments: readonly Enrolment[]): Promise<void> {
    if (enrolments.length === 0) return;
    await this.sql.bulkWrite({
      table: 'campaign_enrolments',
      columns: ENROLMENT_COLUMNS,
      key: ['campaign_id', 'customer_id'],
      mode: 'upsert',
      rows: enrolments.map(enrolmentRow),
    });
  }

  /** Which of these customers are enrolled already (any cohort). */
  async enrolledAmong(campaignId: string, customerIds: readonly string[]): Promise<Set<string>> {
    const rows = await inChunks(customerIds, (chunk) =>
      this.sql.query(
        `SELECT customer_id FROM campaign_enrolments WHERE campaign_id = $1 AND customer_id IN (${placeholders(chunk.length, 1)})`,
        [campaignId, ...chunk],
      ),
    );
    return new Set(rows.map((row) => String(row['customer_id'])));
  }

  async getEnrolment(campaignId: string, customerId: string): Promise<Enrolment | undefined> {
    const rows = await this.sql.query(
      'SELECT * FROM campaign_enrolments WHERE campaign_id = $1 AND customer_id = $2',
      [campaignId, customerId],
    );
    const row = rows[0];
    return row === undefined ? undefined : toEnrolment(row);
  }

  /** Enrolments of running campaigns whose next step is due, oldest first. */
  async dueEnrolments(
    campaignIds: readonly string[],
    nowMs: number,
    limit: number,
  ): Promise<Enrolment[]> {
    if (campaignIds.length === 0) return [];
    const rows = await this.sql.query(
      `SELECT * FROM campaign_enrolments WHERE next_run_ms <= $1 AND campaign_id IN (${placeholders(campaignIds.length, 1)})
       ORDER BY next_run_ms, campaign_id, customer_id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [nowMs, ...campaignIds],
    );
    return rows.map(toEnrolment);
  }

  /** The earliest instant any of these campaigns has work, or undefined when none is pending. */
  async nextDueMs(campaignIds: readonly string[]): Promise<number | undefined> {
    if (campaignIds.length === 0) return undefined;
    const rows = await this.sql.query(
      `SELECT MIN(next_run_ms) AS next FROM campaign_enrolments WHERE next_run_ms < $1 AND campaign_id IN (${placeholders(campaignIds.length, 1)})`,
      [DONE_MS, ...campaignIds],
    );
    const next = rows[0]?.['next'];
    return next === null || next === undefined ? undefined : Number(next);
  }

  async enrolmentPage(
    campaignId: string,
    afterCustomerId: string,
    limit: number,
  ): Promise<Enrolment[]> {
    const rows = await this.sql.query(
      `SELECT * FROM campaign_enrolments WHERE campaign_id = $1 AND customer_id > $2 ORDER BY customer_id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [campaignId, afterCustomerId],
    );
    return rows.map(toEnrolment);
  }

  async enrolmentCounts(
    campaignId: string,
  ): Promise<Array<{ cohort: Cohort; variant: string; state: EnrolmentState; count: number }>> {
    const rows = await this.sql.query(
      'SELECT cohort, variant, state, COUNT(*) AS n FROM campaign_enrolments WHERE campaign_id = $1 GROUP BY cohort, variant, state',
      [campaignId],
    );
    return rows.map((row) => ({
      cohort: String(row['cohort']) as Cohort,
      variant: String(row['variant']),
      state: String(row['state']) as EnrolmentState,
      count: Number(row['n']),
    }));
  }

  /** Records step runs; a step already run for the enrolment is left as it was. */
  async insertStepRuns(runs: readonly StepRun[]): Promise<void> {
    if (runs.length === 0) return;
    await this.sql.bulkWrite({
      table: 'campaign_step_runs',
      columns: [
        'campaign_id',
        'customer_id',
        'step_id',
        'outcome',
        'channel',
        'purpose',
        'priority',
        'at_ms',
        'detail',
      ],
      key: ['campaign_id', 'customer_id', 'step_id'],
      mode: 'ignore',
      rows: runs.map((run) => [
        run.campaignId,
        run.customerId,
        run.stepId,
        run.outcome,
        run.channel,
        run.purpose,
        run.priority,
        run.atMs,
        JSON.stringify(run.detail),
      ]),
    });
  }

  async stepRunsOf(campaignId: string, customerId: string): Promise<StepRun[]> {
    const rows = await this.sql.query(
      'SELECT * FROM campaign_step_runs WHERE campaign_id = $1 AND customer_id = $2 ORDER BY at_ms, step_id',
      [campaignId, customerId],
    );
    return rows.map((row) => ({
      campaignId: String(row['campaign_id']),
      customerId: String(row['customer_id']),
      stepId: String(row['step_id']),
      outcome: String(row['outcome']) as StepOutcome,
      channel: row['channel'] === null ? null : String(row['channel']),
      purpose: String(row['purpose']),
      priority: Number(row['priority']),
      atMs: Number(row['at_ms']),
      detail: parseJson(row['detail']),
    }));
  }

  /** Step outcomes counted per step, cohort and variant: the funnel. */
  async stepCounts(campaignId: string): Promise<StepCount[]> {
    const rows = await this.sql.query(
      `SELECT r.step_id, r.outcome, e.cohort, e.variant, COUNT(*) AS n FROM campaign_step_runs r
       JOIN campaign_enrolments e ON e.campaign_id = r.campaign_id AND e.customer_id = r.customer_id
       WHERE r.campaign_id = $1 GROUP BY r.step_id, r.outcome, e.cohort, e.variant`,
      [campaignId],
    );
    return rows.map((row) => ({
      stepId: String(row['step_id']),
      outcome: String(row['outcome']) as StepOutcome,
      cohort: String(row['cohort']) as Cohort,
      variant: String(row['variant']),
      count: Number(row['n']),
    }));
  }

  /** Sends and tasks the campaign made, per channel. */
  async contactsByChannel(campaignId: string): Promise<Record<string, number>> {
    const rows = await this.sql.query(
      `SELECT channel, COUNT(*) AS n FROM campaign_step_runs WHERE campaign_id = $1 AND outcome IN ('sent', 'task') GROUP BY channel`,
      [campaignId],
    );
    return Object.fromEntries(rows.map((row) => [String(row['channel']), Number(row['n'])]));
  }

  /** Suppression reason codes counted per step (final suppressions, from the step runs' detail). */
  async suppressionDetails(
    campaignId: string,
  ): Promise<Array<{ stepId: string; detail: Record<string, unknown> }>> {
    const rows = await this.sql.query(
      `SELECT step_id, detail FROM campaign_step_runs WHERE campaign_id = $1 AND outcome = 'suppressed'`,
      [campaignId],
    );
    return rows.map((row) => ({
      stepId: String(row['step_id']),
      detail: parseJson(row['detail']),
    }));
  }

  async insertDeferrals(deferrals: readonly Deferral[]): Promise<void> {
    if (deferrals.length === 0) return;
    await this.sql.bulkWrite({
      table: 'campaign_deferrals',
      columns: ['campaign_id', 'customer_id', 'step_id', 'at_ms', 'retry_ms', 'reasons'],
      key: ['campaign_id', 'customer_id', 'step_id', 'at_ms'],
      mode: 'ignore',
      rows: deferrals.map((deferral) => [
        deferral.campaignId,
        deferral.customerId,
        deferral.stepId,
        deferral.atMs,
        deferral.retryMs,
        JSON.stringify(deferral.reasons),
      ]),
    });
  }

  async deferralReasons(campaignId: string): Promise<Array<{ stepId: string; reasons: string[] }>> {
    const rows = await this.sql.query(
      'SELECT step_id, reasons FROM campaign_deferrals WHERE campaign_id = $1',
      [campaignId],
    );
    return rows.map((row) => {
      const reasons: unknown = JSON.parse(String(row['reasons']));
      return {
        stepId: String(row['step_id']),
        reasons: Array.isArray(reasons) ? reasons.map(String) : [],
      };
    });
  }

  /** Records responses; the same (kind, reference) twice is kept once. */
  async insertResponses(responses: readonly CampaignResponse[]): Promise<void> {
    if (responses.length === 0) return;
    await this.sql.bulkWrite({
      table: 'campaign_responses',
      columns: ['campaign_id', 'customer_id', 'kind', 'reference', 'step_id', 'at_ms', 'data'],
      key: ['campaign_id', 'customer_id', 'kind', 'reference'],
      mode: 'ignore',
      rows: responses.map((response) => [
        response.campaignId,
        response.customerId,
        response.kind,
        response.reference,
        response.stepId,
        response.atMs,
        JSON.stringify(response.data),
      ]),
    });
  }

  async responsesOf(
    campaignId: string,
    customerIds?: readonly string[],
  ): Promise<CampaignResponse[]> {
    const read = (rows: SqlRow[]): CampaignResponse[] =>
      rows.map((row) => ({
        campaignId: String(row['campaign_id']),
        customerId: String(row['customer_id']),
        kind: String(row['kind']),
        reference: String(row['reference']),
        stepId: row['step_id'] === null ? null : String(row['step_id']),
        atMs: Number(row['at_ms']),
        data: parseJson(row['data']),
      }));
    if (customerIds === undefined)
      return read(
        await this.sql.query(
          'SELECT * FROM campaign_responses WHERE campaign_id = $1 ORDER BY at_ms',
          [campaignId],
        ),
      );
    return inChunks(customerIds, async (chunk) =>
      read(
        await this.sql.query(
          `SELECT * FROM campaign_responses WHERE campaign_id = $1 AND customer_id IN (${placeholders(chunk.length, 1)}) ORDER BY at_ms`,
          [campaignId, ...chunk],
        ),
      ),
    );
  }

  /** Contacts made to these customers since `sinceMs`, across every campaign: the policy's ledger. */
  async contactsSince(customerIds: readonly string[], sinceMs: number): Promise<ContactRow[]> {
    return inChunks(customerIds, async (chunk) => {
      const rows = await this.sql.query(
        `SELECT customer_id, campaign_id, channel, purpose, priority, at_ms FROM campaign_step_runs
         WHERE outcome IN ('sent', 'task') AND at_ms > $1 AND customer_id IN (${placeholders(chunk.length, 1)})`,
        [sinceMs, ...chunk],
      );
      return rows.map((row) => ({
        customerId: String(row['customer_id']),
        campaignId: String(row['campaign_id']),
        channel: String(row['channel']),
        purpose: String(row['purpose']),
        priority: Number(row['priority']),
        atMs: Number(row['at_ms']),
      }));
    });
  }
}
