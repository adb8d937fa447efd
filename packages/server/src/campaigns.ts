// Campaigns in the server: the campaign types Kequn ships, the engine of @kequn/campaigns over the
// server's store, who sees which campaign, and a run of due steps as a stream of progress events.
// The engine keeps its campaigns in SQL tables. On a SQL store (SQLite, PostgreSQL) they live in
// the same database; beside a memory store (tests, demos) they live in an in-memory SQLite
// database, while customers, the outbox and the audit log stay in the memory store.
import type { CampaignRunEvent, Principal } from '@kequn/api';
import {
  CampaignStore,
  createCampaignEngine,
  type Campaign,
  type CampaignEngine,
} from '@kequn/campaigns';
import type {
  CustomerModel,
  Kernel,
  KequnStore,
  SqlStore,
  SqlStoreRepositories,
  StoreRepositories,
} from '@kequn/core';
import { thresholdRewardPlugin } from '@kequn/plugin-campaign-threshold-reward';
import { maturityRemarketingPlugin } from '@kequn/plugin-campaign-maturity-remarketing';
import { dormantActivationPlugin } from '@kequn/plugin-campaign-dormant-activation';
import { referralPlugin } from '@kequn/plugin-campaign-referral';
import { eventInvitationPlugin } from '@kequn/plugin-campaign-event-invitation';
import { upgradeCongratulationPlugin } from '@kequn/plugin-campaign-upgrade-congratulation';
import type { DataScope } from './scope.js';

/** The six campaign types Kequn ships (DOMAIN.md §6), booted in the server's default kernel. */
export const shippedCampaignTypePlugins = [
  thresholdRewardPlugin,
  maturityRemarketingPlugin,
  dormantActivationPlugin,
  referralPlugin,
  eventInvitationPlugin,
  upgradeCongratulationPlugin,
] as const;

function isSqlStore(store: KequnStore): store is SqlStore {
  return 'sql' in store;
}

function repositoriesOf(source: StoreRepositories): StoreRepositories {
  return {
    customers: source.customers,
    managers: source.managers,
    branches: source.branches,
    products: source.products,
    events: source.events,
    memberships: source.memberships,
    tierChanges: source.tierChanges,
    contactRecords: source.contactRecords,
    outbox: source.outbox,
    auditLog: source.auditLog,
    pluginState: source.pluginState,
  };
}

/**
 * A SQL store whose port repositories are `records`' and whose own tables are `tables`'. A
 * transaction opens one on each (SQL outside, records inside), so a failure leaves neither written.
 */
function overlaySqlStore(records: KequnStore, tables: SqlStore): SqlStore {
  return {
    ...repositoriesOf(records),
    kind: records.kind,
    sql: tables.sql,
    transaction<T>(work: (tx: SqlStoreRepositories) => Promise<T>): Promise<T> {
      return tables.transaction((sqlTx) =>
        records.transaction((tx) => work({ ...repositoriesOf(tx), sql: sqlTx.sql })),
      );
    },
    schemaVersion: () => records.schemaVersion(),
    close: () => tables.close(),
  };
}

export interface CampaignServiceOptions {
  kernel: Kernel;
  store: KequnStore;
  model: CustomerModel;
  now: () => string;
}

interface StepTotals {
  sent: number;
  tasks: number;
  suppressed: number;
  deferred: number;
}

/** The engine and what the routes need around it. */
export class CampaignService {
  readonly engine: CampaignEngine;
  /** The store the engine writes: the server's own when it is SQL. */
  readonly store: SqlStore;
  readonly #kernel: Kernel;
  readonly #now: () => string;
  readonly #closeTables: (() => Promise<void>) | undefined;
  /** Runs one at a time: a second request waits for the first rather than racing it. */
  #runs: Promise<unknown> = Promise.resolve();

  private constructor(
    engine: CampaignEngine,
    store: SqlStore,
    options: CampaignServiceOptions,
    closeTables: (() => Promise<void>) | undefined,
  ) {
    this.engine = engine;
    this.store = store;
    this.#kernel = options.kernel;
    this.#now = options.now;
    this.#closeTables = closeTables;
  }

  static async open(options: CampaignServiceOptions): Promise<CampaignService> {
    let store: SqlStore;
    let closeTables: (() => Promise<void>) | undefined;
    if (isSqlStore(options.store)) {
      store = options.store;
    } else {
      const { openSqliteStore } = await import('@kequn/store-sqlite');
      const tables = await openSqliteStore({ path: ':memory:' });
      store = overlaySqlStore(options.store, tables);
      closeTables = () => tables.close();
    }
    try {
      const engine = await createCampaignEngine({
        kernel: options.kernel,
        store,
        model: options.model,
        now: options.now,
      });
      return new CampaignService(engine, store, options, closeTables);
    } catch (error) {
      await closeTables?.();
      throw error;
    }
  }

  /**
   * Runs the due journey steps and yields progress. The engine runs every running campaign's due
   * work (what its timer would do at this instant); the events speak of this campaign only:
   * per-batch figures of batches that were this campaign's alone, and at the end what the run
   * added to its step runs and deferrals, read back from the store.
   */
  async *run(campaignId: string, signal: AbortSignal): AsyncGenerator<CampaignRunEvent> {
    const previous = this.#runs;
    let release: () => void = () => undefined;
    this.#runs = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      yield* this.#runAlone(campaignId, signal);
    } finally {
      release();
    }
  }

  async *#runAlone(campaignId: string, signal: AbortSignal): AsyncGenerator<CampaignRunEvent> {
    const started = performance.now();
    const before = await this.#totals(campaignId);
    const pending: CampaignRunEvent[] = [];
    let wake: (() => void) | undefined;
    const figures = { batches: 0, enrolments: 0, sent: 0, suppressed: 0, deferred: 0 };
    const listener = this.#kernel.events.on('campaign.batchProcessed', (batch) => {
      if (batch.campaignId !== campaignId) return;
      figures.batches += 1;
      figures.enrolments += batch.enrolments;
      figures.sent += batch.sent;
      figures.suppressed += batch.suppressed;
      figures.deferred += batch.deferred;
      pending.push({ type: 'progress', campaignId, ...figures });
      wake?.();
    });
    let finished = false;
    let failure: { error: unknown } | undefined;
    const running = this.engine
      .runDue({ now: this.#now() })
      .catch((error: unknown) => {
        failure = { error };
      })
      .finally(() => {
        finished = true;
        wake?.();
      });
    try {
      yield { type: 'started', campaignId, at: this.#now() };
      while (!finished || pending.length > 0) {
        const next = pending.shift();
        if (next !== undefined) {
          if (!signal.aborted) yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      await running;
      if (failure !== undefined) throw failure.error;
      const after = await this.#totals(campaignId);
      yield {
        type: 'complete',
        campaignId,
        sent: after.sent - before.sent,
        tasks: after.tasks - before.tasks,
        suppressed: after.suppressed - before.suppressed,
        deferred: after.deferred - before.deferred,
        ms: Math.round(performance.now() - started),
      };
    } finally {
      listener.dispose();
      // A client that leaves early does not cut a run short: the batches are transactions.
      await running;
    }
  }

  async #totals(campaignId: string): Promise<StepTotals> {
    const campaigns = new CampaignStore(this.store.sql);
    const totals: StepTotals = { sent: 0, tasks: 0, suppressed: 0, deferred: 0 };
    for (const count of await campaigns.stepCounts(campaignId)) {
      if (count.outcome === 'sent') totals.sent += count.count;
      else if (count.outcome === 'task') totals.tasks += count.count;
      else if (count.outcome === 'suppressed') totals.suppressed += count.count;
    }
    totals.deferred = (await campaigns.deferralReasons(campaignId)).length;
    return totals;
  }

  async close(): Promise<void> {
    await this.engine.dispose();
    await this.#closeTables?.();
  }
}

/** The actor the engine records: role and user, as the server's own audit entries name them. */
export function campaignActor(principal: Principal): string {
  return `${principal.role}:${principal.userId}`;
}

/** The user id inside an actor written by campaignActor (the whole actor otherwise). */
export function userOfActor(actor: string): string {
  const colon = actor.indexOf(':');
  return colon < 0 ? actor : actor.slice(colon + 1);
}

/**
 * Campaign data scope: the whole bank sees every campaign; anyone else sees head-office campaigns
 * (no branch) and those of their own branch. Campaigns hold plans and aggregates, no customer.
 */
export function campaignVisible(
  principal: Principal,
  scope: DataScope,
  campaign: Pick<Campaign, 'branchId'>,
): boolean {
  if (scope.kind === 'all' || campaign.branchId === undefined) return true;
  return principal.branchId !== undefined && principal.branchId === campaign.branchId;
}
