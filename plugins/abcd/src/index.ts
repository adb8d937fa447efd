// @kequn/plugin-abcd — ABCD intent classes (ABCD 分类, DOMAIN.md §3) as four mutually exclusive,
// priority-ordered segments built with @kequn/segments, plus each class's contact cadence.
import { definePlugin, fromEpochDay, toEpochDay } from '@kequn/core';
import { createRuleStrategy, type RuleStrategy, type SegmentDefinition } from '@kequn/segments';
import { abcdClassIds, abcdClassLabels, abcdSettingsSchema, defaultAbcdRules, type AbcdClassId, type AbcdSettings } from './settings.js';

export { abcdClassIds, abcdClassLabels, abcdSettingsSchema, defaultAbcdRules, type AbcdClassId, type AbcdSettings } from './settings.js';

export const ABCD_STRATEGY = 'abcd';

/** The four class segments, A first, with the bank's rules where set and the defaults elsewhere. */
export function abcdSegments(settings: AbcdSettings): (SegmentDefinition & { label: { 'zh-CN': string; en: string } })[] {
  return abcdClassIds.map((id) => ({ id, label: abcdClassLabels[id], rule: settings.rules[id] ?? defaultAbcdRules[id] }));
}

/** The rule strategy the plugin registers: exclusive in the order A, B, C, D. */
export function createAbcdStrategy(settings: AbcdSettings): RuleStrategy {
  return createRuleStrategy({ segments: abcdSegments(settings), exclusive: true });
}

/** The day the next effective contact is due for a customer of a class, after their last one. */
export function nextContactDue(classId: AbcdClassId, lastContact: string, settings: AbcdSettings): string {
  return fromEpochDay(toEpochDay(lastContact) + settings.cadenceDays[classId]);
}

export const abcdPlugin = definePlugin({
  id: 'abcd',
  version: '0.1.0',
  displayName: { 'zh-CN': 'ABCD客户分类', en: 'ABCD intent classes' },
  description: {
    'zh-CN': '按资产与购买意向把管户客户分为A、B、C、D四类，并按类别设定联系频率。',
    en: 'Classifies managed customers A–D by assets and purchase intent, with a contact cadence per class.',
  },
  engines: { kequn: '^1' },
  settings: abcdSettingsSchema,
  contributes: {
    segmentStrategies: [{ id: ABCD_STRATEGY, label: { 'zh-CN': 'ABCD分类', en: 'ABCD classes' }, exclusive: true }],
    settings: [
      { id: 'rules', label: { 'zh-CN': '各类别规则', en: 'Rule per class' } },
      { id: 'cadenceDays', label: { 'zh-CN': '各类别联系间隔(天)', en: 'Contact cadence per class (days)' } },
      { id: 'lowFrequencyAfterFollowUps', label: { 'zh-CN': '转入低频池的跟进次数', en: 'Follow-ups before the low-frequency pool' } },
    ],
  },
  activate(context) {
    const strategy = createAbcdStrategy(context.settings);
    context.segmentStrategies.register(ABCD_STRATEGY, strategy);
    return { strategy };
  },
});

export default abcdPlugin;
