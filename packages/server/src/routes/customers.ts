// Customers: the masked list (scope → filters → keyset page), the 360 view, unmasking and explain.
import { customerRoutes, routeById, type Customer360, type ExplainedNode } from '@kequn/api';
import type { ExplainedRule } from '@kequn/segments';
import { decideTierAsOf } from '@kequn/plugin-tiering';
import { ServerError, notFound } from '../errors.js';
import {
  maskEmail,
  maskIdNumber,
  maskName,
  maskPhone,
  type Bitset,
  type Customer,
  type CustomerEvent,
} from '@kequn/core';
import { route, type ServerRoute } from '../route-table.js';
import { rowsInScope, type DataScope } from '../scope.js';
import { splitRef, type BankState } from '../state.js';
import { comparatorOf, FirstRows } from './list-order.js';
import { customerInScopeOr404, summariesOf } from './shared.js';

/** First index whose id sorts at or after `id` (rows are in id order). */
function firstAtOrAfter(state: BankState, rows: Uint32Array, id: string): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (state.model.table.idAt(rows[middle] ?? 0) < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose id sorts after `after` (rows are in id order). */
function firstAfter(state: BankState, rows: Uint32Array, after: string): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (state.model.table.idAt(rows[middle] ?? 0) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

async function segmentOr404(state: BankState, ref: string): Promise<Bitset> {
  const members = await state.segment(ref);
  if (members === undefined) throw notFound(`Segment ${ref}`);
  return members;
}

/** The narrowest row list for the scope and the manager/branch filters. */
function candidateRows(
  state: BankState,
  scope: DataScope,
  filters: { managerId?: string | undefined; branchId?: string | undefined },
): Uint32Array {
  if (filters.managerId !== undefined) {
    const rows = state.rowsOfManager(filters.managerId);
    if (scope.kind === 'all' || (scope.kind === 'book' && scope.managerId === filters.managerId))
      return rows;
    if (scope.kind === 'branch')
      return rows.filter((row) => state.model.table.value(row, 'branchId') === scope.branchId);
    return new Uint32Array(0);
  }
  if (filters.branchId !== undefined) {
    if (scope.kind === 'all' || (scope.kind === 'branch' && scope.branchId === filters.branchId))
      return state.rowsOfBranch(filters.branchId);
    if (scope.kind === 'book')
      return state
        .rowsOfManager(scope.managerId)
        .filter((row) => state.model.table.value(row, 'branchId') === filters.branchId);
    return new Uint32Array(0);
  }
  return rowsInScope(state, scope);
}

function endOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, monthNumber ?? 1, 0)).toISOString().slice(0, 10);
}

function contactsOf(
  events: readonly CustomerEvent[],
  records: readonly {
    occurredAt: string;
    channel: string;
    outcome: string;
    managerId?: string | undefined;
  }[],
): Customer360['contacts'] {
  const contacts: Customer360['contacts'] = [];
  for (const event of events) {
    if (event.type === 'contact')
      contacts.push({
        occurredAt: event.occurredAt,
        channel: event.channel,
        outcome: event.outcome,
        managerId: event.managerId ?? null,
      });
  }
  for (const record of records)
    contacts.push({
      occurredAt: record.occurredAt,
      channel: record.channel,
      outcome: record.outcome,
      managerId: record.managerId ?? null,
    });
  return contacts.sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt)).slice(0, 50);
}

async function segmentsOfRow(state: BankState, row: number): Promise<string[]> {
  const refs: string[] = [];
  for (const strategyId of state.strategyIds()) {
    for (const [segmentId, members] of await state.memberships(strategyId))
      if (members.has(row)) refs.push(`${strategyId}:${segmentId}`);
  }
  return refs;
}

async function customer360(state: BankState, customer: Customer): Promise<Customer360> {
  const table = state.model.table;
  const row = table.indexOf(customer.id);
  const tier = row === undefined ? null : table.value(row, 'tier.current');
  const age = row === undefined ? null : table.value(row, 'profile.age');
  const history = customer.assets.monthlyAverages.slice(-12).map(({ month }) => {
    const decision = decideTierAsOf(customer, endOfMonth(month), state.tiering);
    return { month, tier: decision.tier, basis: decision.basis };
  });
  const since = `${customer.assets.monthlyAverages.at(-12)?.month ?? state.asOf.slice(0, 7)}-01T00:00:00Z`;
  // Independent reads: fetched together so the 360 view waits for one round trip, not two.
  const [events, records] = await Promise.all([
    state.store.events.listByCustomer(customer.id, { from: since }),
    state.store.contactRecords.listByCustomer(customer.id),
  ]);
  return {
    id: customer.id,
    branchId: customer.branchId,
    relationshipManagerId: customer.relationshipManagerId,
    openedAt: customer.openedAt,
    profile: {
      name: maskName(customer.profile.name),
      phone: maskPhone(customer.profile.phone),
      idNumber: maskIdNumber(customer.profile.idNumber),
      email: customer.profile.email === undefined ? null : maskEmail(customer.profile.email),
      gender: customer.profile.gender,
      age: typeof age === 'number' ? age : null,
      occupation: customer.profile.occupation,
      city: customer.profile.city ?? null,
    },
    assets: {
      currentAum: customer.assets.currentAum,
      monthlyAverages: customer.assets.monthlyAverages.slice(-12),
    },
    tier: { current: typeof tier === 'string' ? tier : null, history },
    segments: row === undefined ? [] : await segmentsOfRow(state, row),
    holdings: customer.holdings.map((holding) => ({
      productId: holding.productId,
      productType: holding.productType,
      amount: holding.amount,
      openedAt: holding.openedAt,
      maturityDate: holding.maturityDate ?? null,
    })),
    contacts: contactsOf(events, records),
    doNotContact: customer.doNotContact,
    masked: [
      { field: 'profile.name', piClass: 'C2' },
      { field: 'profile.phone', piClass: 'C2' },
      { field: 'profile.idNumber', piClass: 'C2' },
      { field: 'profile.email', piClass: 'C2' },
    ],
  };
}

function toNode(explained: ExplainedRule): ExplainedNode {
  return {
    path: explained.path,
    rule: explained.rule,
    value: explained.value,
    ...(explained.read === undefined
      ? {}
      : { read: { attribute: explained.read.attribute, value: explained.read.value } }),
    children: explained.children.map(toNode),
  };
}

/** Attribute values of the plugin that contributes the strategy (tier basis for tiering, say). */
function strategyAttributes(
  state: BankState,
  strategyId: string,
  row: number,
): Record<string, unknown> {
  const owner = state.kernel.segmentStrategies
    .list()
    .find((entry) => entry.declaration.id === strategyId)?.pluginId;
  const values: Record<string, unknown> = {};
  if (owner === undefined) return values;
  for (const entry of state.kernel.attributes.list()) {
    if (entry.pluginId !== owner || !state.model.table.hasColumn(entry.declaration.id)) continue;
    values[entry.declaration.id] = state.model.table.value(row, entry.declaration.id);
  }
  return values;
}

export const customerServerRoutes: ServerRoute[] = [
  route(routeById(customerRoutes, 'customers.list'), async ({ state, scope, query }) => {
    const filters = [
      query.segment,
      query.tier === undefined ? undefined : `tiering:${query.tier}`,
      query.featuredGroup === undefined ? undefined : `featured-groups:${query.featuredGroup}`,
    ];
    const segments: Bitset[] = [];
    for (const ref of filters) if (ref !== undefined) segments.push(await segmentOr404(state, ref));
    const rows = candidateRows(state, scope, query);
    const table = state.model.table;
    const prefix = query.q;
    const matches = (row: number): boolean =>
      segments.every((members) => members.has(row)) &&
      (prefix === undefined || table.idAt(row) === prefix || state.nameAt(row).startsWith(prefix));
    const unfiltered = segments.length === 0 && prefix === undefined;
    const page: number[] = [];
    let more = false;
    let total = 0;
    if (query.sort === 'id') {
      // The rows are in id order already: walk from the cursor, stop after one row past the page.
      const ascending = query.order === 'asc';
      const step = ascending ? 1 : -1;
      let index: number;
      if (query.after === undefined) index = ascending ? 0 : rows.length - 1;
      else
        index = ascending
          ? firstAfter(state, rows, query.after)
          : firstAtOrAfter(state, rows, query.after) - 1;
      for (; index >= 0 && index < rows.length; index += step) {
        const row = rows[index] ?? 0;
        if (!matches(row)) continue;
        if (page.length === query.limit) {
          more = true;
          break;
        }
        page.push(row);
      }
      if (unfiltered) total = rows.length;
      else for (const row of rows) if (matches(row)) total += 1;
    } else {
      const compare = comparatorOf(state, query.sort, query.order);
      let cursor: number | undefined;
      if (query.after !== undefined) {
        cursor = table.indexOf(query.after);
        if (cursor === undefined)
          throw new ServerError(
            400,
            'KQ_SERVER_INVALID_REQUEST',
            `The page cursor ${query.after} is not a listed customer any more; start again from the first page.`,
          );
      }
      const first = new FirstRows(query.limit + 1, compare);
      for (const row of rows) {
        if (!matches(row)) continue;
        total += 1;
        if (cursor === undefined || compare(row, cursor) > 0) first.offer(row);
      }
      const kept = first.sorted();
      more = kept.length > query.limit;
      page.push(...kept.slice(0, query.limit));
    }
    const ids = page.map((row) => table.idAt(row));
    return {
      items: await summariesOf(state, state.store, ids, scope),
      nextAfter: more ? (ids.at(-1) ?? null) : null,
      total,
    };
  }),
  route(routeById(customerRoutes, 'customers.get'), async ({ state, scope, params, audit }) => {
    const customer = await customerInScopeOr404(state.store, scope, params.customerId);
    const view = await customer360(state, customer);
    await audit('view', `customer:${customer.id}`, { view: '360' });
    return view;
  }),
  route(
    routeById(customerRoutes, 'customers.unmask'),
    async ({ state, scope, params, body, audit }) => {
      const customer = await customerInScopeOr404(state.store, scope, params.customerId);
      const raw: Record<string, string | null> = {
        name: customer.profile.name,
        phone: customer.profile.phone,
        idNumber: customer.profile.idNumber,
        email: customer.profile.email ?? null,
      };
      const values: Record<string, string | null> = {};
      for (const field of body.fields) values[field] = raw[field] ?? null;
      // The trail names the fields and the reason, never the values revealed.
      await audit('unmask', `customer:${customer.id}`, {
        fields: body.fields,
        reason: body.reason,
      });
      return { customerId: customer.id, values };
    },
  ),
  route(
    routeById(customerRoutes, 'customers.explain'),
    async ({ state, scope, params, query, audit }) => {
      const customer = await customerInScopeOr404(state.store, scope, params.customerId);
      const row = state.model.table.indexOf(customer.id);
      if (row === undefined) throw notFound(`Customer ${customer.id}`);
      const [strategyId, segmentId] = splitRef(query.segment);
      const members = await state.segment(query.segment);
      if (members === undefined) throw notFound(`Segment ${query.segment}`);
      const engine = await state.engineOf(strategyId);
      const explanation =
        engine === undefined ? null : engine.explain(state.model.table, customer.id, segmentId);
      await audit('view', `customer:${customer.id}`, { view: 'explain', segment: query.segment });
      return {
        customerId: customer.id,
        segment: query.segment,
        member: members.has(row),
        explanation: explanation === null ? null : toNode(explanation),
        attributes: strategyAttributes(state, strategyId, row),
      };
    },
  ),
];
