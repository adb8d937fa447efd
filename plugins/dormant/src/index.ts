// @kequn/plugin-dormant — dormant customers (休眠客户激活, DOMAIN.md §6): no qualifying transaction
// in N days while holding assets above a floor, as a rule-based segment strategy.
import { definePlugin } from '@kequn/core';
import { createRuleStrategy, type EventStore, type Rule, type RuleStrategy, type SegmentDefinition } from '@kequn/segments';
import { dormantSettingsSchema, type DormantSettings } from './settings.js';

export { dormantSettingsSchema, type DormantSettings } from './settings.js';

export const DORMANT_STRATEGY = 'dormant';
export const DORMANT_SEGMENT = 'dormant';

const label = { 'zh-CN': '休眠客户', en: 'Dormant customers' };

/**
 * The dormant rule on attributes: a last transaction older than the window — or none at all, which
 * would otherwise be unknown (NULL) and fall out of the segment — and assets at or above the floor.
 */
export function dormantRule(settings: DormantSettings): Rule {
  const lastTransaction = settings.lastTransactionAttribute;
  return {
    all: [
      {
        any: [
          { attribute: lastTransaction, op: 'isNull' },
          { not: { attribute: lastTransaction, op: 'withinLast', value: { days: settings.inactiveDays } } },
        ],
      },
      { attribute: settings.assetAttribute, op: 'gte', value: settings.assetFloor },
    ],
  };
}

/**
 * The same on events: no transaction in the window, within the universe of customers with assets
 * at or above the floor who opened their account before the window began (newer customers cannot
 * have been inactive that long).
 */
export function dormantEventRule(settings: DormantSettings): Rule {
  return {
    noEvents: {
      type: 'transaction',
      window: { days: settings.inactiveDays },
      universe: {
        all: [
          { attribute: settings.assetAttribute, op: 'gte', value: settings.assetFloor },
          { not: { attribute: 'openedAt', op: 'withinLast', value: { days: settings.inactiveDays } } },
        ],
      },
    },
  };
}

export function dormantSegments(settings: DormantSettings, events?: EventStore): (SegmentDefinition & { label: typeof label })[] {
  return [{ id: DORMANT_SEGMENT, label, rule: events === undefined ? dormantRule(settings) : dormantEventRule(settings) }];
}

/** The strategy; pass an event store to judge on transactions rather than the last-transaction date. */
export function createDormantStrategy(settings: DormantSettings, events?: EventStore): RuleStrategy {
  return createRuleStrategy({ segments: dormantSegments(settings, events), ...(events === undefined ? {} : { events }) });
}

export const dormantPlugin = definePlugin({
  id: 'dormant',
  version: '0.1.0',
  displayName: { 'zh-CN': '休眠客户识别', en: 'Dormant customers' },
  description: {
    'zh-CN': '识别N天内无有效交易且资产不低于门槛的客户，供休眠激活活动使用。',
    en: 'Finds customers with no qualifying transaction in N days and assets above a floor, for activation campaigns.',
  },
  engines: { kequn: '^1' },
  settings: dormantSettingsSchema,
  contributes: {
    segmentStrategies: [{ id: DORMANT_STRATEGY, label, exclusive: false }],
    settings: [
      { id: 'inactiveDays', label: { 'zh-CN': '无交易天数', en: 'Days without a transaction' } },
      { id: 'assetFloor', label: { 'zh-CN': '资产门槛(元)', en: 'Asset floor (CNY)' } },
      { id: 'assetAttribute', label: { 'zh-CN': '资产口径', en: 'Asset attribute' } },
      { id: 'lastTransactionAttribute', label: { 'zh-CN': '最近交易日期口径', en: 'Last transaction attribute' } },
    ],
  },
  activate(context) {
    const strategy = createDormantStrategy(context.settings);
    context.segmentStrategies.register(DORMANT_STRATEGY, strategy);
    return { strategy };
  },
});

export default dormantPlugin;
