// Tracking & review (跟踪回检), the fifth stage of the 5×5 method: the funnel per step, conversions
// per cohort and variant, uplift against the holdout with a 95% confidence interval, AUM uplift in
// CNY and the cost per (incremental) conversion.
import type { Customer, CustomerEvent, SqlStore } from '@kequn/core';
import { goalReadsEvents, judgeGoal, refereeIds } from './goals.js';
import type { Campaign } from './model.js';
import {
  CampaignStore,
  type CampaignResponse,
  type Cohort,
  type Enrolment,
} from './store/campaign-store.js';

/** z for a two-sided 95% interval. */
const Z95 = 1.959964;

export interface CohortResult {
  cohort: Cohort;
  variant: string;
  customers: number;
  conversions: number;
  conversionRate: number;
  /** Mean change of AUM per customer since enrolment, CNY. */
  meanAumChange: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface FunnelStep {
  stepId: string;
  type: string;
  /** Treatment customers for whom the step ran (sent, task created, waited, branched…). */
  reached: number;
  sent: number;
  tasks: number;
  suppressed: number;
  /** Suppressions by reason code (final) and deferrals by reason code (the step ran later). */
  suppressedBy: Record<string, number>;
  deferredBy: Record<string, number>;
}

export interface CampaignReport {
  campaignId: string;
  status: string;
  asOf: string;
  enrolled: number;
  funnel: FunnelStep[];
  cohorts: CohortResult[];
  /** Treatment (all variants) minus holdout, in conversion rate points. */
  uplift: Interval | null;
  /** Uplift per variant against the holdout. */
  variantUplift: Record<string, Interval>;
  /** Extra AUM per treated customer against the holdout (CNY), and over all treated customers. */
  aumUpliftPerCustomer: Interval | null;
  aumUpliftTotal: number | null;
  incrementalConversions: number | null;
  cost: {
    contacts: number;
    rewards: number;
    total: number;
    perConversion: number | null;
    perIncrementalConversion: number | null;
  };
}

export interface ReportOptions {
  /** The instant the goal is judged at; now by default. */
  asOf?: string;
  /** Customers by id as they are now (AUM, referees); the store by default. */
  customers?: (ids: readonly string[]) => Promise<Customer[]>;
  /** Members of a `rule` goal now, when the goal is a rule. */
  ruleMembers?: ReadonlySet<string>;
}

interface Tally {
  customers: number;
  conversions: number;
  aumChange: number;
  aumChangeSquares: number;
}

function rate(tally: Tally): number {
  return tally.customers === 0 ? 0 : tally.conversions / tally.customers;
}

/** Wald interval for the difference of two proportions. */
export function proportionDifference(
  treated: { n: number; k: number },
  control: { n: number; k: number },
): Interval | null {
  if (treated.n === 0 || control.n === 0) return null;
  const p1 = treated.k / treated.n;
  const p0 = control.k / control.n;
  const se = Math.sqrt((p1 * (1 - p1)) / treated.n + (p0 * (1 - p0)) / control.n);
  const estimate = p1 - p0;
  return { estimate, low: estimate - Z95 * se, high: estimate + Z95 * se };
}

/** Welch interval for the difference of two means. */
export function meanDifference(
  treated: { n: number; sum: number; squares: number },
  control: { n: number; sum: number; squares: number },
): Interval | null {
  if (treated.n < 2 || control.n < 2) return null;
  const mean = (group: { n: number; sum: number }) => group.sum / group.n;
  const variance = (group: { n: number; sum: number; squares: number }) =>
    Math.max(0, (group.squares - (group.sum * group.sum) / group.n) / (group.n - 1));
  const estimate = mean(treated) - mean(control);
  const se = Math.sqrt(variance(treated) / treated.n + variance(control) / control.n);
  return { estimate, low: estimate - Z95 * se, high: estimate + Z95 * se };
}

function emptyTally(): Tally {
  return { customers: 0, conversions: 0, aumChange: 0, aumChangeSquares: 0 };
}

function add(tally: Tally, converted: boolean, aumChange: number): void {
  tally.customers += 1;
  if (converted) tally.conversions += 1;
  tally.aumChange += aumChange;
  tally.aumChangeSquares += aumChange * aumChange;
}

function merge(tallies: readonly Tally[]): Tally {
  return tallies.reduce(
    (sum, tally) => ({
      customers: sum.customers + tally.customers,
      conversions: sum.conversions + tally.conversions,
      aumChange: sum.aumChange + tally.aumChange,
      aumChangeSquares: sum.aumChangeSquares + tally.aumChangeSquares,
    }),
    emptyTally(),
  );
}

function asMoments(tally: Tally): { n: number; sum: number; squares: number } {
  return { n: tally.customers, sum: tally.aumChange, squares: tally.aumChangeSquares };
}

async function eventsAfter(store: SqlStore, enrolment: Enrolment): Promise<CustomerEvent[]> {
  return store.events.listByCustomer(enrolment.customerId, {
    from: new Date(enrolment.enrolledMs).toISOString(),
  });
}

/** Measures a campaign. Reads enrolments page by page, so memory does not grow with the audience. */
export async function campaignReport(
  store: SqlStore,
  campaign: Campaign,
  options: ReportOptions = {},
): Promise<CampaignReport> {
  const campaigns = new CampaignStore(store.sql);
  const asOf = options.asOf ?? new Date().toISOString();
  const nowMs = Date.parse(asOf);
  const lookup = options.customers ?? ((ids: readonly string[]) => store.customers.getMany(ids));
  const products = await store.products.list({ limit: 10_000 });
  const productTypes = new Map(products.map((product) => [product.id, product.type]));
  const goal = campaign.plan.goal;
  const criterion = goal.criterion;
  const needsEvents = goalReadsEvents(goal);
  const tallies = new Map<string, Tally>();
  let enrolled = 0;
  let after = '';
  for (;;) {
    const page = await campaigns.enrolmentPage(campaign.id, after, 1_000);
    if (page.length === 0) break;
    after = page.at(-1)?.customerId ?? after;
    const customers = new Map(
      (await lookup(page.map((enrolment) => enrolment.customerId))).map((customer) => [
        customer.id,
        customer,
      ]),
    );
    const responses = new Map<string, CampaignResponse[]>();
    for (const response of await campaigns.responsesOf(
      campaign.id,
      page.map((enrolment) => enrolment.customerId),
    ))
      responses.set(response.customerId, [...(responses.get(response.customerId) ?? []), response]);
    for (const enrolment of page) {
      enrolled += 1;
      const customer = customers.get(enrolment.customerId);
      const own = responses.get(enrolment.customerId) ?? [];
      const referees = 'referral' in criterion ? await lookup(refereeIds(own)) : [];
      const result = judgeGoal(goal, {
        enrolment,
        customer,
        events: needsEvents ? await eventsAfter(store, enrolment) : [],
        responses: own,
        referees,
        productTypes,
        ...(options.ruleMembers === undefined ? {} : { ruleMembers: options.ruleMembers }),
        nowMs,
      });
      const key = `${enrolment.cohort}|${enrolment.variant}`;
      const tally = tallies.get(key) ?? emptyTally();
      add(tally, result.met, (customer?.assets.currentAum ?? 0) - enrolment.aumAtEnrolment);
      tallies.set(key, tally);
    }
  }

  const cohorts: CohortResult[] = [...tallies.entries()]
    .map(([key, tally]) => {
      const [cohort, variant] = key.split('|') as [Cohort, string];
      return {
        cohort,
        variant,
        customers: tally.customers,
        conversions: tally.conversions,
        conversionRate: rate(tally),
        meanAumChange: tally.customers === 0 ? 0 : tally.aumChange / tally.customers,
      };
    })
    .sort((a, b) => a.cohort.localeCompare(b.cohort) || a.variant.localeCompare(b.variant));
  const treated = merge(
    [...tallies.entries()]
      .filter(([key]) => key.startsWith('treatment|'))
      .map(([, tally]) => tally),
  );
  const control = tallies.get('holdout|control') ?? emptyTally();
  const uplift = proportionDifference(
    { n: treated.customers, k: treated.conversions },
    { n: control.customers, k: control.conversions },
  );
  const variantUplift: Record<string, Interval> = {};
  for (const [key, tally] of tallies) {
    if (!key.startsWith('treatment|')) continue;
    const interval = proportionDifference(
      { n: tally.customers, k: tally.conversions },
      { n: control.customers, k: control.conversions },
    );
    if (interval !== null) variantUplift[key.slice('treatment|'.length)] = interval;
  }
  const aumUpliftPerCustomer = meanDifference(asMoments(treated), asMoments(control));

  const funnel = await funnelOf(campaigns, campaign);
  const contactCost = funnel.reduce((sum, step) => {
    const journeyStep = campaign.plan.journey.find((candidate) => candidate.id === step.stepId);
    if (journeyStep === undefined || (journeyStep.type !== 'send' && journeyStep.type !== 'task'))
      return sum;
    const channel =
      journeyStep.type === 'send'
        ? journeyStep.channel
        : journeyStep.task === 'call'
          ? 'phone'
          : 'branch';
    return sum + (step.sent + step.tasks) * (campaign.costs.perContact[channel] ?? 0);
  }, 0);
  const rewards = treated.conversions * campaign.costs.perConversion;
  const total = contactCost + rewards;
  const incremental = uplift === null ? null : uplift.estimate * treated.customers;
  return {
    campaignId: campaign.id,
    status: campaign.status,
    asOf,
    enrolled,
    funnel,
    cohorts,
    uplift,
    variantUplift,
    aumUpliftPerCustomer,
    aumUpliftTotal:
      aumUpliftPerCustomer === null ? null : aumUpliftPerCustomer.estimate * treated.customers,
    incrementalConversions: incremental,
    cost: {
      contacts: contactCost,
      rewards,
      total,
      perConversion: treated.conversions === 0 ? null : total / treated.conversions,
      perIncrementalConversion:
        incremental === null || incremental <= 0 ? null : total / incremental,
    },
  };
}

async function funnelOf(campaigns: CampaignStore, campaign: Campaign): Promise<FunnelStep[]> {
  const counts = await campaigns.stepCounts(campaign.id);
  const suppressions = await campaigns.suppressionDetails(campaign.id);
  const deferrals = await campaigns.deferralReasons(campaign.id);
  return campaign.plan.journey.map((step) => {
    const own = counts.filter((count) => count.stepId === step.id && count.cohort === 'treatment');
    const sum = (outcome?: string) =>
      own
        .filter((count) => outcome === undefined || count.outcome === outcome)
        .reduce((total, count) => total + count.count, 0);
    const suppressedBy: Record<string, number> = {};
    for (const suppression of suppressions.filter((entry) => entry.stepId === step.id)) {
      const reasons = suppression.detail['reasons'];
      if (!Array.isArray(reasons)) continue;
      for (const reason of reasons) {
        const code =
          typeof reason === 'object' && reason !== null
            ? String((reason as { code?: unknown }).code)
            : String(reason);
        suppressedBy[code] = (suppressedBy[code] ?? 0) + 1;
      }
    }
    const deferredBy: Record<string, number> = {};
    for (const deferral of deferrals.filter((entry) => entry.stepId === step.id))
      for (const code of deferral.reasons) deferredBy[code] = (deferredBy[code] ?? 0) + 1;
    return {
      stepId: step.id,
      type: step.type,
      reached: sum(),
      sent: sum('sent'),
      tasks: sum('task'),
      suppressed: sum('suppressed'),
      suppressedBy,
      deferredBy,
    };
  });
}
