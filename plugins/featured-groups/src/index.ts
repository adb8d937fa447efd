// @kequn/plugin-featured-groups — horizontal featured groups (横向分群, 特色客群, DOMAIN.md §2).
// Written only against @kequn/core's public API, like any bank's own plugin.
import { definePlugin, valueMemberships, type SegmentStrategy } from '@kequn/core';
import { featuredGroupsSettingsSchema } from './settings.js';
import { featuredGroupIds, featuredGroupLabels, featuredGroupsOf } from './groups.js';

export { featuredGroupsSettingsSchema, type FeaturedGroupsSettings } from './settings.js';
export {
  featuredGroupIds,
  featuredGroupLabels,
  featuredGroupsOf,
  ageAt,
  type FeaturedGroupId,
} from './groups.js';

export const FEATURED_GROUPS_ATTRIBUTE = 'featuredGroups';

export const featuredGroupsPlugin = definePlugin({
  id: 'featured-groups',
  version: '0.1.0',
  displayName: { 'zh-CN': '特色客群', en: 'Featured groups' },
  description: {
    'zh-CN': '按职业、年龄、性别、代发、结算等信号识别九类特色客群，一个客户可属于多个客群。',
    en: 'Nine featured groups by occupation, age, gender, payroll and settlement signals; a customer can be in several.',
  },
  engines: { kequn: '^1' },
  settings: featuredGroupsSettingsSchema,
  contributes: {
    segmentStrategies: [
      {
        id: 'featured-groups',
        label: { 'zh-CN': '特色客群', en: 'Featured groups' },
        exclusive: false,
      },
    ],
    attributes: [
      {
        id: FEATURED_GROUPS_ATTRIBUTE,
        type: 'set',
        label: { 'zh-CN': '所属特色客群', en: 'Featured groups' },
        piClass: 'C1',
        values: featuredGroupIds.map((id) => ({ value: id, label: featuredGroupLabels[id] })),
      },
    ],
    settings: featuredGroupIds.map((id) => ({ id, label: featuredGroupLabels[id] })),
  },
  activate(context) {
    const settings = context.settings;
    context.attributes.register(FEATURED_GROUPS_ATTRIBUTE, {
      read: (customer, readContext) => featuredGroupsOf(customer, readContext.asOf, settings),
    });
    const strategy: SegmentStrategy = {
      segments: () =>
        featuredGroupIds
          .filter((id) => settings[id].enabled)
          .map((id) => ({ id, label: featuredGroupLabels[id] })),
      evaluate: (table) =>
        valueMemberships(
          table,
          FEATURED_GROUPS_ATTRIBUTE,
          featuredGroupIds.filter((id) => settings[id].enabled),
        ),
    };
    context.segmentStrategies.register('featured-groups', strategy);
  },
});

export default featuredGroupsPlugin;
