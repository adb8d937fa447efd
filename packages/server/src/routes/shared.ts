// Helpers the route groups share: customer summaries (masked), scope checks on one customer.
import type { CustomerSummary } from '@kequn/api';
import {
  maskName,
  maskPhone,
  type Customer,
  type KequnStore,
  type SqlExecutor,
  type SqlRow,
  type SqlStore,
} from '@kequn/core';
import { notFound } from '../errors.js';
import { customerInScope, type DataScope } from '../scope.js';
import type { BankState } from '../state.js';

function stringsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** A list row's identity and scope columns, and the raw phone when the store was asked for it. */
interface ListedCustomer {
  id: string;
  branchId: string;
  relationshipManagerId: string | null;
  /** Raw, when read from the store; masked at once and never kept raw. */
  phone: string | undefined;
}

const LISTED_CHUNK = 500;

/** The phone inside the stored document, in the store's SQL dialect. */
function phoneExpression(dialect: SqlExecutor['dialect']): string | undefined {
  if (dialect === 'sqlite') return "json_extract(document, '$.profile.phone')";
  if (dialect === 'postgres') return "document->'profile'->>'phone'";
  return undefined;
}

function sqlOf(store: KequnStore): SqlExecutor | undefined {
  return 'sql' in store ? (store as SqlStore).sql : undefined;
}

/** Runs `SELECT <columns> FROM customers WHERE <where> AND id IN (…)` per 500 ids. */
async function selectAmong(
  sql: SqlExecutor,
  columns: string,
  where: { clause: string; params: readonly string[] },
  ids: readonly string[],
): Promise<SqlRow[]> {
  const rows: SqlRow[] = [];
  const offset = where.params.length;
  for (let start = 0; start < ids.length; start += LISTED_CHUNK) {
    const chunk = ids.slice(start, start + LISTED_CHUNK);
    const list = chunk.map((_id, index) => `$${offset + index + 1}`).join(', ');
    rows.push(
      ...(await sql.query(`SELECT ${columns} FROM customers WHERE ${where.clause}id IN (${list})`, [
        ...where.params,
        ...chunk,
      ])),
    );
  }
  return rows;
}

/** The scope as a condition on the customers table, answered from its compact indexes. */
function scopeCondition(scope: DataScope): { clause: string; params: readonly string[] } {
  switch (scope.kind) {
    case 'book':
      return { clause: 'manager_id = $1 AND ', params: [scope.managerId] };
    case 'branch':
      return { clause: 'branch_id = $1 AND ', params: [scope.branchId] };
    case 'all':
    case 'none':
      return { clause: '', params: [] };
  }
}

/**
 * The customers of `ids` that the store still files within `scope`. On a SQL store the scope is
 * confirmed with one prepared statement that reads ids only (the manager index answers a book
 * without touching documents), and phones are read only for rows whose masked phone the state
 * does not hold yet, so a page never parses whole customer documents (holdings, monthly balances,
 * consents) to show five fields. Other stores hand back documents.
 */
async function listedCustomers(
  state: BankState,
  store: KequnStore,
  ids: readonly string[],
  scope: DataScope,
): Promise<ListedCustomer[]> {
  const sql = sqlOf(store);
  const phone = phoneExpression(sql?.dialect);
  if (sql === undefined || phone === undefined) {
    return (await store.customers.getMany(ids))
      .filter((customer) => customerInScope(scope, customer))
      .map((customer) => ({
        id: customer.id,
        branchId: customer.branchId,
        relationshipManagerId: customer.relationshipManagerId,
        phone: customer.profile.phone,
      }));
  }
  if (scope.kind === 'none') return [];
  const table = state.model.table;
  const inScope = new Set(
    (await selectAmong(sql, 'id', scopeCondition(scope), ids)).map((row) => String(row['id'])),
  );
  const unmasked = ids.filter((id) => {
    const row = table.indexOf(id);
    return inScope.has(id) && (row === undefined || state.maskedPhoneAt(row) === undefined);
  });
  const phones = new Map<string, string>();
  for (const row of await selectAmong(
    sql,
    `id, ${phone} AS phone`,
    scopeCondition({ kind: 'all' }),
    unmasked,
  )) {
    if (typeof row['phone'] === 'string') phones.set(String(row['id']), row['phone']);
  }
  const listed: ListedCustomer[] = [];
  for (const id of ids) {
    const row = table.indexOf(id);
    if (!inScope.has(id) || row === undefined) continue;
    const branchId = table.value(row, 'branchId');
    const managerId = table.value(row, 'relationshipManagerId');
    listed.push({
      id,
      branchId: typeof branchId === 'string' ? branchId : '',
      relationshipManagerId: typeof managerId === 'string' ? managerId : null,
      phone: phones.get(id),
    });
  }
  return listed;
}

/** The masked list row of one customer: phone from the store or the mask cache, the rest from the table. */
function summaryOf(state: BankState, customer: ListedCustomer): CustomerSummary {
  const table = state.model.table;
  const row = table.indexOf(customer.id);
  const tier = row === undefined ? null : table.value(row, 'tier.current');
  const aum = row === undefined ? null : table.value(row, 'assets.currentAum');
  let phone = row === undefined ? undefined : state.maskedPhoneAt(row);
  if (phone === undefined) {
    phone = maskPhone(customer.phone ?? '');
    if (row !== undefined && customer.phone !== undefined) state.rememberMaskedPhone(row, phone);
  }
  return {
    id: customer.id,
    name: row === undefined ? '' : maskName(state.nameAt(row)),
    phone,
    branchId: customer.branchId,
    relationshipManagerId: customer.relationshipManagerId,
    tier: typeof tier === 'string' ? tier : null,
    featuredGroups:
      row === undefined || !table.hasColumn('featuredGroups')
        ? []
        : stringsOf(table.value(row, 'featuredGroups')),
    aum: typeof aum === 'number' ? aum : null,
  };
}

/**
 * Summaries in the order of `ids`. The store is the source of truth for scope: a customer the
 * in-memory index still files under the caller but the store no longer does is left out.
 */
export async function summariesOf(
  state: BankState,
  store: KequnStore,
  ids: readonly string[],
  scope: DataScope,
): Promise<CustomerSummary[]> {
  const listed = new Map(
    (await listedCustomers(state, store, ids, scope)).map((customer) => [customer.id, customer]),
  );
  const summaries: CustomerSummary[] = [];
  for (const id of ids) {
    const customer = listed.get(id);
    if (customer !== undefined) summaries.push(summaryOf(state, customer));
  }
  return summaries;
}

/** The customer, if it exists and is in scope; otherwise 404 (never revealing which). */
export async function customerInScopeOr404(
  store: KequnStore,
  scope: DataScope,
  customerId: string,
): Promise<Customer> {
  const customer = await store.customers.get(customerId);
  if (customer === undefined || !customerInScope(scope, customer))
    throw notFound(`Customer ${customerId}`);
  return customer;
}
