// The managed book as a service: allocation runs with approval, reclaim, the upgrade hand-off
// workflow and recorded contacts. Every step is persisted, announced as a kernel event and written
// to the audit log. Callers pass `at` (an ISO instant) to every step: the book never reads a clock.
import type { AuditEntry, Customer, EventBus, KequnEventMap, Manager, StoreRepositories } from '@kequn/core';
import { allocationCandidate, proposeAllocation, type AllocationPolicy } from './allocation.js';
import { addBusinessDays, addDays, daysBetween, localDate } from './calendar.js';
import { profileCompleteness } from './completeness.js';
import { applyContact, buildContactPlan, contactViolations, emptyContactState, isEffective, type ContactEntry, type ContactPlan, type ContactViolation, type PlanCustomer } from './contact-plan.js';
import type { CustomerDirectory } from './directory.js';
import {
  AllocationRunStateError,
  AllocationRunUnknownError,
  ApproverNotAllowedError,
  BookSettingsError,
  CustomerUnknownError,
  HandoffActorError,
  HandoffStepError,
  HandoffUnknownError,
  ManagerUnknownError,
} from './errors.js';
import type { AllocationRun, Assignment, ContactState, CustomerFile, HandoffCase, HandoffStatus } from './records.js';
import { booksSettingsSchema, type AbcdClass, type BooksSettings, type BooksSettingsInput } from './settings.js';
import type { BookStore } from './store/port.js';

export interface BookServiceOptions {
  /** The kernel's event bus (`kernel.events`). */
  events: Pick<EventBus<KequnEventMap>, 'on' | 'emit'>;
  store: BookStore;
  /** The core store's contact records, audit log and outbox (any KequnStore, or `createMemoryStore()`). */
  records: Pick<StoreRepositories, 'contactRecords' | 'auditLog' | 'outbox'>;
  customers: CustomerDirectory;
  managers: readonly Manager[];
  settings?: BooksSettingsInput;
}

export interface ReclaimFlag {
  customerId: string;
  managerId: string;
  /** The last effective contact or assignment, whichever is later; null when there was neither. */
  lastTouch: string | null;
  daysWithoutContact: number | null;
}

const openStatuses: readonly HandoffStatus[] = ['opened', 'filed', 'awaiting_first_contact'];

/** The three-month basis the hand-off file and completeness bands use. */
export function customerBasis(customer: Customer): number {
  const months = customer.assets.monthlyAverages.slice(-3);
  if (months.length === 0) return customer.assets.currentAum;
  return months.reduce((sum, month) => sum + month.averageDailyBalance, 0) / months.length;
}

function nextMaturity(customer: Customer, asOf: string): string | undefined {
  const dates = customer.holdings.map((holding) => holding.maturityDate).filter((date): date is string => date !== undefined && date >= asOf);
  return dates.sort()[0];
}

/** `handoff-<customer>-<day>`, with a counter when an earlier case of that day exists. */
function handoffId(customerId: string, day: string, earlier: readonly HandoffCase[]): string {
  const base = `handoff-${customerId}-${day}`;
  const sameDay = earlier.filter((handoff) => handoff.id === base || handoff.id.startsWith(`${base}-`)).length;
  return sameDay === 0 ? base : `${base}-${sameDay + 1}`;
}

function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export class BookService {
  readonly settings: BooksSettings;
  readonly #events: BookServiceOptions['events'];
  readonly #store: BookStore;
  readonly #records: BookServiceOptions['records'];
  readonly #customers: CustomerDirectory;
  readonly #managers: ReadonlyMap<string, Manager>;
  readonly #pending = new Set<Promise<void>>();
  readonly #failures: unknown[] = [];

  constructor(options: BookServiceOptions) {
    const parsed = booksSettingsSchema.safeParse(options.settings ?? {});
    if (!parsed.success) throw new BookSettingsError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    this.settings = parsed.data;
    this.#events = options.events;
    this.#store = options.store;
    this.#records = options.records;
    this.#customers = options.customers;
    this.#managers = new Map(options.managers.map((manager) => [manager.id, manager]));
  }

  // ── Allocation (分配) ────────────────────────────────────────────────────────────────

  /** Proposes who holds each customer in scope this month. Nothing changes until it is approved and applied. */
  async proposeAllocationRun(input: {
    month: string;
    by: string;
    at: string;
    customers: Iterable<Customer>;
    policy: AllocationPolicy;
    /** Managers each customer must not go to, e.g. from `reclaim()`. */
    excluded?: ReadonlyMap<string, readonly string[]>;
  }): Promise<AllocationRun> {
    const candidates = function* () {
      for (const customer of input.customers) yield allocationCandidate(customer, input.policy, input.excluded?.get(customer.id));
    };
    const outcome = proposeAllocation(candidates(), [...this.#managers.values()], input.policy);
    const sameMonth = (await this.#store.listRuns()).filter((run) => run.month === input.month).length;
    const run: AllocationRun = {
      id: `allocation-${input.month}-${String(sameMonth + 1).padStart(2, '0')}`,
      month: input.month,
      status: 'proposed',
      proposedBy: input.by,
      proposedAt: input.at,
      ...outcome,
    };
    await this.#store.saveRun(run);
    await this.#audit({ at: input.at, actor: `manager:${input.by}`, action: 'create', subject: `allocation:${run.id}`, details: { step: 'propose', proposals: run.proposals.length } });
    this.#events.emit('books.allocationProposed', {
      runId: run.id,
      month: run.month,
      proposals: run.proposals.length,
      overCapacity: run.overCapacity.length,
      unplaced: run.unplaced.length,
      at: input.at,
    });
    return run;
  }

  async allocationRun(runId: string): Promise<AllocationRun> {
    const run = await this.#store.getRun(runId);
    if (run === undefined) throw new AllocationRunUnknownError(runId);
    return run;
  }

  allocationRuns(): Promise<AllocationRun[]> {
    return this.#store.listRuns();
  }

  /** The operations manager (or another approver role) approves; the approval is recorded with who and when. */
  async approveAllocationRun(runId: string, decision: { by: string; at: string }): Promise<AllocationRun> {
    const run = await this.#proposedRun(runId, decision.by);
    const approved: AllocationRun = { ...run, status: 'approved', approval: decision };
    await this.#store.saveRun(approved);
    await this.#audit({ at: decision.at, actor: `manager:${decision.by}`, action: 'update', subject: `allocation:${runId}`, details: { step: 'approve' } });
    this.#events.emit('books.allocationApproved', { runId, by: decision.by, at: decision.at });
    return approved;
  }

  async rejectAllocationRun(runId: string, decision: { by: string; at: string; reason: string }): Promise<AllocationRun> {
    const run = await this.#proposedRun(runId, decision.by);
    const rejected: AllocationRun = { ...run, status: 'rejected', rejection: decision };
    await this.#store.saveRun(rejected);
    await this.#audit({ at: decision.at, actor: `manager:${decision.by}`, action: 'update', subject: `allocation:${runId}`, details: { step: 'reject', reason: decision.reason } });
    this.#events.emit('books.allocationRejected', { runId, by: decision.by, at: decision.at, reason: decision.reason });
    return rejected;
  }

  /** Makes an approved run take effect: every moved customer gets their new manager, persisted. */
  async applyAllocationRun(runId: string, at: string): Promise<AllocationRun> {
    const run = await this.allocationRun(runId);
    if (run.status !== 'approved') throw new AllocationRunStateError(runId, run.status, 'approved');
    const changes = run.proposals.filter((proposal) => proposal.toManagerId !== proposal.fromManagerId);
    await this.#reassign(
      changes.map((proposal) => ({ customerId: proposal.customerId, managerId: proposal.toManagerId })),
      { at, source: 'allocation', reference: run.id, actor: `manager:${run.approval?.by ?? run.proposedBy}` },
    );
    const applied: AllocationRun = { ...run, status: 'applied', appliedAt: at };
    await this.#store.saveRun(applied);
    this.#events.emit('books.allocationApplied', { runId, changed: changes.length, at });
    return applied;
  }

  // ── Reclaim (收回) ───────────────────────────────────────────────────────────────────

  /** Managed customers with no effective contact (nor a fresh assignment) within the reclaim window. */
  async reclaimCandidates(customers: Iterable<Customer>, asOf: string): Promise<ReclaimFlag[]> {
    const flags: ReclaimFlag[] = [];
    for (const customer of customers) {
      const managerId = customer.relationshipManagerId;
      if (managerId === null) continue;
      const lastTouch = await this.#lastTouch(customer.id);
      const days = lastTouch === null ? null : daysBetween(localDate(lastTouch), asOf);
      if (days === null || days > this.settings.reclaim.noContactDays) {
        flags.push({ customerId: customer.id, managerId, lastTouch, daysWithoutContact: days });
      }
    }
    return flags;
  }

  /** Takes customers out of their manager's book. Returns, per customer, the manager to avoid when re-allocating. */
  async reclaim(input: { customerIds: readonly string[]; by: string; at: string }): Promise<Map<string, string[]>> {
    const excluded = new Map<string, string[]>();
    for (const customerId of input.customerIds) {
      const customer = await this.#customer(customerId);
      if (customer.relationshipManagerId !== null) excluded.set(customerId, [customer.relationshipManagerId]);
    }
    const reference = `reclaim-${input.at}`;
    await this.#reassign(
      input.customerIds.map((customerId) => ({ customerId, managerId: null })),
      { at: input.at, source: 'reclaim', reference, actor: `manager:${input.by}` },
    );
    this.#events.emit('books.reclaimed', { customerIds: [...input.customerIds], by: input.by, at: input.at });
    return excluded;
  }

  assignmentsOf(customerId: string): Promise<Assignment[]> {
    return this.#store.assignmentsOf(customerId);
  }

  // ── Upgrade hand-off (提升移交) ──────────────────────────────────────────────────────

  /**
   * Opens a hand-off case whenever the tiering plugin reports an upgrade into a hand-off tier with a
   * basis at or above the bar. Returns the subscription; `settled()` waits for cases being opened.
   */
  watchTierChanges(): { dispose(): void } {
    return this.#events.on('tier.changed', (change) => {
      if (change.direction !== 'upgrade' || !this.settings.handoff.tiers.includes(change.to)) return;
      if (change.basis < this.settings.handoff.bar) return;
      const opening = this.openHandoff({ customerId: change.customerId, fromTier: change.from, toTier: change.to, basis: change.basis, at: `${change.asOf}T00:00:00Z` }).then(
        () => undefined,
        (error: unknown) => void this.#failures.push(error),
      );
      this.#pending.add(opening);
      void opening.then(() => this.#pending.delete(opening));
    });
  }

  /**
   * Resolves once every case opened from a `tier.changed` event has been stored; rejects with the
   * first failure since the last call (e.g. a customer missing from the directory).
   */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
    const [failure] = this.#failures.splice(0);
    if (failure !== undefined) throw failure;
  }

  /**
   * Opens a case, unless the customer already has one in progress (then that one is returned) or is
   * already held by a receiving role such as a VIP wealth manager (then there is nothing to hand over).
   */
  async openHandoff(input: { customerId: string; fromTier: string | null; toTier: string; basis: number; at: string }): Promise<HandoffCase | undefined> {
    const earlier = await this.#store.listHandoffs({ customerId: input.customerId });
    const inProgress = earlier.find((handoff) => openStatuses.includes(handoff.status));
    if (inProgress !== undefined) return inProgress;
    const customer = await this.#customer(input.customerId);
    const holder = customer.relationshipManagerId === null ? undefined : this.#managers.get(customer.relationshipManagerId);
    if (holder !== undefined && this.settings.handoff.receiverRoles.includes(holder.role)) return undefined;
    const handoff: HandoffCase = {
      id: handoffId(input.customerId, localDate(input.at), earlier),
      customerId: input.customerId,
      branchId: customer.branchId,
      status: 'opened',
      fromTier: input.fromTier,
      toTier: input.toTier,
      basis: input.basis,
      senderId: customer.relationshipManagerId,
      openedAt: input.at,
    };
    await this.#saveStep(handoff, { at: input.at, actor: 'system:books', action: 'create', name: 'open' });
    this.#events.emit('handoff.opened', this.#handoffEvent(handoff, input.at));
    return handoff;
  }

  handoff(caseId: string): Promise<HandoffCase> {
    return this.#handoff(caseId);
  }

  handoffs(filter?: { status?: HandoffStatus; customerId?: string }): Promise<HandoffCase[]> {
    return this.#store.listHandoffs(filter);
  }

  /** The sending manager files the form with the customer file attached and names the receiver. */
  async fileHandoff(caseId: string, input: { by: string; receiverId: string; at: string }): Promise<HandoffCase> {
    const handoff = await this.#handoffIn(caseId, 'opened', 'file');
    if (handoff.senderId !== null && handoff.senderId !== input.by) throw new HandoffActorError(caseId, 'file', input.by, `the sending manager ${handoff.senderId}`);
    const receiver = this.#manager(input.receiverId);
    const receiverRoles = this.settings.handoff.receiverRoles;
    if (!receiverRoles.includes(receiver.role)) throw new HandoffActorError(caseId, 'receive', receiver.id, `a ${receiverRoles.join(' or ')}`);
    const filed: HandoffCase = {
      ...handoff,
      status: 'filed',
      receiverId: receiver.id,
      filed: { by: input.by, at: input.at },
      customerFile: await this.customerFile(handoff.customerId, handoff.toTier, localDate(input.at)),
    };
    await this.#saveStep(filed, { at: input.at, actor: `manager:${input.by}`, action: 'update', name: 'file' });
    this.#events.emit('handoff.filed', { ...this.#handoffEvent(filed, input.at), senderId: input.by, receiverId: receiver.id });
    return filed;
  }

  /**
   * The operations manager approves: the customer moves to the receiver, the sender's introduction
   * message is queued in the core outbox, and the first-contact deadline starts.
   */
  async approveHandoff(caseId: string, input: { by: string; at: string }): Promise<HandoffCase> {
    const handoff = await this.#handoffIn(caseId, 'filed', 'approve');
    this.#assertApprover(input.by);
    const receiverId = handoff.receiverId ?? '';
    const due = this.#firstContactDue(localDate(input.at));
    const messageId = `handoff-introduction-${caseId}`;
    await this.#records.outbox.enqueue([
      {
        id: messageId,
        customerId: handoff.customerId,
        channel: this.settings.handoff.introductionChannel,
        purpose: 'service',
        payload: { template: 'handoff.introduction', caseId, senderId: handoff.senderId, receiverId, toTier: handoff.toTier },
        createdAt: input.at,
        status: 'pending',
        attempts: 0,
      },
    ]);
    await this.#reassign([{ customerId: handoff.customerId, managerId: receiverId }], { at: input.at, source: 'handoff', reference: caseId, actor: `manager:${input.by}` });
    const approved: HandoffCase = { ...handoff, status: 'awaiting_first_contact', approval: { by: input.by, at: input.at }, introductionMessageId: messageId, firstContactDue: due };
    await this.#saveStep(approved, { at: input.at, actor: `manager:${input.by}`, action: 'update', name: 'approve' });
    this.#events.emit('handoff.approved', { ...this.#handoffEvent(approved, input.at), by: input.by, firstContactDue: due });
    this.#events.emit('handoff.introductionQueued', { ...this.#handoffEvent(approved, input.at), messageId });
    return approved;
  }

  async rejectHandoff(caseId: string, input: { by: string; at: string; reason: string }): Promise<HandoffCase> {
    const handoff = await this.#handoffIn(caseId, 'filed', 'reject');
    this.#assertApprover(input.by);
    const rejected: HandoffCase = { ...handoff, status: 'rejected', rejection: { by: input.by, at: input.at, reason: input.reason } };
    await this.#saveStep(rejected, { at: input.at, actor: `manager:${input.by}`, action: 'update', name: 'reject', details: { reason: input.reason } });
    this.#events.emit('handoff.rejected', { ...this.#handoffEvent(rejected, input.at), by: input.by, reason: input.reason });
    return rejected;
  }

  /** Archives a closed or rejected case (归档). */
  async archiveHandoff(caseId: string, input: { by: string; at: string }): Promise<HandoffCase> {
    const handoff = await this.#handoff(caseId);
    if (handoff.status !== 'closed' && handoff.status !== 'rejected') throw new HandoffStepError(caseId, handoff.status, 'archive');
    const archived: HandoffCase = { ...handoff, status: 'archived', archivedAt: input.at };
    await this.#saveStep(archived, { at: input.at, actor: `manager:${input.by}`, action: 'update', name: 'archive' });
    this.#events.emit('handoff.archived', this.#handoffEvent(archived, input.at));
    return archived;
  }

  /** Cases still waiting for first contact after their deadline, oldest deadline first. */
  async overdueHandoffs(asOf: string): Promise<HandoffCase[]> {
    const waiting = await this.#store.listHandoffs({ status: 'awaiting_first_contact' });
    return waiting
      .filter((handoff) => handoff.firstContactDue !== undefined && handoff.firstContactDue < asOf)
      .sort((a, b) => (a.firstContactDue ?? '').localeCompare(b.firstContactDue ?? ''));
  }

  /** Records and announces each breach once (the first day it is seen); returns the newly breached cases. */
  async checkHandoffSla(at: string): Promise<HandoffCase[]> {
    const breached: HandoffCase[] = [];
    for (const handoff of await this.overdueHandoffs(localDate(at))) {
      if (handoff.slaBreachedOn !== undefined) continue;
      const marked: HandoffCase = { ...handoff, slaBreachedOn: localDate(at) };
      await this.#saveStep(marked, { at, actor: 'system:books', action: 'update', name: 'sla_breached' });
      this.#events.emit('handoff.slaBreached', { ...this.#handoffEvent(marked, at), firstContactDue: handoff.firstContactDue ?? '', receiverId: handoff.receiverId ?? '' });
      breached.push(marked);
    }
    return breached;
  }

  /** The customer file attached to a hand-off form: a profile summary without identifiers. */
  async customerFile(customerId: string, tier: string, asOf: string): Promise<CustomerFile> {
    const customer = await this.#customer(customerId);
    const state = await this.#store.getContactState(customerId);
    const file: CustomerFile = {
      customerId,
      branchId: customer.branchId,
      tier,
      basis: customerBasis(customer),
      currentAum: customer.assets.currentAum,
      holdings: customer.holdings.map((holding) => ({
        productType: holding.productType,
        amount: holding.amount,
        ...(holding.maturityDate === undefined ? {} : { maturityDate: holding.maturityDate }),
      })),
      occupation: customer.profile.occupation,
      age: ageOn(customer.profile.birthDate, asOf),
      completeness: profileCompleteness(customer, state?.lastContactAt, this.settings.completeness).ratio,
    };
    if (customer.riskProfile !== undefined) file.riskProfile = customer.riskProfile;
    if (state?.lastEffectiveContactAt !== undefined) file.lastEffectiveContactAt = state.lastEffectiveContactAt;
    return file;
  }

  // ── Contacts and plans (联系计划) ────────────────────────────────────────────────────

  /**
   * Records a contact in the core store's contact records, updates the customer's contact state
   * (follow-ups, low-frequency pool, next step) and, when it is the receiver's first effective
   * contact in a hand-off, closes the case.
   */
  async recordContact(contact: ContactEntry): Promise<ContactState> {
    await this.#records.contactRecords.append([
      {
        id: contact.id,
        customerId: contact.customerId,
        managerId: contact.managerId,
        channel: contact.channel,
        purpose: 'service',
        outcome: contact.outcome,
        occurredAt: contact.occurredAt,
        ...(contact.note === undefined ? {} : { note: contact.note }),
      },
    ]);
    const before = (await this.#store.getContactState(contact.customerId)) ?? emptyContactState(contact.customerId, contact.managerId);
    const { state, movedToLowFrequency } = applyContact({ ...before, managerId: contact.managerId }, contact, this.settings.contactPlan);
    await this.#store.saveContactStates([state]);
    await this.#audit({ at: contact.occurredAt, actor: `manager:${contact.managerId}`, action: 'create', subject: `customer:${contact.customerId}`, details: { step: 'contact', outcome: contact.outcome, contactId: contact.id } });
    this.#events.emit('books.contactRecorded', { customerId: contact.customerId, managerId: contact.managerId, outcome: contact.outcome, at: contact.occurredAt });
    if (movedToLowFrequency) {
      this.#events.emit('books.movedToLowFrequency', { customerId: contact.customerId, managerId: contact.managerId, followUpsWithoutSale: state.followUpsWithoutSale, at: contact.occurredAt });
    }
    if (isEffective(contact.outcome)) await this.#closeHandoffOnFirstContact(contact);
    return state;
  }

  contactState(customerId: string): Promise<ContactState | undefined> {
    return this.#store.getContactState(customerId);
  }

  /**
   * The manager's contact plan. `book` is the manager's customers; `classes` their ABCD class (e.g.
   * from `classesFromModel(model)`); `dormant` the ids the dormant strategy flags.
   */
  async contactPlan(input: { managerId: string; asOf: string; book: Iterable<Customer>; classes: ReadonlyMap<string, AbcdClass>; dormant?: ReadonlySet<string> }): Promise<ContactPlan> {
    const handoffs = new Map<string, HandoffCase>();
    for (const handoff of await this.#store.listHandoffs({ status: 'awaiting_first_contact' })) {
      if (handoff.receiverId === input.managerId) handoffs.set(handoff.customerId, handoff);
    }
    const customers: PlanCustomer[] = [];
    for (const customer of input.book) {
      const handoff = handoffs.get(customer.id);
      const maturity = nextMaturity(customer, input.asOf);
      customers.push({
        customerId: customer.id,
        classId: input.classes.get(customer.id),
        state: await this.#store.getContactState(customer.id),
        dormant: input.dormant?.has(customer.id) ?? false,
        ...(maturity === undefined ? {} : { nextMaturityDate: maturity }),
        ...(handoff === undefined ? {} : { handoff: { caseId: handoff.id, due: handoff.firstContactDue ?? input.asOf } }),
      });
    }
    return buildContactPlan(input.managerId, customers, input.asOf, this.settings.contactPlan);
  }

  /** Minimum-contact and frequency-cap breaches across the manager's book. */
  async contactViolations(input: { managerId: string; asOf: string; book: Iterable<Customer> }): Promise<ContactViolation[]> {
    const violations: ContactViolation[] = [];
    for (const customer of input.book) {
      const state = (await this.#store.getContactState(customer.id)) ?? emptyContactState(customer.id, input.managerId);
      violations.push(...contactViolations(state, input.managerId, input.asOf, this.settings.contactPlan));
    }
    return violations;
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────

  async #closeHandoffOnFirstContact(contact: ContactEntry): Promise<void> {
    const waiting = await this.#store.listHandoffs({ customerId: contact.customerId, status: 'awaiting_first_contact' });
    const handoff = waiting.find((candidate) => candidate.receiverId === contact.managerId);
    if (handoff === undefined) return;
    const withinSla = handoff.firstContactDue !== undefined && localDate(contact.occurredAt) <= handoff.firstContactDue;
    const contacted: HandoffCase = {
      ...handoff,
      status: 'closed',
      firstContact: { at: contact.occurredAt, channel: contact.channel, contactId: contact.id, withinSla },
      closedAt: contact.occurredAt,
    };
    await this.#saveStep(contacted, { at: contact.occurredAt, actor: `manager:${contact.managerId}`, action: 'update', name: 'first_contact', details: { withinSla } });
    this.#events.emit('handoff.firstContactMade', { ...this.#handoffEvent(contacted, contact.occurredAt), withinSla });
    this.#events.emit('handoff.closed', this.#handoffEvent(contacted, contact.occurredAt));
  }

  #firstContactDue(approvedOn: string): string {
    const handoff = this.settings.handoff;
    return handoff.businessDays ? addBusinessDays(approvedOn, handoff.firstContactDays, handoff.holidays) : addDays(approvedOn, handoff.firstContactDays);
  }

  async #lastTouch(customerId: string): Promise<string | null> {
    const state = await this.#store.getContactState(customerId);
    const assignments = await this.#store.assignmentsOf(customerId);
    const instants = [state?.lastEffectiveContactAt, assignments.at(-1)?.effectiveAt].filter((instant): instant is string => instant !== undefined);
    if (instants.length === 0) return null;
    return instants.reduce((latest, instant) => (Date.parse(instant) > Date.parse(latest) ? instant : latest));
  }

  async #reassign(
    changes: readonly { customerId: string; managerId: string | null }[],
    context: { at: string; source: Assignment['source']; reference: string; actor: string },
  ): Promise<void> {
    const updated: Customer[] = [];
    for (const change of changes) {
      const customer = await this.#customer(change.customerId);
      updated.push({ ...customer, relationshipManagerId: change.managerId });
    }
    await this.#customers.save(updated);
    await this.#store.appendAssignments(
      changes.map((change) => ({ customerId: change.customerId, managerId: change.managerId, effectiveAt: context.at, source: context.source, reference: context.reference })),
    );
    await this.#records.auditLog.append(
      changes.map((change) => ({
        at: context.at,
        actor: context.actor,
        action: 'assign' as const,
        subject: `customer:${change.customerId}`,
        details: { managerId: change.managerId, source: context.source, reference: context.reference },
      })),
    );
  }

  async #proposedRun(runId: string, approverId: string): Promise<AllocationRun> {
    const run = await this.allocationRun(runId);
    if (run.status !== 'proposed') throw new AllocationRunStateError(runId, run.status, 'proposed');
    this.#assertApprover(approverId);
    return run;
  }

  #assertApprover(managerId: string): void {
    const manager = this.#managers.get(managerId);
    const allowed = this.settings.allocation.approverRoles;
    if (manager === undefined || !allowed.includes(manager.role)) throw new ApproverNotAllowedError(managerId, manager?.role, allowed);
  }

  #manager(managerId: string): Manager {
    const manager = this.#managers.get(managerId);
    if (manager === undefined) throw new ManagerUnknownError(managerId);
    return manager;
  }

  async #customer(customerId: string): Promise<Customer> {
    const customer = await this.#customers.get(customerId);
    if (customer === undefined) throw new CustomerUnknownError(customerId);
    return customer;
  }

  async #handoff(caseId: string): Promise<HandoffCase> {
    const handoff = await this.#store.getHandoff(caseId);
    if (handoff === undefined) throw new HandoffUnknownError(caseId);
    return handoff;
  }

  async #handoffIn(caseId: string, status: HandoffStatus, step: string): Promise<HandoffCase> {
    const handoff = await this.#handoff(caseId);
    if (handoff.status !== status) throw new HandoffStepError(caseId, handoff.status, step);
    return handoff;
  }

  async #saveStep(handoff: HandoffCase, step: { at: string; actor: string; action: AuditEntry['action']; name: string; details?: Record<string, unknown> }): Promise<void> {
    await this.#store.saveHandoff(handoff);
    await this.#audit({ at: step.at, actor: step.actor, action: step.action, subject: `handoff:${handoff.id}`, details: { step: step.name, status: handoff.status, ...step.details } });
  }

  async #audit(entry: AuditEntry): Promise<void> {
    await this.#records.auditLog.append([entry]);
  }

  #handoffEvent(handoff: HandoffCase, at: string) {
    return { caseId: handoff.id, customerId: handoff.customerId, status: handoff.status, at };
  }
}

export function createBookService(options: BookServiceOptions): BookService {
  return new BookService(options);
}
