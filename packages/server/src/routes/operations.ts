// Tiers and migration, managed books and contact plans, hand-offs, KPIs, plugins, the audit trail.
import {
  auditRoutes,
  bookRoutes,
  handoffRoutes,
  kpiRoutes,
  pluginRoutes,
  routeById,
  tierRoutes,
} from '@kequn/api';
import {
  maskName,
  maskPersonalText,
  scanAll,
  type Customer,
  type Manager,
  type StoreRepositories,
} from '@kequn/core';
import {
  applyContact,
  customerKpiFact,
  dailyList,
  describeReason,
  emptyContactState,
  isEffective,
  KpiTally,
  type AbcdClass,
  type BookService,
  type BookStore,
  type ContactState,
  type HandoffCase,
} from '@kequn/books';
import { tierIds, tierLabels } from '@kequn/plugin-tiering';
import { ServerError, notFound } from '../errors.js';
import { route, type ServerRoute } from '../route-table.js';
import { customerInScope, describeScope, rowsInScope, type DataScope } from '../scope.js';
import type { BankState } from '../state.js';

const PAGE = 5_000;

function managerInScope(state: BankState, scope: DataScope, managerId: string): Manager {
  const manager = state.managers.find((candidate) => candidate.id === managerId);
  const visible =
    manager !== undefined &&
    (scope.kind === 'all' ||
      (scope.kind === 'branch' && manager.branchId === scope.branchId) ||
      (scope.kind === 'book' && scope.managerId === managerId));
  if (!visible) throw notFound(`Manager ${managerId}`);
  return manager;
}

/**
 * Hand-offs a caller sees: all, their branch's, or (for a manager) those whose customer is in their
 * book now — so a sender stops seeing the case once the customer has moved to the receiver.
 */
async function handoffsInScope(
  state: BankState,
  scope: DataScope,
  cases: readonly HandoffCase[],
): Promise<HandoffCase[]> {
  switch (scope.kind) {
    case 'all':
      return [...cases];
    case 'branch':
      return cases.filter((handoff) => handoff.branchId === scope.branchId);
    case 'none':
      return [];
    case 'book': {
      const customers = await state.store.customers.getMany([
        ...new Set(cases.map((handoff) => handoff.customerId)),
      ]);
      const inBook = new Set(
        customers
          .filter((customer) => customerInScope(scope, customer))
          .map((customer) => customer.id),
      );
      return cases.filter((handoff) => inBook.has(handoff.customerId));
    }
  }
}

function handoffView(state: BankState, handoff: HandoffCase) {
  const row = state.model.table.indexOf(handoff.customerId);
  return {
    id: handoff.id,
    customerId: handoff.customerId,
    branchId: handoff.branchId,
    status: handoff.status,
    fromTier: handoff.fromTier,
    toTier: handoff.toTier,
    senderId: handoff.senderId,
    receiverId: handoff.receiverId ?? null,
    openedAt: handoff.openedAt,
    filedAt: handoff.filed?.at ?? null,
    customerName: maskName(row === undefined ? '' : state.nameAt(row)),
    firstContactDue: handoff.firstContactDue ?? null,
  };
}

async function handoffOr404(
  state: BankState,
  scope: DataScope,
  handoffId: string,
): Promise<HandoffCase> {
  const found = (await state.books().handoffs()).find((candidate) => candidate.id === handoffId);
  if (found === undefined || (await handoffsInScope(state, scope, [found])).length === 0)
    throw notFound(`Hand-off ${handoffId}`);
  return found;
}

function decider(principal: { managerId?: string | undefined; userId: string }): string {
  return principal.managerId ?? principal.userId;
}

/** Folds the stored contact events of customers the book has not seen into their contact state once. */
async function foldContactHistory(
  books: BookStore,
  settings: BookService['settings'],
  tx: StoreRepositories,
  customers: readonly Customer[],
): Promise<void> {
  const folded: ContactState[] = [];
  for (const customer of customers) {
    if ((await books.getContactState(customer.id)) !== undefined) continue;
    let state: ContactState = emptyContactState(customer.id, customer.relationshipManagerId);
    let seen = false;
    for (const event of await tx.events.listByCustomer(customer.id)) {
      if (event.type !== 'contact' || event.managerId === undefined) continue;
      state = applyContact(
        state,
        {
          id: event.id,
          customerId: customer.id,
          managerId: event.managerId,
          channel: event.channel,
          outcome: event.outcome,
          occurredAt: event.occurredAt,
        },
        settings.contactPlan,
      ).state;
      seen = true;
    }
    if (seen) folded.push(state);
  }
  await books.saveContactStates(folded);
}

async function classesOfBook(
  state: BankState,
  rows: Uint32Array,
): Promise<{ classes: Map<string, AbcdClass>; dormant: Set<string> }> {
  const table = state.model.table;
  const classes = new Map<string, AbcdClass>();
  const dormant = new Set<string>();
  const abcd = state.strategyIds().includes('abcd') ? await state.memberships('abcd') : new Map();
  const dormancy = state.strategyIds().includes('dormant')
    ? await state.memberships('dormant')
    : new Map();
  const dormantMembers = dormancy.get('dormant');
  for (const row of rows) {
    const id = table.idAt(row);
    for (const classId of ['a', 'b', 'c', 'd'] as const) {
      if (abcd.get(classId)?.has(row) === true || abcd.get(`abcd.${classId}`)?.has(row) === true) {
        classes.set(id, classId);
        break;
      }
    }
    if (dormantMembers?.has(row) === true) dormant.add(id);
  }
  return { classes, dormant };
}

async function customersInScope(state: BankState, scope: DataScope): Promise<Customer[]> {
  const customers: Customer[] = [];
  if (scope.kind === 'book') {
    for await (const customer of scanAll(
      { list: (page) => state.store.customers.listByManager(scope.managerId, page) },
      PAGE,
    ))
      customers.push(customer);
    return customers;
  }
  if (scope.kind === 'none') return customers;
  for await (const customer of scanAll(state.store.customers, PAGE))
    if (customerInScope(scope, customer)) customers.push(customer);
  return customers;
}

export const operationsServerRoutes: ServerRoute[] = [
  route(routeById(tierRoutes, 'tiers.list'), async ({ state, scope }) => {
    const table = state.model.table;
    const memberships = await state.memberships('tiering');
    const rows = rowsInScope(state, scope);
    const tiers = tierIds.map((id) => {
      const members = memberships.get(id);
      let customers = 0;
      let aum = 0;
      for (const row of rows) {
        if (members?.has(row) !== true) continue;
        customers += 1;
        const value = table.value(row, 'assets.currentAum');
        if (typeof value === 'number') aum += value;
      }
      return {
        id,
        label: { 'zh-CN': tierLabels[id]['zh-CN'], en: tierLabels[id].en },
        customers,
        aum,
      };
    });
    return { asOf: state.asOf, tiers };
  }),
  route(routeById(tierRoutes, 'tiers.migration'), async ({ state, scope }) => {
    const table = state.model.table;
    const counts = tierIds.map(() => tierIds.map(() => 0));
    for (const row of rowsInScope(state, scope)) {
      const before = state.earlierTierAt(row);
      const after = table.value(row, 'tier.current');
      const from = before === undefined ? -1 : (tierIds as readonly string[]).indexOf(before);
      const to = typeof after === 'string' ? (tierIds as readonly string[]).indexOf(after) : -1;
      const line = counts[from];
      if (line !== undefined && to >= 0) line[to] = (line[to] ?? 0) + 1;
    }
    return { from: state.migrationFrom, to: state.asOf, tiers: [...tierIds], counts };
  }),
  route(routeById(bookRoutes, 'books.get'), async ({ state, scope, params }) => {
    const manager = managerInScope(state, scope, params.managerId);
    const rows = state.rowsOfManager(manager.id);
    const table = state.model.table;
    const byTier: Record<string, number> = {};
    for (const row of rows) {
      const tier = table.value(row, 'tier.current');
      const key = typeof tier === 'string' ? tier : 'unknown';
      byTier[key] = (byTier[key] ?? 0) + 1;
    }
    const { classes } = await classesOfBook(state, rows);
    const byClass: Record<string, number> = {};
    for (const classId of classes.values()) byClass[classId] = (byClass[classId] ?? 0) + 1;
    return {
      managerId: manager.id,
      branchId: manager.branchId,
      customers: rows.length,
      byTier,
      byClass,
    };
  }),
  route(routeById(bookRoutes, 'books.contactPlan'), async ({ state, scope, params, query }) => {
    const manager = managerInScope(state, scope, params.managerId);
    const book: Customer[] = [];
    for await (const customer of scanAll(
      { list: (page) => state.store.customers.listByManager(manager.id, page) },
      PAGE,
    ))
      book.push(customer);
    await state.store.transaction((tx) =>
      foldContactHistory(state.bookStore(tx), state.books().settings, tx, book),
    );
    const { classes, dormant } = await classesOfBook(state, state.rowsOfManager(manager.id));
    const plan = await state
      .books()
      .contactPlan({ managerId: manager.id, asOf: state.asOf, book, classes, dormant });
    const date = query.date ?? state.asOf;
    const due = dailyList(plan, date);
    const table = state.model.table;
    const items = due.slice(0, query.limit).map((item) => {
      const row = table.indexOf(item.customerId);
      return {
        customerId: item.customerId,
        name: maskName(row === undefined ? '' : state.nameAt(row)),
        classId: item.classId,
        due: item.due,
        overdue: item.overdue,
        reasons: item.reasons.map((reason) => describeReason(reason, query.locale)),
      };
    });
    return { managerId: manager.id, date, locale: query.locale, due: due.length, items };
  }),
  route(
    routeById(bookRoutes, 'books.recordContact'),
    async ({ state, scope, params, body, audit, now }) => {
      const manager = managerInScope(state, scope, params.managerId);
      const customer = await state.store.customers.get(body.customerId);
      // A customer of another book answers like an unknown one, so the route never confirms who
      // holds a customer the caller may not see.
      if (
        customer === undefined ||
        customer.relationshipManagerId !== manager.id ||
        !customerInScope(scope, customer)
      )
        throw notFound(`Customer ${body.customerId} in the book of ${manager.id}`);
      const recordedAt = now();
      const occurredAt = body.occurredAt ?? recordedAt;
      if (Date.parse(occurredAt) > Date.parse(recordedAt))
        throw new ServerError(
          400,
          'KQ_SERVER_INVALID_REQUEST',
          `The contact with ${customer.id} is dated ${occurredAt}, after now (${recordedAt}); record contacts once they happened.`,
        );
      const contactId = `contact-${crypto.randomUUID()}`;
      const contactState = await state.store.transaction(async (tx) => {
        // The plan folds the stored contact history in on first sight; do it before this contact
        // so the follow-up count and the low-frequency pool start from the customer's real past.
        await foldContactHistory(state.bookStore(tx), state.books().settings, tx, [customer]);
        return state.books(tx).recordContact({
          id: contactId,
          customerId: customer.id,
          managerId: manager.id,
          channel: body.channel,
          outcome: body.outcome,
          occurredAt,
          // Notes are free text: identifiers typed into them are stored masked.
          ...(body.note === undefined ? {} : { note: maskPersonalText(body.note) }),
        });
      });
      await audit('create', `customer:${customer.id}`, {
        step: 'contact',
        contactId,
        managerId: manager.id,
        outcome: body.outcome,
        channel: body.channel,
        scope: describeScope(scope),
      });
      return {
        contactId,
        customerId: customer.id,
        managerId: manager.id,
        outcome: body.outcome,
        channel: body.channel,
        occurredAt,
        effective: isEffective(body.outcome),
        lastEffectiveContactAt: contactState.lastEffectiveContactAt ?? null,
        followUpsWithoutSale: contactState.followUpsWithoutSale,
        lowFrequency: contactState.lowFrequency,
      };
    },
  ),
  route(routeById(handoffRoutes, 'handoffs.list'), async ({ state, scope, query }) => {
    const cases = await state
      .books()
      .handoffs(query.status === undefined ? {} : { status: query.status });
    return {
      items: (await handoffsInScope(state, scope, cases)).map((handoff) =>
        handoffView(state, handoff),
      ),
    };
  }),
  route(
    routeById(handoffRoutes, 'handoffs.approve'),
    async ({ state, scope, principal, params, audit, now }) => {
      if (principal === undefined)
        throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'No token.');
      await handoffOr404(state, scope, params.handoffId);
      const approved = await state.store.transaction((tx) =>
        state.books(tx).approveHandoff(params.handoffId, { by: decider(principal), at: now() }),
      );
      await state.refreshCustomers([approved.customerId]);
      await audit('update', `handoff:${params.handoffId}`, {
        step: 'approve',
        customerId: approved.customerId,
      });
      return handoffView(state, approved);
    },
  ),
  route(
    routeById(handoffRoutes, 'handoffs.reject'),
    async ({ state, scope, principal, params, body, audit, now }) => {
      if (principal === undefined)
        throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'No token.');
      await handoffOr404(state, scope, params.handoffId);
      const rejected = await state.store.transaction((tx) =>
        state.books(tx).rejectHandoff(params.handoffId, {
          by: decider(principal),
          at: now(),
          reason: body.reason,
        }),
      );
      await audit('update', `handoff:${params.handoffId}`, {
        step: 'reject',
        customerId: rejected.customerId,
        reason: body.reason,
      });
      return handoffView(state, rejected);
    },
  ),
  route(routeById(kpiRoutes, 'kpis.get'), async ({ state, scope, query }) => {
    if (query.from > query.to)
      throw new ServerError(
        400,
        'KQ_SERVER_INVALID_REQUEST',
        `The period starts (${query.from}) after it ends (${query.to}).`,
      );
    const period = { from: query.from, to: query.to };
    const service = state.books();
    const tally = new KpiTally(period);
    for (const customer of await customersInScope(state, scope))
      tally.addCustomer(customerKpiFact(customer, period, service.settings.kpi));
    for (const handoff of await handoffsInScope(state, scope, await service.handoffs()))
      tally.addHandoff(handoff);
    return { period, figures: tally.report().bank };
  }),
  route(routeById(pluginRoutes, 'plugins.list'), async ({ state }) => ({
    plugins: state.kernel.plugins().map((status) => ({
      id: status.id,
      version: status.version,
      state: status.state,
      healthy: status.state !== 'failed',
      ...(status.error === undefined ? {} : { error: status.error.code }),
    })),
  })),
  route(routeById(pluginRoutes, 'plugins.health'), async ({ state, params }) => {
    const status = state.kernel.plugins().find((candidate) => candidate.id === params.pluginId);
    if (status === undefined) throw notFound(`Plugin ${params.pluginId}`);
    return {
      id: status.id,
      version: status.version,
      state: status.state,
      healthy: status.state !== 'failed',
      ...(status.error === undefined ? {} : { error: status.error.code }),
    };
  }),
  route(routeById(auditRoutes, 'audit.list'), async ({ store, query }) => ({
    items: await store.auditLog.list({
      limit: query.limit,
      ...(query.after === undefined ? {} : { afterSequence: query.after }),
      ...(query.actor === undefined ? {} : { actor: query.actor }),
      ...(query.subject === undefined ? {} : { subject: query.subject }),
    }),
  })),
];
