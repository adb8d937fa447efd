// @kequn/plugin-tiering — vertical tiering by assets (纵向分层, DOMAIN.md §1).
// Written only against @kequn/core's public API, like any bank's own plugin.
import {
  definePlugin,
  valueMemberships,
  type AttributeChange,
  type Customer,
  type SegmentStrategy,
} from '@kequn/core';
import {
  tierIds,
  tierLabels,
  tieringSettingsSchema,
  type TierId,
  type TieringSettings,
} from './settings.js';
import { decideTier, decideTierAsOf, directionOf, isTierId } from './tiers.js';

export {
  tierIds,
  tierLabels,
  tieringSettingsSchema,
  type TierId,
  type TieringSettings,
} from './settings.js';
export {
  decideTier,
  decideTierAsOf,
  tierForBasis,
  rollingBases,
  type TierDecision,
} from './tiers.js';

export const TIER_ATTRIBUTE = 'tier.current';
export const TIER_BASIS_ATTRIBUTE = 'tier.basis';
export const TIER_MONTHS_BELOW_ATTRIBUTE = 'tier.monthsBelow';

const tierValues = tierIds.map((id) => ({ value: id, label: tierLabels[id] }));

/**
 * Remembers the last decision per customer and date within one load, so the three attributes agree
 * and the history is replayed once per customer.
 */
function decisionCache(settings: TieringSettings) {
  let lastCustomer: Customer | undefined;
  let lastAsOf = '';
  let lastDecision = decideTier([], 0, settings);
  return (customer: Customer, asOf: string) => {
    if (customer !== lastCustomer || asOf !== lastAsOf) {
      lastDecision = decideTierAsOf(customer, asOf, settings);
      lastCustomer = customer;
      lastAsOf = asOf;
    }
    return lastDecision;
  };
}

function tierChange(
  changes: readonly AttributeChange[],
  attributeId: string,
): AttributeChange | undefined {
  return changes.find((change) => change.attributeId === attributeId);
}

export const tieringPlugin = definePlugin({
  id: 'tiering',
  version: '0.1.0',
  displayName: { 'zh-CN': '纵向分层', en: 'Asset tiering' },
  description: {
    'zh-CN': '按日均资产把客户分为潜力、有效、中端、高端、私行五层，带防抖动的升降层规则。',
    en: 'Five tiers by average daily AUM — potential, effective, mid, high-end, private — with hysteresis.',
  },
  engines: { kequn: '^1' },
  settings: tieringSettingsSchema,
  contributes: {
    segmentStrategies: [
      {
        id: 'tiering',
        label: { 'zh-CN': '资产分层', en: 'Asset tiers' },
        exclusive: true,
      },
    ],
    attributes: [
      {
        id: TIER_ATTRIBUTE,
        type: 'enum',
        label: { 'zh-CN': '客户层级', en: 'Tier' },
        piClass: 'C1',
        values: tierValues,
      },
      {
        id: TIER_BASIS_ATTRIBUTE,
        type: 'money',
        label: { 'zh-CN': '分层依据(日均资产)', en: 'Tier basis (average daily AUM)' },
        piClass: 'C1',
      },
      {
        id: TIER_MONTHS_BELOW_ATTRIBUTE,
        type: 'number',
        storage: 'uint8',
        label: { 'zh-CN': '低于本层月数', en: 'Months below tier floor' },
        piClass: 'C1',
      },
    ],
    settings: [
      { id: 'thresholds', label: { 'zh-CN': '分层门槛(元)', en: 'Tier thresholds (CNY)' } },
      {
        id: 'windowMonths',
        label: { 'zh-CN': '日均资产取数月数', en: 'Averaging window (months)' },
      },
      {
        id: 'downgradeAfterMonths',
        label: { 'zh-CN': '连续低于门槛几个月后降层', en: 'Months below before a downgrade' },
      },
      {
        id: 'upgradeAfterMonths',
        label: { 'zh-CN': '连续达到门槛几个月后升层', en: 'Months above before an upgrade' },
      },
    ],
  },
  activate(context) {
    const settings = context.settings;
    const decisionOf = decisionCache(settings);

    context.attributes.register(TIER_ATTRIBUTE, { read: (customer, { asOf }) => decisionOf(customer, asOf).tier });
    context.attributes.register(TIER_BASIS_ATTRIBUTE, {
      read: (customer, { asOf }) => decisionOf(customer, asOf).basis,
    });
    context.attributes.register(TIER_MONTHS_BELOW_ATTRIBUTE, {
      read: (customer, { asOf }) => Math.min(decisionOf(customer, asOf).monthsBelow, 255),
    });

    const strategy: SegmentStrategy = {
      segments: () => tierIds.map((id) => ({ id, label: tierLabels[id] })),
      evaluate: (table) => valueMemberships(table, TIER_ATTRIBUTE, tierIds),
    };
    context.segmentStrategies.register('tiering', strategy);

    // A tier move is the event hand-offs and campaigns wait for (提升移交, 升层祝贺).
    context.events.on('customer.upserted', (event) => {
      const change = tierChange(event.changes, TIER_ATTRIBUTE);
      if (change === undefined || !isTierId(change.after)) return;
      const from: TierId | null = isTierId(change.before) ? change.before : null;
      context.events.emit('tier.changed', {
        customerId: event.customerId,
        from,
        to: change.after,
        direction: directionOf(from, change.after),
        basis: decisionOf(event.customer, event.asOf).basis,
        asOf: event.asOf,
      });
    });
  },
});

export default tieringPlugin;
