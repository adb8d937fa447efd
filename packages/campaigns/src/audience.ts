// Who a campaign may enrol: the union of its segments (from any segment strategy: tiers, featured
// groups, ABCD, dormant…), narrowed by its rule, minus its exclusions, over live rows of the table.
import { Bitset, type CustomerModel, type Kernel } from '@kequn/core';
import { createSegmentEngine, operatorsOf, tableAttributes, type EventStore, type Rule } from '@kequn/segments';
import { CampaignError } from './errors.js';
import type { Audience } from './model.js';

/**
 * Resolves segment references. A reference is `strategy:segment` (`tiering:mid`, `abcd:a`) or a bare
 * segment id when exactly one strategy has it (`dormant`).
 */
export class SegmentResolver {
  readonly #cache = new Map<string, ReadonlyMap<string, Bitset>>();

  constructor(
    private readonly kernel: Kernel,
    private readonly model: CustomerModel,
  ) {}

  /** Forget evaluated memberships (the table changed). */
  invalidate(): void {
    this.#cache.clear();
  }

  async members(reference: string): Promise<Bitset> {
    const separator = reference.indexOf(':');
    if (separator > 0) {
      const strategyId = reference.slice(0, separator);
      const segmentId = reference.slice(separator + 1);
      if (!this.kernel.segmentStrategies.has(strategyId))
        throw new CampaignError('KQ_CAMPAIGN_SEGMENT_UNKNOWN', `Audience segment "${reference}": no segment strategy "${strategyId}" is registered (known: ${this.strategyIds().join(', ')}).`);
      const memberships = await this.memberships(strategyId);
      const members = memberships.get(segmentId);
      if (members === undefined)
        throw new CampaignError('KQ_CAMPAIGN_SEGMENT_UNKNOWN', `Audience segment "${reference}": strategy "${strategyId}" has no segment "${segmentId}" (it has ${[...memberships.keys()].join(', ')}).`);
      return members;
    }
    const found: Array<{ strategyId: string; members: Bitset }> = [];
    for (const strategyId of this.strategyIds()) {
      const members = (await this.memberships(strategyId)).get(reference);
      if (members !== undefined) found.push({ strategyId, members });
    }
    const only = found[0];
    if (only === undefined) throw new CampaignError('KQ_CAMPAIGN_SEGMENT_UNKNOWN', `Audience segment "${reference}" is not produced by any registered segment strategy (${this.strategyIds().join(', ')}). Use "strategy:segment".`);
    if (found.length > 1)
      throw new CampaignError('KQ_CAMPAIGN_SEGMENT_UNKNOWN', `Audience segment "${reference}" is ambiguous: strategies ${found.map((entry) => entry.strategyId).join(' and ')} both have it. Write "${found[0]?.strategyId}:${reference}".`);
    return only.members;
  }

  private strategyIds(): string[] {
    return this.kernel.segmentStrategies.list().map((entry) => entry.declaration.id);
  }

  private async memberships(strategyId: string): Promise<ReadonlyMap<string, Bitset>> {
    const cached = this.#cache.get(strategyId);
    if (cached !== undefined) return cached;
    const memberships = await this.model.evaluate(strategyId);
    this.#cache.set(strategyId, memberships);
    return memberships;
  }
}

export interface AudienceContext {
  kernel: Kernel;
  model: CustomerModel;
  segments: SegmentResolver;
  events?: EventStore;
  asOf?: string;
  /** Only customers of this branch (a branch's own campaign). */
  branchId?: string;
}

/** The audience as a bitset over the rows of the customer table. */
export async function audienceRows(audience: Audience, context: AudienceContext): Promise<Bitset> {
  const table = context.model.table;
  let rows = new Bitset(table.size);
  for (const reference of audience.segments) rows = rows.or(await context.segments.members(reference));
  if (audience.rule !== undefined) {
    const ruleRows = await evaluateRule(audience.rule, context);
    rows = audience.segments.length === 0 ? ruleRows : rows.and(ruleRows);
  }
  for (const reference of audience.exclude) rows = rows.andNot(await context.segments.members(reference));
  const live = new Bitset(table.size);
  const branch = context.branchId;
  if (branch !== undefined && !table.hasColumn('branchId'))
    throw new CampaignError('KQ_CAMPAIGN_SEGMENT_UNKNOWN', `A campaign of branch ${branch} needs the "branchId" attribute in the customer table; load the model with it.`);
  for (const index of rows) {
    if (!table.isLive(index)) continue;
    if (branch !== undefined && table.value(index, 'branchId') !== branch) continue;
    live.add(index);
  }
  return live;
}

/** The customer ids of the audience, in table order. */
export async function audienceIds(audience: Audience, context: AudienceContext): Promise<string[]> {
  const rows = await audienceRows(audience, context);
  const table = context.model.table;
  return [...rows].map((index) => table.idAt(index));
}

async function evaluateRule(rule: Rule, context: AudienceContext): Promise<Bitset> {
  const table = context.model.table;
  const engine = createSegmentEngine({
    segments: [{ id: 'audience', rule }],
    attributes: tableAttributes(table),
    operators: await operatorsOf(context.kernel),
    ...(context.events === undefined ? {} : { events: context.events }),
  });
  const memberships = engine.evaluate(table, context.asOf === undefined ? {} : { asOf: context.asOf });
  return memberships.get('audience') ?? new Bitset(table.size);
}
