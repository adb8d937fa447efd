// The variables of one message: what the payload says, plus what the customer record and the
// organisation know (the customer's name, their manager, branch and tier). Only the variables the
// template uses are looked up; personal values are masked on channels that are not secure.
import { maskName, maskPersonalText, type Customer, type StoreRepositories } from '@kequn/core';
import type { MessageLocale, OutboxPayload, TemplateVariableValue } from './payload.js';
import { tierLabels, type TemplateVariables } from './templates.js';

export interface VariableContext {
  customer: Customer;
  payload: OutboxPayload;
  /** The variables the template uses. */
  needed: readonly string[];
  locale: MessageLocale;
  /** False: personal values are masked. */
  secure: boolean;
  /** The bank's calendar date, for the customer's current tier. */
  today: string;
  store: Pick<StoreRepositories, 'managers' | 'branches' | 'tierChanges'>;
}

const payloadKeys = new Set(['template', 'kind', 'variables', 'data']);
/** Variables that hold the customer's own name, masked with `maskName` where the channel is not secure. */
const customerNameVariables = new Set(['name', 'customerName']);

function isVariableValue(value: unknown): value is TemplateVariableValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Plain top-level payload fields (a hand-off's `caseId`, `toTier`), then `variables` over them. */
function payloadVariables(payload: OutboxPayload): Record<string, TemplateVariableValue> {
  const variables: Record<string, TemplateVariableValue> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!payloadKeys.has(key) && isVariableValue(value)) variables[key] = value;
  }
  return { ...variables, ...payload.variables };
}

async function managerName(store: VariableContext['store'], managerId: string | null): Promise<string | undefined> {
  if (managerId === null || managerId === '') return undefined;
  return (await store.managers.get(managerId))?.name;
}

async function branchTeam(store: VariableContext['store'], branchId: string, locale: MessageLocale): Promise<string | undefined> {
  const branch = await store.branches.get(branchId);
  if (branch === undefined) return undefined;
  return locale === 'zh-CN' ? `${branch.name}客户服务团队` : `the ${branch.name} service team`;
}

async function derivedVariables(context: VariableContext, given: Readonly<Record<string, TemplateVariableValue>>): Promise<Record<string, TemplateVariableValue>> {
  const { customer, store, needed } = context;
  const wanted = needed.filter((name) => given[name] === undefined);
  const derived: Record<string, TemplateVariableValue> = {};
  for (const name of wanted) {
    if (customerNameVariables.has(name)) derived[name] = customer.profile.name;
    else if (name === 'managerName') {
      // A customer nobody holds in a book (most mass customers) is served by the branch's team.
      const value = (await managerName(store, customer.relationshipManagerId)) ?? (await branchTeam(store, customer.branchId, context.locale));
      if (value !== undefined) derived[name] = value;
    } else if (name === 'branchName') {
      const branch = await store.branches.get(customer.branchId);
      if (branch !== undefined) derived[name] = branch.name;
    } else if (name.endsWith('Name')) {
      // `senderName` from the payload's `senderId`, when that names a manager.
      const id = given[`${name.slice(0, -'Name'.length)}Id`];
      const value = typeof id === 'string' ? await managerName(store, id) : undefined;
      if (value !== undefined) derived[name] = value;
    }
  }
  if (wanted.includes('tier') || wanted.includes('tierLabel')) {
    const tier = given['tier'] ?? given['toTier'] ?? (await store.tierChanges.tierOn(customer.id, context.today));
    if (tier !== undefined) {
      derived['tier'] ??= tier;
      const label = tierLabels[String(tier)];
      derived['tierLabel'] ??= label === undefined ? String(tier) : label[context.locale];
    }
  }
  return derived;
}

function masked(name: string, value: TemplateVariableValue): TemplateVariableValue {
  if (typeof value !== 'string') return value;
  return customerNameVariables.has(name) ? maskName(value) : maskPersonalText(value);
}

export async function messageVariables(context: VariableContext): Promise<TemplateVariables> {
  const given = payloadVariables(context.payload);
  const all = { ...(await derivedVariables(context, given)), ...given };
  if (context.secure) return all;
  return Object.fromEntries(Object.entries(all).map(([name, value]) => [name, masked(name, value)]));
}
