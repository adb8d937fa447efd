// The campaign engine: campaigns created from types, approved, run as durable journeys. Every step
// of every enrolment is decided and written in one transaction with the outbox message it causes,
// keyed `campaign:customer:step`, so a crash at any instant leaves the step done or not done — never
// done twice — and a restart carries on from what is stored.
import {
  type Customer,
  type CustomerEvent,
  type CustomerModel,
  type Kernel,
  type OutboxMessage,
  type SqlStore,
  type StoreRepositories,
  type SqlExecutor,
  Emitter,
  type Disposable,
  DisposableStore,
} from '@kequn/core';
import {
  createContactPolicy,
  type ContactPolicy,
  type ContactRecord as PolicyContact,
  type Decision,
} from '@kequn/contact-policy';
import type { EventStore, Rule } from '@kequn/segments';
import { assignBatch } from './assignment.js';
import { audienceIds, audienceRows, SegmentResolver, type AudienceContext } from './audience.js';
import { planCampaign } from './campaign-type.js';
import { CampaignError, describeIssues } from './errors.js';
import { goalReadsEvents, judgeGoal, refereeIds, type GoalEvidence } from './goals.js';
import {
  campaignInputSchema,
  responseKindSchema,
  type BranchCondition,
  type Campaign,
  type CampaignInput,
  type CampaignStatus,
  type FiveByFiveStage,
  type ResponseKind,
  type SendStep,
  type TaskStep,
  type Trigger,
} from './model.js';
import {
  CampaignStore,
  DONE_MS,
  type CampaignResponse,
  type ContactRow,
  type Deferral,
  type Enrolment,
  type StepRun,
} from './store/campaign-store.js';
import { migrateCampaignStore } from './store/migrations.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How far back the contact policy looks: its longest cap window plus a day. */
const LEDGER_DAYS = 31;

declare module '@kequn/core' {
  interface KequnEventMap {
    'campaign.statusChanged': {
      campaignId: string;
      from: CampaignStatus | null;
      to: CampaignStatus;
      actor: string;
      at: string;
    };
    'campaign.enrolled': {
      campaignId: string;
      enrolled: number;
      holdout: number;
      source: string;
      at: string;
    };
    /** A trigger could not enrol (an unknown segment, a closed store): the listener never throws. */
    'campaign.triggerFailed': { source: string; customers: number; error: Error };
    'campaign.batchProcessed': {
      campaignId: string | null;
      enrolments: number;
      sent: number;
      suppressed: number;
      deferred: number;
      at: string;
    };
  }
}

/** Who may move a campaign from one status to the next. */
const transitions: Record<
  string,
  { from: readonly (CampaignStatus | null)[]; to: CampaignStatus }
> = {
  submit: { from: ['draft'], to: 'pending_approval' },
  approve: { from: ['pending_approval'], to: 'approved' },
  reject: { from: ['pending_approval'], to: 'draft' },
  start: { from: ['approved'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  complete: { from: ['running', 'paused'], to: 'completed' },
  cancel: { from: ['draft', 'pending_approval', 'approved', 'running', 'paused'], to: 'cancelled' },
};
export type CampaignAction = keyof typeof transitions;

export type CustomerLookup = (customerIds: readonly string[]) => Promise<Customer[]>;

export interface CampaignEngineOptions {
  kernel: Kernel;
  /** A SQL store (SQLite by default, PostgreSQL in production): campaigns live in its own tables. */
  store: SqlStore;
  /** The loaded customer table: audiences, branch rules and rule goals are evaluated on it. */
  model: CustomerModel;
  /** The contact policy every send and task asks first; the defaults of DOMAIN.md §9 when absent. */
  policy?: ContactPolicy;
  /** Customers by id, for the policy (consents, do-not-contact) and goals; the store by default. */
  customers?: CustomerLookup;
  /** Events for behavioural audience rules. */
  events?: EventStore;
  /** The current instant (ISO with offset); the wall clock by default. Tests and the demo move it. */
  now?: () => string;
  /** Share of all customers kept out of every campaign (global holdout). Default 0. */
  globalHoldout?: number;
  globalSeed?: string;
  /** Enrolments handled per transaction. Default 500. */
  batchSize?: number;
  /** Called after each committed batch (progress, tests that stop the process mid-run). */
  onBatch?: (progress: BatchProgress) => void;
}

export interface BatchProgress {
  enrolments: number;
  sent: number;
  suppressed: number;
  deferred: number;
}

export interface RunResult extends BatchProgress {
  batches: number;
  enrolled: number;
}

export interface ActorInput {
  actor: string;
  note?: string;
}

/**
 * The 5×5 stage a campaign's status puts it in, for boards and reports: planned (draft), distributed
 * for approval, approved and ready to reach customers, in execution (running or paused), in review.
 */
export function stageOf(status: CampaignStatus): FiveByFiveStage {
  if (status === 'draft') return 'plan';
  if (status === 'pending_approval') return 'distribution';
  if (status === 'approved') return 'reach';
  if (status === 'running' || status === 'paused') return 'execution';
  return 'review';
}

function durationMs(duration: { days: number; hours: number }): number {
  return duration.days * DAY_MS + duration.hours * HOUR_MS;
}

export function messageIdOf(campaignId: string, customerId: string, stepId: string): string {
  return `${campaignId}:${customerId}:${stepId}`;
}

function taskChannel(step: TaskStep): 'phone' | 'branch' {
  return step.task === 'call' ? 'phone' : 'branch';
}

interface Working {
  enrolment: Enrolment;
  campaign: Campaign;
  yielded: boolean;
}

/** The engine. Create it with `createCampaignEngine`, which brings the campaign tables up to date. */
export class CampaignEngine {
  readonly #kernel: Kernel;
  readonly #store: SqlStore;
  readonly #model: CustomerModel;
  readonly #policy: ContactPolicy;
  readonly #customers: CustomerLookup;
  readonly #events: EventStore | undefined;
  readonly #now: () => string;
  readonly #globalHoldout: number;
  readonly #globalSeed: string;
  readonly #batchSize: number;
  readonly #onBatch: ((progress: BatchProgress) => void) | undefined;
  readonly #segments: SegmentResolver;
  readonly #disposables = new DisposableStore();
  readonly #enrolledEmitter = new Emitter<{ campaignId: string; customerIds: readonly string[] }>();
  /** Fires after customers are enrolled (by any trigger). */
  readonly onEnrolled = this.#enrolledEmitter.event;

  constructor(options: CampaignEngineOptions) {
    this.#kernel = options.kernel;
    this.#store = options.store;
    this.#model = options.model;
    this.#policy = options.policy ?? createContactPolicy();
    this.#customers = options.customers ?? ((ids) => options.store.customers.getMany(ids));
    this.#events = options.events;
    this.#now = options.now ?? (() => new Date().toISOString());
    this.#globalHoldout = options.globalHoldout ?? 0;
    this.#globalSeed = options.globalSeed ?? 'kequn-global';
    this.#batchSize = Math.max(1, options.batchSize ?? 500);
    this.#onBatch = options.onBatch;
    this.#segments = new SegmentResolver(options.kernel, options.model);
    this.campaigns = new CampaignStore(options.store.sql);
    this.#disposables.add(this.#enrolledEmitter);
    // Segment memberships are cached for audiences; a change to the customer table makes them stale.
    const invalidate = (): void => this.#segments.invalidate();
    this.#disposables.add(options.kernel.events.on('customer.upserted', invalidate));
    this.#disposables.add(options.kernel.events.on('customer.removed', invalidate));
  }

  /** The campaign tables, for status screens and reports. */
  readonly campaigns: CampaignStore;

  // ── definition and life cycle ─────────────────────────────────────────────────────────────────

  /** The campaign types the kernel offers (from plugins). */
  types(): Array<{ id: string; pluginId: string; label: { 'zh-CN': string; en: string } }> {
    return this.#kernel.campaignTypes
      .list()
      .map((entry) => ({
        id: entry.declaration.id,
        pluginId: entry.pluginId,
        label: entry.declaration.label,
      }));
  }

  /** Creates a draft from a campaign type and parameters; the plan is validated now, not at run time. */
  async create(input: CampaignInput, by: ActorInput): Promise<Campaign> {
    const parsed = campaignInputSchema.safeParse(input);
    if (!parsed.success)
      throw new CampaignError(
        'KQ_CAMPAIGN_INPUT_INVALID',
        `The campaign is invalid: ${describeIssues(parsed.error.issues, 'campaign')}`,
      );
    const campaign = parsed.data;
    if (!this.#kernel.campaignTypes.has(campaign.type))
      throw new CampaignError(
        'KQ_CAMPAIGN_TYPE_UNKNOWN',
        `Campaign "${campaign.id}": no campaign type "${campaign.type}" is registered (known: ${
          this.types()
            .map((type) => type.id)
            .join(', ') || 'none'
        }). Add the plugin that contributes it.`,
      );
    if ((await this.campaigns.getCampaign(campaign.id)) !== undefined)
      throw new CampaignError(
        'KQ_CAMPAIGN_EXISTS',
        `A campaign "${campaign.id}" already exists; choose another id.`,
      );
    const implementation = await this.#kernel.campaignTypes.get(campaign.type);
    const { parameters, plan } = planCampaign(campaign.type, implementation, campaign.parameters);
    const at = this.#now();
    const created: Campaign = {
      ...campaign,
      parameters,
      plan,
      status: 'draft',
      stage: 'plan',
      createdBy: by.actor,
      createdAt: at,
      lifecycle: [
        {
          from: null,
          to: 'draft',
          actor: by.actor,
          at,
          ...(by.note === undefined ? {} : { note: by.note }),
        },
      ],
      scheduledDatesDone: [],
    };
    await this.#store.transaction(async (tx) => {
      await new CampaignStore(tx.sql).saveCampaign(created);
      await tx.auditLog.append([
        {
          at,
          actor: by.actor,
          action: 'create',
          subject: `campaign:${created.id}`,
          details: { type: created.type },
        },
      ]);
    });
    this.#kernel.events.emit('campaign.statusChanged', {
      campaignId: created.id,
      from: null,
      to: 'draft',
      actor: by.actor,
      at,
    });
    return created;
  }

  async get(campaignId: string): Promise<Campaign> {
    const campaign = await this.campaigns.getCampaign(campaignId);
    if (campaign === undefined)
      throw new CampaignError(
        'KQ_CAMPAIGN_UNKNOWN',
        `No campaign "${campaignId}". List campaigns with \`kequn campaign list\`.`,
      );
    return campaign;
  }

  list(status?: CampaignStatus): Promise<Campaign[]> {
    return this.campaigns.listCampaigns(status);
  }

  submit(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'submit', by);
  }

  /** Four eyes: whoever created the campaign cannot approve it. */
  approve(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'approve', by);
  }

  reject(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'reject', by);
  }

  /** Starts an approved campaign; `start` triggers enrol the audience now. */
  async start(campaignId: string, by: ActorInput): Promise<Campaign> {
    const campaign = await this.#transition(campaignId, 'start', by);
    if (campaign.plan.triggers.some((trigger) => trigger.type === 'start'))
      await this.enrolAudience(campaignId, { source: 'start' });
    return this.get(campaignId);
  }

  pause(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'pause', by);
  }

  resume(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'resume', by);
  }

  complete(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'complete', by);
  }

  cancel(campaignId: string, by: ActorInput): Promise<Campaign> {
    return this.#transition(campaignId, 'cancel', by);
  }

  /** Any life-cycle action by name (`kequn campaign <action>`, the HTTP API). */
  act(campaignId: string, action: CampaignAction, by: ActorInput): Promise<Campaign> {
    return action === 'start'
      ? this.start(campaignId, by)
      : this.#transition(campaignId, action, by);
  }

  async #transition(campaignId: string, action: CampaignAction, by: ActorInput): Promise<Campaign> {
    const rule = transitions[action];
    if (rule === undefined)
      throw new CampaignError('KQ_CAMPAIGN_TRANSITION', `Unknown campaign action "${action}".`);
    const at = this.#now();
    const updated = await this.#store.transaction(async (tx) => {
      const store = new CampaignStore(tx.sql);
      const campaign = await store.getCampaign(campaignId);
      if (campaign === undefined)
        throw new CampaignError('KQ_CAMPAIGN_UNKNOWN', `No campaign "${campaignId}".`);
      if (!rule.from.includes(campaign.status))
        throw new CampaignError(
          'KQ_CAMPAIGN_TRANSITION',
          `Campaign "${campaignId}" is ${campaign.status}; "${action}" needs it to be ${rule.from.join(' or ')}.`,
        );
      if (action === 'approve' && by.actor === campaign.createdBy)
        throw new CampaignError(
          'KQ_CAMPAIGN_APPROVER',
          `Campaign "${campaignId}" was created by ${by.actor}, who cannot also approve it; another approver must.`,
        );
      const next: Campaign = {
        ...campaign,
        status: rule.to,
        stage: stageOf(rule.to),
        lifecycle: [
          ...campaign.lifecycle,
          {
            from: campaign.status,
            to: rule.to,
            actor: by.actor,
            at,
            ...(by.note === undefined ? {} : { note: by.note }),
          },
        ],
      };
      await store.saveCampaign(next);
      await tx.auditLog.append([
        {
          at,
          actor: by.actor,
          action: 'update',
          subject: `campaign:${campaignId}`,
          details: {
            action,
            from: campaign.status,
            to: rule.to,
            ...(by.note === undefined ? {} : { note: by.note }),
          },
        },
      ]);
      return next;
    });
    const from = updated.lifecycle.at(-1)?.from ?? null;
    this.#kernel.events.emit('campaign.statusChanged', {
      campaignId,
      from,
      to: updated.status,
      actor: by.actor,
      at,
    });
    return updated;
  }

  // ── enrolment ─────────────────────────────────────────────────────────────────────────────────

  /** The customer ids the campaign's audience selects now. */
  async audience(campaignId: string): Promise<string[]> {
    const campaign = await this.get(campaignId);
    return audienceIds(campaign.plan.audience, this.#audienceContext(campaign));
  }

  /** How many customers the audience selects (a size preview before approval). */
  async audienceSize(campaignId: string): Promise<number> {
    const campaign = await this.get(campaignId);
    return (await audienceRows(campaign.plan.audience, this.#audienceContext(campaign))).count();
  }

  /** Enrols the whole audience. Customers already enrolled keep their enrolment. */
  async enrolAudience(
    campaignId: string,
    options: { source: string },
  ): Promise<{ enrolled: number; holdout: number }> {
    this.#segments.invalidate();
    return this.enrol(campaignId, await this.audience(campaignId), options);
  }

  /**
   * Enrols customers (an API trigger, or the engine's own triggers). Only running campaigns enrol.
   * Assignment to holdout and variants is computed over the whole list first and then written in
   * batches that ignore existing enrolments, so a crash half-way and a re-run agree exactly.
   */
  async enrol(
    campaignId: string,
    customerIds: readonly string[],
    options: { source: string },
  ): Promise<{ enrolled: number; holdout: number }> {
    const campaign = await this.get(campaignId);
    if (campaign.status !== 'running')
      throw new CampaignError(
        'KQ_CAMPAIGN_NOT_RUNNING',
        `Campaign "${campaignId}" is ${campaign.status}; customers are enrolled only while it runs.`,
      );
    const at = this.#now();
    const atMs = Date.parse(at);
    const unique = [...new Set(customerIds)];
    const strata = this.#strata(campaign, unique);
    const assignments = assignBatch(
      unique.map((id) => ({ id, stratum: strata.get(id) ?? '' })),
      {
        campaignId,
        experiment: campaign.experiment,
        globalHoldout: this.#globalHoldout,
        globalSeed: this.#globalSeed,
      },
    );
    const aumColumn = this.#aumOf();
    let enrolled = 0;
    let holdout = 0;
    for (let start = 0; start < assignments.length; start += 5_000) {
      const chunk = assignments.slice(start, start + 5_000);
      const rows: Enrolment[] = chunk.map((assignment) => ({
        campaignId,
        customerId: assignment.customerId,
        cohort: assignment.cohort,
        variant: assignment.variant,
        stratum: assignment.stratum,
        // The control groups are tracked, never treated: they start and stay `done`.
        state: assignment.cohort === 'treatment' ? 'active' : 'done',
        stepIndex: 0,
        nextRunMs: assignment.cohort === 'treatment' ? atMs : DONE_MS,
        enrolledMs: atMs,
        aumAtEnrolment: aumColumn(assignment.customerId),
        source: options.source,
        exitReason: assignment.cohort === 'treatment' ? null : assignment.cohort,
      }));
      const fresh = await this.#store.transaction(async (tx) => {
        const store = new CampaignStore(tx.sql);
        const already = await store.enrolledAmong(
          campaignId,
          chunk.map((row) => row.customerId),
        );
        const added = rows.filter((row) => !already.has(row.customerId));
        await store.insertEnrolments(added);
        return added;
      });
      enrolled += fresh.length;
      holdout += fresh.filter((row) => row.cohort !== 'treatment').length;
      if (fresh.length > 0)
        this.#enrolledEmitter.fire({ campaignId, customerIds: fresh.map((row) => row.customerId) });
    }
    this.#kernel.events.emit('campaign.enrolled', {
      campaignId,
      enrolled,
      holdout,
      source: options.source,
      at,
    });
    return { enrolled, holdout };
  }

  /** The stratum of each customer: the value of `experiment.stratifyBy` in the table, or one stratum. */
  #strata(campaign: Campaign, customerIds: readonly string[]): Map<string, string> {
    const attribute = campaign.experiment.stratifyBy;
    const strata = new Map<string, string>();
    if (attribute === undefined) return strata;
    const table = this.#model.table;
    for (const id of customerIds) {
      const row = table.indexOf(id);
      const value = row === undefined ? null : table.value(row, attribute);
      strata.set(id, value === null || value === undefined ? '∅' : String(value));
    }
    return strata;
  }

  #aumOf(): (customerId: string) => number {
    const table = this.#model.table;
    return (customerId) => {
      const row = table.indexOf(customerId);
      const value = row === undefined ? null : table.value(row, 'assets.currentAum');
      return typeof value === 'number' ? value : 0;
    };
  }

  /**
   * Wires the event triggers: `segment_entry` from `segment.membershipChanged`, `tier_upgrade` from
   * `tier.changed`. Returns a disposable that unwires them.
   */
  listen(): Disposable {
    const store = new DisposableStore();
    store.add(
      this.#kernel.events.on('segment.membershipChanged', (change) => {
        if (change.entered.length === 0) return;
        this.#enrolInBackground(
          (trigger) =>
            trigger.type === 'segment_entry' &&
            trigger.segments.some(
              (segment) =>
                segment === change.segmentId ||
                segment === `${change.strategyId}:${change.segmentId}`,
            ),
          change.entered,
          'segment_entry',
        );
      }),
    );
    store.add(
      this.#kernel.events.on('tier.changed', (change) => {
        if (change.direction !== 'upgrade') return;
        this.#enrolInBackground(
          (trigger) => trigger.type === 'event' && trigger.event === 'tier_upgrade',
          [change.customerId],
          'tier_upgrade',
        );
      }),
    );
    this.#disposables.add(store);
    return store;
  }

  /** Enrols customers into running campaigns triggered by a bank event (maturity, hand-off…). */
  async trigger(
    event: Extract<Trigger, { type: 'event' }>['event'],
    customerIds: readonly string[],
  ): Promise<number> {
    return this.#enrolOnTrigger(
      (trigger) => trigger.type === 'event' && trigger.event === event,
      customerIds,
      event,
    );
  }

  /** Enrolment from an event listener: failures become `campaign.triggerFailed`, never a crash. */
  #enrolInBackground(
    matches: (trigger: Trigger) => boolean,
    customerIds: readonly string[],
    source: string,
  ): void {
    this.#enrolOnTrigger(matches, customerIds, source).catch((error: unknown) => {
      this.#kernel.events.emit('campaign.triggerFailed', {
        source,
        customers: customerIds.length,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    });
  }

  async #enrolOnTrigger(
    matches: (trigger: Trigger) => boolean,
    customerIds: readonly string[],
    source: string,
  ): Promise<number> {
    let total = 0;
    for (const campaign of await this.list('running')) {
      if (!campaign.plan.triggers.some(matches)) continue;
      const audience = new Set(
        await audienceIds(campaign.plan.audience, this.#audienceContext(campaign)),
      );
      const eligible = customerIds.filter((id) => audience.has(id));
      if (eligible.length > 0)
        total += (await this.enrol(campaign.id, eligible, { source })).enrolled;
    }
    return total;
  }

  /** With a campaign of a branch, its audience is that branch's customers only. */
  #audienceContext(campaign?: Campaign): AudienceContext {
    return {
      kernel: this.#kernel,
      model: this.#model,
      segments: this.#segments,
      ...(this.#events === undefined ? {} : { events: this.#events }),
      ...(campaign?.branchId === undefined ? {} : { branchId: campaign.branchId }),
    };
  }

  // ── responses ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Records a customer's or manager's response (registered, attended, referred, a call outcome).
   * A journey waiting for it wakes at once. Recording the same response twice keeps it once.
   */
  async recordResponse(input: {
    campaignId: string;
    customerId: string;
    kind: ResponseKind;
    reference?: string;
    stepId?: string;
    at?: string;
    data?: Record<string, unknown>;
  }): Promise<void> {
    const kind = responseKindSchema.parse(input.kind);
    const at = input.at ?? this.#now();
    const atMs = Date.parse(at);
    await this.#store.transaction(async (tx) => {
      const store = new CampaignStore(tx.sql);
      const enrolment = await store.getEnrolment(input.campaignId, input.customerId);
      if (enrolment === undefined)
        throw new CampaignError(
          'KQ_CAMPAIGN_UNKNOWN',
          `Customer ${input.customerId} is not enrolled in campaign "${input.campaignId}"; only enrolled customers' responses count.`,
        );
      await store.insertResponses([
        {
          campaignId: input.campaignId,
          customerId: input.customerId,
          kind,
          reference: input.reference ?? '',
          stepId: input.stepId ?? null,
          atMs,
          data: input.data ?? {},
        },
      ]);
      if (enrolment.state !== 'waiting' || enrolment.nextRunMs <= atMs) return;
      // Only a wait for this kind of response ends early: a fixed wait, or a wait for another
      // response, keeps its time.
      const step = (await store.getCampaign(input.campaignId))?.plan.journey[enrolment.stepIndex];
      if (step?.type === 'wait' && step.until?.responses.includes(kind) === true)
        await store.saveEnrolments([{ ...enrolment, nextRunMs: atMs }]);
    });
  }

  /** 推荐计划: the referrer named a referee; the referee's qualification later rewards the referrer. */
  recordReferral(input: {
    campaignId: string;
    referrerId: string;
    refereeId: string;
    at?: string;
  }): Promise<void> {
    return this.recordResponse({
      campaignId: input.campaignId,
      customerId: input.referrerId,
      kind: 'referred',
      reference: input.refereeId,
      data: { refereeId: input.refereeId },
      ...(input.at === undefined ? {} : { at: input.at }),
    });
  }

  // ── running ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs every step that is due at `now` (the clock by default) across running campaigns — or only
   * `campaignIds` — batch by batch, each batch one transaction. Schedule triggers whose date has come
   * enrol first.
   */
  async runDue(
    options: { now?: string; maxBatches?: number; campaignIds?: readonly string[] } = {},
  ): Promise<RunResult> {
    const now = options.now ?? this.#now();
    const nowMs = Date.parse(now);
    const result: RunResult = {
      batches: 0,
      enrolled: 0,
      enrolments: 0,
      sent: 0,
      suppressed: 0,
      deferred: 0,
    };
    const only = options.campaignIds === undefined ? undefined : new Set(options.campaignIds);
    const chosen = (campaign: Campaign): boolean => only === undefined || only.has(campaign.id);
    result.enrolled += await this.#runSchedules(now, chosen);
    const running = (await this.list('running')).filter(chosen);
    const byId = new Map(running.map((campaign) => [campaign.id, campaign]));
    const ruleMembers = new Map<string, Set<string>>();
    for (;;) {
      if (options.maxBatches !== undefined && result.batches >= options.maxBatches) break;
      const progress = await this.#store.transaction(async (tx) => {
        const due = await new CampaignStore(tx.sql).dueEnrolments(
          [...byId.keys()],
          nowMs,
          this.#batchSize,
        );
        if (due.length === 0) return undefined;
        return this.#processBatch(tx, due, byId, now, ruleMembers);
      });
      if (progress === undefined) break;
      result.batches += 1;
      result.enrolments += progress.enrolments;
      result.sent += progress.sent;
      result.suppressed += progress.suppressed;
      result.deferred += progress.deferred;
      this.#onBatch?.(progress);
      this.#kernel.events.emit('campaign.batchProcessed', {
        campaignId: byId.size === 1 ? ([...byId.keys()][0] ?? null) : null,
        ...progress,
        at: now,
      });
    }
    return result;
  }

  /**
   * Runs the journeys forward through simulated time: `runDue` at `from`, then at each instant work
   * falls due, until `until`. For the demo and tests; production calls `runDue` on a timer. Like a
   * timer, it advances at least `tickMinutes` (default 15) between passes, so work due within one
   * tick is handled together.
   */
  async runUntil(
    until: string,
    options: { from?: string; tickMinutes?: number } = {},
  ): Promise<RunResult> {
    const tickMs = Math.max(0, options.tickMinutes ?? 15) * 60_000;
    const total: RunResult = {
      batches: 0,
      enrolled: 0,
      enrolments: 0,
      sent: 0,
      suppressed: 0,
      deferred: 0,
    };
    const untilMs = Date.parse(until);
    let now = options.from ?? this.#now();
    for (let round = 0; round < 10_000; round += 1) {
      const result = await this.runDue({ now });
      for (const key of Object.keys(total) as Array<keyof RunResult>) total[key] += result[key];
      const ids = (await this.list('running')).map((campaign) => campaign.id);
      const next = await this.campaigns.nextDueMs(ids);
      if (next === undefined || next > untilMs) break;
      now = new Date(Math.max(next, Date.parse(now) + Math.max(1, tickMs))).toISOString();
    }
    return total;
  }

  async #runSchedules(now: string, chosen: (campaign: Campaign) => boolean): Promise<number> {
    let enrolled = 0;
    const today = now.slice(0, 10);
    for (const campaign of (await this.list('running')).filter(chosen)) {
      for (const trigger of campaign.plan.triggers) {
        if (trigger.type !== 'schedule') continue;
        for (const date of trigger.dates) {
          if (date > today || campaign.scheduledDatesDone.includes(date)) continue;
          enrolled += (await this.enrolAudience(campaign.id, { source: `schedule:${date}` }))
            .enrolled;
          const latest = await this.get(campaign.id);
          await this.campaigns.saveCampaign({
            ...latest,
            scheduledDatesDone: [...latest.scheduledDatesDone, date],
          });
        }
      }
    }
    return enrolled;
  }

  async #processBatch(
    tx: StoreRepositories & { sql: SqlExecutor },
    due: readonly Enrolment[],
    campaigns: ReadonlyMap<string, Campaign>,
    now: string,
    ruleMembers: Map<string, Set<string>>,
  ): Promise<BatchProgress> {
    const store = new CampaignStore(tx.sql);
    const nowMs = Date.parse(now);
    const customerIds = [...new Set(due.map((enrolment) => enrolment.customerId))];
    const customers = new Map(
      (await this.#customers(customerIds)).map((customer) => [customer.id, customer]),
    );
    const ledger = this.#ledger(
      await store.contactsSince(customerIds, nowMs - LEDGER_DAYS * DAY_MS),
    );
    const runs: StepRun[] = [];
    const messages: OutboxMessage[] = [];
    const deferrals: Deferral[] = [];
    const progress: BatchProgress = { enrolments: due.length, sent: 0, suppressed: 0, deferred: 0 };
    const working: Working[] = due.flatMap((enrolment) => {
      const campaign = campaigns.get(enrolment.campaignId);
      return campaign === undefined
        ? []
        : [{ enrolment: { ...enrolment }, campaign, yielded: false }];
    });
    const responses = await this.#responsesFor(store, working);
    const evidence = (item: Working): Promise<GoalEvidence> =>
      this.#evidence(item, customers.get(item.enrolment.customerId), responses, nowMs, ruleMembers);

    for (let round = 0; round <= 52 && working.some((item) => !item.yielded); round += 1) {
      const contacts: Array<{ item: Working; step: SendStep | TaskStep }> = [];
      for (const item of working) {
        if (item.yielded) continue;
        const { enrolment, campaign } = item;
        const customer = customers.get(enrolment.customerId);
        const step = campaign.plan.journey[enrolment.stepIndex];
        if (customer === undefined) {
          this.#finish(item, 'customer_unavailable');
          continue;
        }
        if (step === undefined) {
          this.#finish(item, 'completed');
          continue;
        }
        const base = {
          campaignId: campaign.id,
          customerId: customer.id,
          stepId: step.id,
          purpose: campaign.plan.purpose,
          priority: campaign.priority,
          atMs: nowMs,
        };
        if (step.type === 'wait') {
          if (enrolment.state === 'waiting') {
            enrolment.state = 'active';
            enrolment.stepIndex += 1;
            if (
              campaign.plan.goal.exitOnGoal &&
              judgeGoal(campaign.plan.goal, await evidence(item)).met
            )
              this.#finish(item, 'goal');
            continue;
          }
          const waitMs =
            step.duration !== undefined
              ? durationMs(step.duration)
              : durationMs(step.until?.timeout ?? { days: 1, hours: 0 });
          runs.push({
            ...base,
            outcome: 'waited',
            channel: null,
            detail: { untilMs: nowMs + waitMs },
          });
          enrolment.state = 'waiting';
          enrolment.nextRunMs = nowMs + waitMs;
          item.yielded = true;
          continue;
        }
        if (step.type === 'branch') {
          const taken = (await this.#condition(
            step.if,
            item,
            await evidence(item),
            responses,
            ruleMembers,
          ))
            ? step.then
            : step.else;
          runs.push({ ...base, outcome: 'branched', channel: null, detail: { taken } });
          if (taken === null) this.#finish(item, 'completed');
          else
            enrolment.stepIndex = campaign.plan.journey.findIndex(
              (candidate) => candidate.id === taken,
            );
          continue;
        }
        if (step.type === 'exit') {
          runs.push({ ...base, outcome: 'exited', channel: null, detail: {} });
          this.#finish(item, 'exit');
          continue;
        }
        // Nobody who already converted is reminded: the goal is judged before every contact after the first.
        if (
          campaign.plan.goal.exitOnGoal &&
          enrolment.stepIndex > 0 &&
          judgeGoal(campaign.plan.goal, await evidence(item)).met
        ) {
          this.#finish(item, 'goal');
          continue;
        }
        contacts.push({ item, step });
      }
      if (contacts.length === 0) continue;
      const decisions = this.#policy.arbitrate(
        contacts.map(({ item, step }) => ({
          customer: customers.get(item.enrolment.customerId) as Customer,
          channel: step.type === 'send' ? step.channel : taskChannel(step),
          purpose: item.campaign.plan.purpose,
          campaignId: item.campaign.id,
          priority: item.campaign.priority,
          at: now,
          history: ledger.get(item.enrolment.customerId) ?? [],
        })),
      );
      contacts.forEach(({ item, step }, index) => {
        const decision = decisions[index] as Decision;
        const { enrolment, campaign } = item;
        const channel = step.type === 'send' ? step.channel : taskChannel(step);
        const base = {
          campaignId: campaign.id,
          customerId: enrolment.customerId,
          stepId: step.id,
          purpose: campaign.plan.purpose,
          priority: campaign.priority,
          atMs: nowMs,
          channel,
        };
        if (decision.allowed) {
          messages.push(this.#message(campaign, enrolment, step, now));
          runs.push({
            ...base,
            outcome: step.type === 'send' ? 'sent' : 'task',
            detail: {
              messageId: messageIdOf(campaign.id, enrolment.customerId, step.id),
              variant: enrolment.variant,
            },
          });
          const history = ledger.get(enrolment.customerId) ?? [];
          history.push({
            channel,
            purpose: campaign.plan.purpose,
            campaignId: campaign.id,
            priority: campaign.priority,
            at: now,
          });
          ledger.set(enrolment.customerId, history);
          progress.sent += 1;
          enrolment.stepIndex += 1;
          return;
        }
        const codes = decision.reasons.map((reason) => reason.code);
        const retryMs = decision.retryAt === undefined ? undefined : Date.parse(decision.retryAt);
        const endMs =
          campaign.endsOn === undefined
            ? Number.POSITIVE_INFINITY
            : Date.parse(`${campaign.endsOn}T23:59:59+08:00`);
        if (retryMs !== undefined && retryMs <= endMs) {
          deferrals.push({
            campaignId: campaign.id,
            customerId: enrolment.customerId,
            stepId: step.id,
            atMs: nowMs,
            retryMs,
            reasons: codes,
          });
          enrolment.nextRunMs = retryMs;
          item.yielded = true;
          progress.deferred += 1;
          return;
        }
        runs.push({
          ...base,
          outcome: 'suppressed',
          detail: {
            reasons: decision.reasons.map((reason) => ({
              code: reason.code,
              message: reason.message,
            })),
          },
        });
        progress.suppressed += 1;
        enrolment.stepIndex += 1;
      });
    }
    await store.insertStepRuns(runs);
    await tx.outbox.enqueue(messages);
    await store.insertDeferrals(deferrals);
    await store.saveEnrolments(working.map((item) => item.enrolment));
    return progress;
  }

  #finish(item: Working, reason: string): void {
    item.enrolment.state = 'done';
    item.enrolment.nextRunMs = DONE_MS;
    item.enrolment.exitReason = reason;
    item.yielded = true;
  }

  #message(
    campaign: Campaign,
    enrolment: Enrolment,
    step: SendStep | TaskStep,
    now: string,
  ): OutboxMessage {
    const id = messageIdOf(campaign.id, enrolment.customerId, step.id);
    const common = {
      campaignId: campaign.id,
      stepId: step.id,
      variant: enrolment.variant,
      variables: this.#variables(campaign, enrolment.customerId),
    };
    if (step.type === 'send') {
      const template = step.variantTemplates?.[enrolment.variant] ?? step.template;
      return {
        id,
        customerId: enrolment.customerId,
        channel: step.channel,
        purpose: campaign.plan.purpose,
        payload: {
          ...common,
          kind: step.channel === 'email' || step.channel === 'wecom' ? 'rich' : 'text',
          template,
        },
        createdAt: now,
        status: 'pending',
        attempts: 0,
      };
    }
    const dueBy = new Date(Date.parse(now) + step.dueInDays * DAY_MS).toISOString();
    return {
      id,
      customerId: enrolment.customerId,
      channel: taskChannel(step),
      purpose: campaign.plan.purpose,
      payload: {
        ...common,
        kind: 'task',
        template: { id: `${campaign.id}.${step.id}`, text: step.toolkit.script },
        data: {
          task: step.task,
          toolkit: step.toolkit,
          dueBy,
          ...(step.label === undefined ? {} : { label: step.label }),
        },
      },
      createdAt: now,
      status: 'pending',
      attempts: 0,
    };
  }

  /**
   * What the engine knows that a template may use; the dispatcher adds the recipient's own data
   * (name, manager) when it renders, so no personal data is copied into the outbox.
   */
  #variables(campaign: Campaign, customerId: string): Record<string, string> {
    const variables: Record<string, string> = {
      campaignName: campaign.name['zh-CN'],
      campaignNameEn: campaign.name.en,
    };
    const table = this.#model.table;
    const row = table.indexOf(customerId);
    if (row !== undefined && table.hasColumn('tier.current')) {
      const tier = table.value(row, 'tier.current');
      if (typeof tier === 'string') variables['tier'] = tier;
    }
    return variables;
  }

  #ledger(rows: readonly ContactRow[]): Map<string, PolicyContact[]> {
    const ledger = new Map<string, PolicyContact[]>();
    for (const row of rows) {
      const list = ledger.get(row.customerId) ?? [];
      list.push({
        channel: row.channel as PolicyContact['channel'],
        purpose: row.purpose as PolicyContact['purpose'],
        campaignId: row.campaignId,
        priority: row.priority,
        at: new Date(row.atMs).toISOString(),
      });
      ledger.set(row.customerId, list);
    }
    return ledger;
  }

  async #responsesFor(
    store: CampaignStore,
    working: readonly Working[],
  ): Promise<Map<string, CampaignResponse[]>> {
    const byCampaign = new Map<string, string[]>();
    for (const item of working)
      byCampaign.set(item.campaign.id, [
        ...(byCampaign.get(item.campaign.id) ?? []),
        item.enrolment.customerId,
      ]);
    const responses = new Map<string, CampaignResponse[]>();
    for (const [campaignId, ids] of byCampaign) {
      for (const response of await store.responsesOf(campaignId, ids)) {
        const key = `${campaignId}|${response.customerId}`;
        responses.set(key, [...(responses.get(key) ?? []), response]);
      }
    }
    return responses;
  }

  async #evidence(
    item: Working,
    customer: Customer | undefined,
    responses: ReadonlyMap<string, CampaignResponse[]>,
    nowMs: number,
    ruleMembers: Map<string, Set<string>>,
  ): Promise<GoalEvidence> {
    const { enrolment, campaign } = item;
    const own = responses.get(`${campaign.id}|${enrolment.customerId}`) ?? [];
    const criterion = campaign.plan.goal.criterion;
    const events: CustomerEvent[] = goalReadsEvents(campaign.plan.goal)
      ? await this.#store.events.listByCustomer(enrolment.customerId, {
          from: new Date(enrolment.enrolledMs).toISOString(),
        })
      : [];
    const referees = 'referral' in criterion ? await this.#customers(refereeIds(own)) : [];
    const members =
      'rule' in criterion ? await this.#ruleMembers(criterion.rule, ruleMembers) : undefined;
    return {
      enrolment,
      customer,
      events,
      responses: own,
      referees,
      productTypes: await this.#productTypes(),
      ...(members === undefined ? {} : { ruleMembers: members }),
      nowMs,
    };
  }

  #productTypeCache: Map<string, string> | undefined;

  async #productTypes(): Promise<Map<string, string>> {
    if (this.#productTypeCache !== undefined) return this.#productTypeCache;
    const products = await this.#store.products.list({ limit: 10_000 });
    this.#productTypeCache = new Map(products.map((product) => [product.id, product.type]));
    return this.#productTypeCache;
  }

  /** Members of a rule over the whole table, evaluated once per run and shared by every enrolment. */
  async #ruleMembers(rule: Rule, cache: Map<string, Set<string>>): Promise<Set<string>> {
    const key = JSON.stringify(rule);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const members = new Set(
      await audienceIds({ segments: [], rule, exclude: [] }, this.#audienceContext()),
    );
    cache.set(key, members);
    return members;
  }

  async #condition(
    condition: BranchCondition,
    item: Working,
    evidence: GoalEvidence,
    responses: ReadonlyMap<string, CampaignResponse[]>,
    ruleMembers: Map<string, Set<string>>,
  ): Promise<boolean> {
    if ('goalMet' in condition) return judgeGoal(item.campaign.plan.goal, evidence).met;
    if ('responded' in condition) {
      const own = responses.get(`${item.campaign.id}|${item.enrolment.customerId}`) ?? [];
      return own.some(
        (response) =>
          condition.responded.includes(response.kind as ResponseKind) &&
          (condition.toStep === undefined || response.stepId === condition.toStep),
      );
    }
    return (await this.#ruleMembers(condition.rule, ruleMembers)).has(item.enrolment.customerId);
  }

  async dispose(): Promise<void> {
    await this.#disposables.dispose();
  }
}

/** Creates the engine and brings its tables up to date (idempotent). */
export async function createCampaignEngine(
  options: CampaignEngineOptions,
): Promise<CampaignEngine> {
  await migrateCampaignStore(
    options.store.sql,
    (options.now ?? (() => new Date().toISOString()))(),
  );
  return new CampaignEngine(options);
}
