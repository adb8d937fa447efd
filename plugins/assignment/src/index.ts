// @kequn/plugin-assignment — allocation rules (分配规则, DOMAIN.md §4) as configuration.
// Written only against @kequn/core's public API. The allocation run itself lives in @kequn/books,
// which takes the policy this plugin builds.
import { definePlugin, managerRoleSchema } from '@kequn/core';
import { assignmentSettingsSchema } from './settings.js';
import { allocationTargetOf, createAllocationPolicy, type AllocationPolicy } from './rules.js';

export {
  allocationRuleSchema,
  assignmentSettingsSchema,
  defaultAllocationRules,
  type AllocationRule,
  type AssignmentSettings,
  type AssignmentSettingsInput,
} from './settings.js';
export {
  allocationBasis,
  allocationTargetOf,
  createAllocationPolicy,
  ruleForBasis,
  type AllocationPolicy,
  type AllocationTarget,
} from './rules.js';

export const ASSIGNMENT_ROLE_ATTRIBUTE = 'assignment.role';
export const ASSIGNMENT_RULE_ATTRIBUTE = 'assignment.rule';

/** What `kernel.exportsOf('assignment')` returns once the plugin is active. */
export interface AssignmentExports {
  policy: AllocationPolicy;
}

const roleLabels = {
  counter_wealth_manager: { 'zh-CN': '低柜理财经理', en: 'Counter wealth manager' },
  vip_wealth_manager: { 'zh-CN': '贵宾理财经理', en: 'VIP wealth manager' },
  customer_manager: { 'zh-CN': '客户经理', en: 'Customer manager' },
  operations_manager: { 'zh-CN': '营业经理', en: 'Operations manager' },
  branch_head: { 'zh-CN': '网点负责人', en: 'Branch head' },
} as const;

export const assignmentPlugin = definePlugin({
  id: 'assignment',
  version: '0.1.0',
  displayName: { 'zh-CN': '管户分配规则', en: 'Allocation rules' },
  description: {
    'zh-CN': '按日均资产与网点决定客户由哪类理财经理管户：5万–50万归低柜理财经理，50万以上归贵宾理财经理。',
    en: 'Decides which manager role holds each customer by average daily AUM and branch: 50k–500k counter, 500k+ VIP.',
  },
  engines: { kequn: '^1' },
  activationEvents: ['onStartup'],
  settings: assignmentSettingsSchema,
  contributes: {
    attributes: [
      {
        id: ASSIGNMENT_ROLE_ATTRIBUTE,
        type: 'enum',
        label: { 'zh-CN': '应管户岗位', en: 'Role that should hold the customer' },
        piClass: 'C1',
        values: managerRoleSchema.options.map((role) => ({ value: role, label: roleLabels[role] })),
      },
      {
        id: ASSIGNMENT_RULE_ATTRIBUTE,
        type: 'string',
        label: { 'zh-CN': '分配规则', en: 'Allocation rule' },
        piClass: 'C1',
      },
    ],
    settings: [
      { id: 'rules', label: { 'zh-CN': '分配规则(资产区间→岗位)', en: 'Rules (basis band → roles)' } },
      { id: 'windowMonths', label: { 'zh-CN': '日均资产取数月数', en: 'Averaging window (months)' } },
      { id: 'withinBranch', label: { 'zh-CN': '仅分配给本网点经理', en: 'Allocate within the branch' } },
      { id: 'keepValidRelationships', label: { 'zh-CN': '保留有效的管户关系', en: 'Keep valid relationships' } },
    ],
  },
  activate(context): AssignmentExports {
    const settings = context.settings;
    context.attributes.register(ASSIGNMENT_ROLE_ATTRIBUTE, {
      read: (customer) => allocationTargetOf(customer, settings)?.roles[0] ?? null,
    });
    context.attributes.register(ASSIGNMENT_RULE_ATTRIBUTE, {
      read: (customer) => allocationTargetOf(customer, settings)?.ruleId ?? null,
    });
    return { policy: createAllocationPolicy(settings) };
  },
});

export default assignmentPlugin;
