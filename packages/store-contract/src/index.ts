// The contract every Kequn store must honour. A store package calls `describeStoreContract` from one
// of its tests with a way to open a fresh store; memory, SQLite and PostgreSQL all run this same suite.
import {
  LATEST_SCHEMA_VERSION,
  StoredStateStorage,
  isKequnError,
  scanAll,
  storedCustomerRow,
  type AuditEntry,
  type ContactRecord,
  type Customer,
  type KequnStore,
  type MembershipChange,
  type OutboxMessage,
  type StoredCustomerRow,
  type TierChange,
} from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface StoreUnderTest {
  /** Opens a store on empty tables. */
  open(): Promise<KequnStore>;
  /** Opens the same database again after `close()`, for stores that persist. */
  reopen?(): Promise<KequnStore>;
  /** Removes what `open` created (a file, a schema). */
  cleanup?(): Promise<void>;
}

const bank = createSyntheticBank({ seed: 7, customers: 120 });
const customers: Customer[] = [...bank.customers()];

function customerAt(index: number): Customer {
  const customer = customers[index];
  if (customer === undefined) throw new Error(`the contract bank has no customer ${index}`);
  return customer;
}

const recordedAt = '2026-11-22T09:30:00+08:00';

function tierChange(customerId: string, tier: string, effectiveFrom: string, previousTier: string | null = null): TierChange {
  return { customerId, tier, previousTier, effectiveFrom, recordedAt };
}

function membership(segmentId: string, customerId: string, change: 'joined' | 'left', effectiveFrom: string): MembershipChange {
  return { segmentId, customerId, change, effectiveFrom, recordedAt };
}

function outboxMessage(id: string, createdAt: string): OutboxMessage {
  return {
    id,
    customerId: customerAt(0).id,
    channel: 'sms',
    purpose: 'service',
    payload: { template: 'maturity-reminder', productId: 'TD-3M' },
    createdAt,
    status: 'pending',
    attempts: 0,
  };
}

function contact(id: string, occurredAt: string): ContactRecord {
  return { id, customerId: customerAt(1).id, managerId: 'M0101', channel: 'phone', purpose: 'marketing', outcome: 'reached', occurredAt };
}

/**
 * The rows with each document as its UTF-8 bytes, every one a view into one shared buffer between
 * bytes that are not JSON, as an importer's packed batch hands them over: a store that read past a
 * view's bounds, or from the start of its buffer, would store something else.
 */
function withDocumentBytes(rows: readonly StoredCustomerRow[]): StoredCustomerRow[] {
  const encoded = rows.map((row) => Buffer.from(row.document as string, 'utf8'));
  const shared = Buffer.alloc(encoded.reduce((total, bytes) => total + bytes.length + 1, 1), 0xff);
  let at = 1;
  return rows.map((row, index) => {
    const bytes = encoded[index] as Buffer;
    bytes.copy(shared, at);
    const document = new Uint8Array(shared.buffer, shared.byteOffset + at, bytes.length);
    at += bytes.length + 1;
    return { ...row, document };
  });
}

/**
 * Customers as a store before schema version 5 kept them (every list as objects), with each list
 * empty, full, and with its optional field absent and present, for stores' migration tests.
 */
export function legacyCustomers(): Customer[] {
  const base = customerAt(4);
  return [
    ...customers.slice(0, 10),
    {
      ...base,
      id: 'C-legacy-detailed',
      assets: { currentAum: 0.30000000000000004, monthlyAverages: [{ month: '2026-10', averageDailyBalance: 123456789.01 }] },
      holdings: [
        { productId: 'TD-3M', productType: 'time_deposit', amount: 50_000, openedAt: '2026-08-01', maturityDate: '2026-11-01' },
        { productId: 'DD-SAVINGS', productType: 'demand_deposit', amount: 1e-7, openedAt: '2020-01-01' },
      ],
      consents: [
        { channel: 'sms', purpose: 'marketing', granted: true, recordedAt: '2026-01-01T09:00:00+08:00', expiresAt: '2027-01-01T09:00:00+08:00' },
        { channel: 'wecom', purpose: 'service', granted: false, recordedAt: '2026-02-01T09:00:00+08:00' },
      ],
    },
    { ...base, id: 'C-legacy-empty', assets: { currentAum: 0, monthlyAverages: [] }, holdings: [], consents: [] },
  ];
}

export function describeStoreContract(name: string, subject: StoreUnderTest): void {
  describe(`store contract: ${name}`, () => {
    let store: KequnStore;

    beforeEach(async () => {
      store = await subject.open();
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await subject.cleanup?.();
    });

    it('is migrated to the latest schema on open', async () => {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    });

    describe('customers', () => {
      it('returns what was stored, field for field', async () => {
        await store.customers.upsert(customers.slice(0, 20));
        expect(await store.customers.get(customerAt(3).id)).toEqual(customerAt(3));
        expect(await store.customers.count()).toBe(20);
        expect(await store.customers.get('C-does-not-exist')).toBeUndefined();
      });

      it('upserts by id: re-running changes nothing, a changed record replaces the old one', async () => {
        await store.customers.upsert(customers.slice(0, 10));
        await store.customers.upsert(customers.slice(0, 10));
        expect(await store.customers.count()).toBe(10);
        const moved: Customer = { ...customerAt(2), relationshipManagerId: 'M-new', tags: ['moved'] };
        await store.customers.upsert([moved]);
        expect(await store.customers.get(moved.id)).toEqual(moved);
        expect(await store.customers.count()).toBe(10);
      });

      it('keeps the last of two records with one id in the same batch', async () => {
        const first = customerAt(0);
        const second: Customer = { ...first, tags: ['second'] };
        await store.customers.upsert([first, second]);
        expect((await store.customers.get(first.id))?.tags).toEqual(['second']);
      });

      it('stores a bulk of thousands in one call', async () => {
        const many = Array.from({ length: 3_000 }, (_, index) => ({ ...customerAt(index % customers.length), id: `B${String(index).padStart(6, '0')}` }));
        await store.customers.upsert(many);
        expect(await store.customers.count()).toBe(3_000);
        expect(await store.customers.get('B002999')).toEqual(many[2_999]);
      });

      it('pages in id order without gaps or repeats', async () => {
        await store.customers.upsert(customers);
        const ids: string[] = [];
        for await (const customer of scanAll(store.customers, 17)) ids.push(customer.id);
        expect(ids).toEqual(customers.map((customer) => customer.id).sort());
      });

      it('lists one manager’s book and finds many by id', async () => {
        await store.customers.upsert(customers);
        const managerId = customers.find((customer) => customer.relationshipManagerId !== null)?.relationshipManagerId ?? 'none';
        const expected = customers.filter((customer) => customer.relationshipManagerId === managerId).map((customer) => customer.id).sort();
        const book = await store.customers.listByManager(managerId, { limit: 10_000 });
        expect(book.map((customer) => customer.id)).toEqual(expected);
        const found = await store.customers.getMany([customerAt(5).id, 'missing', customerAt(9).id]);
        expect(found.map((customer) => customer.id).sort()).toEqual([customerAt(5).id, customerAt(9).id].sort());
      });

      it('round-trips every list of a customer, amounts digit for digit, optional fields absent or present', async () => {
        const base = customerAt(4);
        const detailed: Customer = {
          ...base,
          id: 'C-detailed',
          assets: { currentAum: 0.30000000000000004, monthlyAverages: [{ month: '2026-09', averageDailyBalance: 1e-7 }, { month: '2026-10', averageDailyBalance: 123456789.01 }] },
          holdings: [
            { productId: 'TD-3M', productType: 'time_deposit', amount: 50_000, openedAt: '2026-08-01', maturityDate: '2026-11-01' },
            { productId: 'DD-SAVINGS', productType: 'demand_deposit', amount: 12.5, openedAt: '2020-01-01' },
          ],
          consents: [
            { channel: 'sms', purpose: 'marketing', granted: true, recordedAt: '2026-01-01T09:00:00+08:00', expiresAt: '2027-01-01T09:00:00+08:00' },
            { channel: 'wecom', purpose: 'service', granted: false, recordedAt: '2026-02-01T09:00:00+08:00' },
          ],
        };
        const empty: Customer = { ...base, id: 'C-empty', assets: { currentAum: 0, monthlyAverages: [] }, holdings: [], consents: [] };
        await store.customers.upsert([detailed, empty]);
        expect(await store.customers.get('C-detailed')).toEqual(detailed);
        expect(await store.customers.get('C-empty')).toEqual(empty);
      });

      it('keeps stored holdings when asked, and takes the record’s for customers not stored yet', async () => {
        const stored = customerAt(6);
        const holding = { productId: 'WM-1', productType: 'wealth', amount: 1_000, openedAt: '2026-01-05' } as const;
        await store.customers.upsert([{ ...stored, holdings: [holding] }]);
        const newcomer: Customer = { ...customerAt(7), holdings: [] };
        // Enough rows for a store's bulk path (COPY on PostgreSQL) as well as its small one.
        const others = Array.from({ length: 300 }, (_, index) => ({ ...customerAt(8), id: `K${String(index).padStart(4, '0')}` }));
        await store.customers.upsert([{ ...stored, tags: ['reimported'], holdings: [] }, newcomer], { keepStoredHoldings: true });
        await store.customers.upsert([...others, { ...stored, tags: ['bulk'], holdings: [] }], { keepStoredHoldings: true });
        expect(await store.customers.get(stored.id)).toEqual({ ...stored, tags: ['bulk'], holdings: [holding] });
        expect(await store.customers.get(newcomer.id)).toEqual(newcomer);
        expect(await store.customers.get('K0299')).toEqual(others[299]);
        await store.customers.upsert([{ ...stored, holdings: [] }]);
        expect((await store.customers.get(stored.id))?.holdings).toEqual([]);
      });

      it('upserts rows encoded off the writing thread like records', async () => {
        await store.customers.upsertStored(customers.slice(0, 30).map(storedCustomerRow));
        expect(await store.customers.count()).toBe(30);
        expect(await store.customers.get(customerAt(29).id)).toEqual(customerAt(29));
        const changed = { ...customerAt(0), holdings: [] };
        await store.customers.upsertStored([storedCustomerRow(changed)], { keepStoredHoldings: true });
        expect(await store.customers.get(customerAt(0).id)).toEqual(customerAt(0));
      });

      it('upserts rows whose documents are UTF-8 bytes as it does rows of text', async () => {
        // More rows than a store's bulk path (COPY on PostgreSQL) needs, non-ASCII and astral text,
        // and rows of text among the rows of bytes.
        const many: Customer[] = Array.from({ length: 260 }, (_, index) => ({
          ...customerAt(index % customers.length),
          id: `B${String(index).padStart(4, '0')}`,
          name: `客户 ${index} 𠀋😀`,
          tags: ['贵宾', 'tab\there "quoted" \\ back'],
        }));
        const rows = many.map(storedCustomerRow);
        await store.customers.upsertStored(withDocumentBytes(rows).map((row, index) => (index % 5 === 0 ? (rows[index] as StoredCustomerRow) : row)));
        expect(await store.customers.count()).toBe(many.length);
        const found = await store.customers.getMany(many.map((customer) => customer.id));
        expect(found.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(many);
        // A few rows take a store's small path.
        const few = customers.slice(0, 3);
        await store.customers.upsertStored(withDocumentBytes(few.map(storedCustomerRow)));
        expect(await store.customers.get(customerAt(1).id)).toEqual(customerAt(1));
        expect(await store.customers.count()).toBe(many.length + few.length);
      });

      it('keeps stored holdings for rows whose documents are bytes, and takes theirs for customers not stored yet', async () => {
        const stored = customerAt(6);
        const holding = { productId: 'WM-1', productType: 'wealth', amount: 1_000, openedAt: '2026-01-05' } as const;
        const newHolding = { productId: 'TD-3M', productType: 'time_deposit', amount: 20_000, openedAt: '2026-03-01', maturityDate: '2026-06-01' } as const;
        await store.customers.upsert([{ ...stored, holdings: [holding] }]);
        const newcomer: Customer = { ...customerAt(7), holdings: [newHolding] };
        const others = Array.from({ length: 300 }, (_, index) => ({ ...customerAt(8), id: `K${String(index).padStart(4, '0')}`, name: `客户 ${index}` }));
        const keep = { keepStoredHoldings: true };
        await store.customers.upsertStored(withDocumentBytes([{ ...stored, tags: ['reimported'], holdings: [] }, newcomer].map(storedCustomerRow)), keep);
        expect(await store.customers.get(stored.id)).toEqual({ ...stored, tags: ['reimported'], holdings: [holding] });
        expect(await store.customers.get(newcomer.id)).toEqual(newcomer);
        await store.customers.upsertStored(withDocumentBytes([...others, { ...stored, tags: ['bulk'], holdings: [] }].map(storedCustomerRow)), keep);
        expect(await store.customers.get(stored.id)).toEqual({ ...stored, tags: ['bulk'], holdings: [holding] });
        expect(await store.customers.get('K0299')).toEqual(others[299]);
        // Without the option, bytes replace the stored holdings like text does.
        await store.customers.upsertStored(withDocumentBytes([storedCustomerRow({ ...stored, holdings: [] })]));
        expect((await store.customers.get(stored.id))?.holdings).toEqual([]);
      });

      it('deletes by id and says whether anything was there', async () => {
        await store.customers.upsert([customerAt(0)]);
        expect(await store.customers.delete(customerAt(0).id)).toBe(true);
        expect(await store.customers.delete(customerAt(0).id)).toBe(false);
        expect(await store.customers.count()).toBe(0);
      });
    });

    it('keeps branches, managers and products', async () => {
      await store.branches.upsert(bank.branches);
      await store.managers.upsert(bank.managers);
      await store.products.upsert(bank.products);
      expect(await store.branches.count()).toBe(bank.branches.length);
      const manager = bank.managers[4];
      const product = bank.products[2];
      expect(manager && (await store.managers.get(manager.id))).toEqual(manager);
      expect(product && (await store.products.get(product.id))).toEqual(product);
    });

    it('keeps customer events in time order, idempotently, and filters a range', async () => {
      const events = [...bank.eventsOf(0), ...bank.eventsOf(1)];
      await store.events.upsert(events);
      await store.events.upsert(events);
      expect(await store.events.count()).toBe(events.length);
      const own = events.filter((event) => event.customerId === customerAt(0).id);
      const listed = await store.events.listByCustomer(customerAt(0).id);
      expect(listed.map((event) => event.id).sort()).toEqual(own.map((event) => event.id).sort());
      const times = listed.map((event) => Date.parse(event.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const from = '2026-06-01T00:00:00+08:00';
      const inRange = await store.events.listByCustomer(customerAt(0).id, { from });
      expect(inRange.every((event) => Date.parse(event.occurredAt) >= Date.parse(from))).toBe(true);
      expect(inRange.length).toBe(own.filter((event) => Date.parse(event.occurredAt) >= Date.parse(from)).length);
    });

    describe('tier changes', () => {
      it('answers who was high_end on a given day', async () => {
        await store.tierChanges.append([
          tierChange('C1', 'mid', '2026-01-01'),
          tierChange('C1', 'high_end', '2026-05-01', 'mid'),
          tierChange('C2', 'high_end', '2026-03-01'),
          tierChange('C2', 'mid', '2026-06-15', 'high_end'),
          tierChange('C3', 'high_end', '2026-07-01'),
        ]);
        expect(await store.tierChanges.customersInTierOn('high_end', '2026-06-30')).toEqual(['C1']);
        expect(await store.tierChanges.customersInTierOn('high_end', '2026-04-30')).toEqual(['C2']);
        expect(await store.tierChanges.tierOn('C2', '2026-06-15')).toBe('mid');
        expect(await store.tierChanges.tierOn('C3', '2026-06-30')).toBeUndefined();
        expect((await store.tierChanges.historyOf('C1')).map((change) => change.tier)).toEqual(['mid', 'high_end']);
      });

      it('lets the later of two changes on the same day win', async () => {
        await store.tierChanges.append([tierChange('C9', 'mid', '2026-02-01')]);
        await store.tierChanges.append([tierChange('C9', 'effective', '2026-02-01', 'mid')]);
        expect(await store.tierChanges.tierOn('C9', '2026-02-01')).toBe('effective');
      });

      it('agrees with a reference model for any history', async () => {
        const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
        const change = fc.record({ customer: fc.constantFrom('a', 'b', 'c'), tier: fc.constantFrom('mid', 'high_end', 'private'), day });
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(change, { maxLength: 12 }), day, async (changes, asked) => {
            run += 1;
            const id = (customer: string) => `P${run}-${customer}`;
            await store.tierChanges.append(changes.map((c) => tierChange(id(c.customer), c.tier, c.day)));
            for (const customer of ['a', 'b', 'c']) {
              const effective = changes.filter((c) => c.customer === customer && c.day <= asked);
              // The latest day wins; among changes on that day, the last appended.
              const latest = effective.reduce<(typeof effective)[number] | undefined>((best, c) => (best === undefined || c.day >= best.day ? c : best), undefined);
              expect(await store.tierChanges.tierOn(id(customer), asked)).toBe(latest?.tier);
            }
          }),
          { numRuns: 25 },
        );
      });
    });

    it('answers segment membership on a day from the append-only history', async () => {
      await store.memberships.append([
        membership('elderly', 'C1', 'joined', '2026-01-01'),
        membership('elderly', 'C2', 'joined', '2026-02-01'),
        membership('elderly', 'C1', 'left', '2026-04-01'),
        membership('payroll', 'C1', 'joined', '2026-01-01'),
      ]);
      expect(await store.memberships.membersOn('elderly', '2026-03-31')).toEqual(['C1', 'C2']);
      expect(await store.memberships.membersOn('elderly', '2026-04-01')).toEqual(['C2']);
      expect(await store.memberships.membersOn('elderly', '2025-12-31')).toEqual([]);
      expect((await store.memberships.historyOf('C1')).map((change) => `${change.segmentId}:${change.change}`)).toEqual([
        'elderly:joined',
        'payroll:joined',
        'elderly:left',
      ]);
    });

    it('records each contact once, oldest first', async () => {
      await store.contactRecords.append([contact('K2', '2026-05-02T10:00:00+08:00'), contact('K1', '2026-05-01T10:00:00+08:00')]);
      await store.contactRecords.append([{ ...contact('K1', '2026-05-01T10:00:00+08:00'), outcome: 'sold' }]);
      const listed = await store.contactRecords.listByCustomer(customerAt(1).id);
      expect(listed.map((record) => `${record.id}:${record.outcome}`)).toEqual(['K1:reached', 'K2:reached']);
    });

    describe('outbox', () => {
      const at = (minute: number): string => new Date(Date.UTC(2026, 4, 1, 10, minute)).toISOString();

      it('queues messages once per id, oldest first, and keeps the first of a repeated id', async () => {
        await store.outbox.enqueue([outboxMessage('O2', '2026-05-02T10:00:00Z'), outboxMessage('O1', '2026-05-01T10:00:00Z')]);
        expect((await store.outbox.pending()).map((message) => message.id)).toEqual(['O1', 'O2']);
        expect(await store.outbox.markSent('O1', '2026-05-03T10:00:00Z')).toBe(true);
        await store.outbox.enqueue([{ ...outboxMessage('O1', '2026-05-01T10:00:00Z'), payload: { template: 'other' } }]);
        const sent = await store.outbox.get('O1');
        expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: '2026-05-03T10:00:00Z', payload: { template: 'maturity-reminder' } });
        expect(sent?.claimedBy).toBeUndefined();
        expect((await store.outbox.pending()).map((message) => message.id)).toEqual(['O2']);
      });

      it('claims due messages for one worker, earliest first, and honours channels and limits', async () => {
        await store.outbox.enqueue([
          outboxMessage('A', at(2)),
          outboxMessage('B', at(1)),
          { ...outboxMessage('E', at(0)), channel: 'email' },
          { ...outboxMessage('L', at(0)), nextAttemptAt: at(30) },
        ]);
        const first = await store.outbox.claim({ workerId: 'w1', now: at(10), limit: 2, leaseMs: 60_000, channels: ['sms'] });
        expect(first.map((message) => message.id)).toEqual(['B', 'A']);
        expect(first[0]).toMatchObject({ status: 'sending', claimedBy: 'w1', attempts: 1, leaseUntil: at(11) });
        expect(await store.outbox.claim({ workerId: 'w2', now: at(10), limit: 10, leaseMs: 60_000, channels: ['sms'] })).toEqual([]);
        expect(await store.outbox.claim({ workerId: 'w2', now: at(10), limit: 10, leaseMs: 60_000, channels: [] })).toEqual([]);
        expect((await store.outbox.claim({ workerId: 'w2', now: at(10), limit: 10, leaseMs: 60_000 })).map((message) => message.id)).toEqual(['E']);
        expect(await store.outbox.nextDueAt({ channels: ['sms'] })).toBe(at(11));
        expect(await store.outbox.nextDueAt({ channels: ['phone'] })).toBeUndefined();
        expect(await store.outbox.nextDueAt({ channels: ['sms'], includeLeases: false })).toBe(at(30));
        // At 10:30 the leases of A and B (ended 10:11) are due before L (10:30); all come back oldest first.
        expect((await store.outbox.claim({ workerId: 'w2', now: at(30), limit: 2, leaseMs: 60_000, channels: ['sms'] })).map((m) => m.id)).toEqual(['B', 'A']);
        expect((await store.outbox.claim({ workerId: 'w2', now: at(30), limit: 5, leaseMs: 60_000, channels: ['sms'] })).map((m) => m.id)).toEqual(['L']);
      });

      it('lets only the worker holding a message settle it', async () => {
        await store.outbox.enqueue([outboxMessage('S', at(0))]);
        await store.outbox.claim({ workerId: 'w1', now: at(1), limit: 1, leaseMs: 60_000 });
        expect(await store.outbox.markSent('S', at(2), { workerId: 'w2' })).toBe(false);
        expect(await store.outbox.markSent('S', at(2), { workerId: 'w1', providerMessageId: 'gw-17' })).toBe(true);
        expect(await store.outbox.get('S')).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'gw-17', sentAt: at(2) });
        expect(await store.outbox.markRejected('S', 'late', at(3))).toBe(false);
        expect(await store.outbox.scheduleRetry('S', at(3), 'late')).toBe(false);
      });

      it('settles many claimed messages at once, each only while its own claim holds', async () => {
        await store.outbox.enqueue(['M1', 'M2', 'M3', 'M4', 'M5'].map((id) => outboxMessage(id, at(0))));
        await store.outbox.scheduleRetry('M5', at(0), 'HTTP 503');
        const claimed = await store.outbox.claim({ workerId: 'w1', now: at(1), limit: 5, leaseMs: 600_000 });
        const [m1, m2, m3, m4, m5] = ['M1', 'M2', 'M3', 'M4', 'M5'].map((id) => claimed.find((message) => message.id === id));
        if (m1 === undefined || m2 === undefined || m3 === undefined || m4 === undefined || m5 === undefined) throw new Error('all five were claimed');
        // w1 hands M3 back and w2 takes it; M4 was settled on its own meanwhile.
        expect(await store.outbox.claim({ workerId: 'w2', now: at(3), limit: 1, leaseMs: 60_000, channels: ['sms'] })).toEqual([]);
        expect(await store.outbox.release('M3', at(1), { workerId: 'w1' })).toBe(true);
        expect((await store.outbox.claim({ workerId: 'w2', now: at(3), limit: 1, leaseMs: 60_000 })).map((message) => message.id)).toEqual(['M3']);
        expect(await store.outbox.markRejected('M4', 'no_address', at(2), { workerId: 'w1' })).toBe(true);
        const changed = await store.outbox.settleClaimed(
          [
            { message: m1, outcome: { type: 'sent', at: at(4), providerMessageId: 'gw-1' } },
            { message: m2, outcome: { type: 'retry', at: at(9), error: 'HTTP 429' } },
            { message: m3, outcome: { type: 'sent', at: at(4) } },
            { message: m4, outcome: { type: 'sent', at: at(4) } },
            { message: m5, outcome: { type: 'sent', at: at(4) } },
          ],
          'w1',
        );
        expect(changed).toEqual([true, true, false, false, true]);
        expect(await store.outbox.get('M1')).toMatchObject({ status: 'sent', attempts: 1, sentAt: at(4), providerMessageId: 'gw-1' });
        expect((await store.outbox.get('M1'))?.claimedBy).toBeUndefined();
        expect(await store.outbox.get('M2')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(9), lastError: 'HTTP 429' });
        expect(await store.outbox.get('M3')).toMatchObject({ status: 'sending', claimedBy: 'w2', attempts: 1 });
        expect(await store.outbox.get('M4')).toMatchObject({ status: 'rejected', reason: 'no_address' });
        // What the message carried from before its claim (the last error) stays with it.
        expect(await store.outbox.get('M5')).toMatchObject({ status: 'sent', attempts: 2, lastError: 'HTTP 503' });
        expect(await store.outbox.nextDueAt({ includeLeases: false })).toBe(at(9));
        expect(await store.outbox.settleClaimed([{ message: m1, outcome: { type: 'sent', at: at(5) } }], 'w1')).toEqual([false]);
        expect(await store.outbox.settleClaimed([], 'w1')).toEqual([]);
        const read = await store.outbox.getMany(['M2', 'missing', 'M1', 'M2']);
        expect(read.map((message) => `${message.id}:${message.status}`).sort()).toEqual(['M1:sent', 'M2:pending']);
        expect(await store.outbox.getMany([])).toEqual([]);
      });

      it('hands a message whose lease ran out to the next worker and fences off the first', async () => {
        await store.outbox.enqueue([outboxMessage('K', at(0))]);
        await store.outbox.claim({ workerId: 'killed', now: at(1), limit: 5, leaseMs: 60_000 });
        expect(await store.outbox.claim({ workerId: 'w2', now: at(1), limit: 5, leaseMs: 60_000 })).toEqual([]);
        const reclaimed = await store.outbox.claim({ workerId: 'w2', now: at(2), limit: 5, leaseMs: 60_000 });
        expect(reclaimed).toEqual([expect.objectContaining({ id: 'K', claimedBy: 'w2', attempts: 2 })]);
        expect(await store.outbox.scheduleRetry('K', at(5), 'timeout', { workerId: 'killed' })).toBe(false);
        expect(await store.outbox.markRejected('K', 'no_address', at(3), { workerId: 'w2' })).toBe(true);
        expect(await store.outbox.get('K')).toMatchObject({ status: 'rejected', reason: 'no_address', rejectedAt: at(3), attempts: 2 });
      });

      it('schedules retries, dead-letters, replays and counts by state', async () => {
        await store.outbox.enqueue([outboxMessage('R', at(0)), outboxMessage('D', at(0)), outboxMessage('P', at(0))]);
        await store.outbox.claim({ workerId: 'w1', now: at(1), limit: 3, leaseMs: 600_000 });
        expect(await store.outbox.scheduleRetry('D', at(9), 'HTTP 503', { workerId: 'w1' })).toBe(true);
        const retried = await store.outbox.get('D');
        expect(retried).toMatchObject({ status: 'pending', nextAttemptAt: at(9), lastError: 'HTTP 503', attempts: 1 });
        expect(retried?.claimedBy).toBeUndefined();
        expect(await store.outbox.claim({ workerId: 'w1', now: at(5), limit: 5, leaseMs: 60_000 })).toEqual([]);
        expect(await store.outbox.claim({ workerId: 'w1', now: at(9), limit: 5, leaseMs: 1_000 })).toEqual([expect.objectContaining({ id: 'D', attempts: 2 })]);
        expect(await store.outbox.markDead('D', 'max_attempts: HTTP 503', at(10), { workerId: 'w1' })).toBe(true);
        expect(await store.outbox.countByStatus()).toEqual({ pending: 0, sending: 2, sent: 0, rejected: 0, dead: 1 });
        expect((await store.outbox.deadLetters()).map((message) => [message.id, message.reason])).toEqual([['D', 'max_attempts: HTTP 503']]);
        expect(await store.outbox.replay('R', at(11))).toBe(false);
        expect(await store.outbox.replay('D', at(11))).toBe(true);
        expect(await store.outbox.replay('D', at(12))).toBe(false);
        const replayed = await store.outbox.get('D');
        expect(replayed).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(11), replays: 1, replayedAt: at(11), lastError: 'HTTP 503' });
        expect(replayed?.reason).toBeUndefined();
        expect(await store.outbox.deadLetters()).toEqual([]);
        expect((await store.outbox.claim({ workerId: 'w3', now: at(11), limit: 1, leaseMs: 1_000, channels: ['sms'] })).map((m) => m.id)).toEqual(['D']);
      });

      it('takes back a claimed message unsent, returning the attempt its claim counted', async () => {
        await store.outbox.enqueue([outboxMessage('U', at(0))]);
        expect(await store.outbox.release('U', at(1))).toBe(false);
        await store.outbox.claim({ workerId: 'w1', now: at(1), limit: 1, leaseMs: 60_000 });
        expect(await store.outbox.release('U', at(5), { workerId: 'w2' })).toBe(false);
        expect(await store.outbox.release('U', at(5), { workerId: 'w1' })).toBe(true);
        expect(await store.outbox.get('U')).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(5) });
        expect(await store.outbox.nextDueAt()).toBe(at(5));
      });

      it('pages dead letters in id order', async () => {
        const ids = ['D3', 'D1', 'D2'];
        await store.outbox.enqueue(ids.map((id) => outboxMessage(id, at(0))));
        for (const id of ids) await store.outbox.markDead(id, 'channel_unavailable', at(1));
        const firstPage = await store.outbox.deadLetters({ limit: 2 });
        expect(firstPage.map((message) => message.id)).toEqual(['D1', 'D2']);
        expect((await store.outbox.deadLetters({ afterId: 'D2' })).map((message) => message.id)).toEqual(['D3']);
      });

      it('never hands one message to two workers claiming at the same time', async () => {
        const messages = Array.from({ length: 60 }, (_, index) => outboxMessage(`C${String(index).padStart(3, '0')}`, at(index % 7)));
        await store.outbox.enqueue(messages);
        const workers = ['w1', 'w2', 'w3', 'w4'];
        const taken = new Map<string, string>();
        for (let round = 0; round < 6; round += 1) {
          const claims = await Promise.all(workers.map((workerId) => store.outbox.claim({ workerId, now: at(20), limit: 7, leaseMs: 600_000 })));
          claims.forEach((claimed, index) => {
            for (const message of claimed) {
              expect(taken.get(message.id)).toBeUndefined();
              taken.set(message.id, workers[index] ?? '');
            }
          });
        }
        expect(taken.size).toBe(60);
        const counts = await store.outbox.countByStatus();
        expect(counts.sending).toBe(60);
      });
    });

    it('numbers audit entries in write order and filters them', async () => {
      const entry = (actor: string, subject: string): AuditEntry => ({ at: recordedAt, actor, action: 'view', subject });
      await store.auditLog.append([entry('manager:M1', 'customer:C1'), entry('manager:M2', 'customer:C1')]);
      await store.auditLog.append([entry('manager:M1', 'customer:C2')]);
      const all = await store.auditLog.list();
      expect(all.map((e) => e.sequence)).toEqual([...all.map((e) => e.sequence)].sort((a, b) => a - b));
      expect(all.map((e) => e.subject)).toEqual(['customer:C1', 'customer:C1', 'customer:C2']);
      expect((await store.auditLog.list({ actor: 'manager:M1' })).map((e) => e.subject)).toEqual(['customer:C1', 'customer:C2']);
      const first = all[0]?.sequence ?? 0;
      expect(await store.auditLog.list({ afterSequence: first, subject: 'customer:C1' })).toHaveLength(1);
    });

    it('keeps plugin state by key and prefix, with % and _ meaning themselves', async () => {
      await store.pluginState.set('tiering/thresholds', { effective: 10_000 });
      await store.pluginState.set('tiering/100%_done', true);
      await store.pluginState.set('tieringX/other', 1);
      await store.pluginState.set('groups/elderlyAge', 60);
      expect(await store.pluginState.get('tiering/thresholds')).toEqual({ effective: 10_000 });
      expect((await store.pluginState.entries('tiering/')).map(([key]) => key)).toEqual(['tiering/100%_done', 'tiering/thresholds']);
      await store.pluginState.delete('tiering/thresholds');
      expect(await store.pluginState.get('tiering/thresholds')).toBeUndefined();
    });

    it('backs core’s StateStorage, written through to the store', async () => {
      const state = await StoredStateStorage.open(store.pluginState);
      state.set('featured-groups/elderlyAge', 65);
      await state.flush();
      const again = await StoredStateStorage.open(store.pluginState);
      expect(again.get('featured-groups/elderlyAge')).toBe(65);
      expect(again.keys('featured-groups/')).toEqual(['featured-groups/elderlyAge']);
    });

    describe('transactions', () => {
      it('keeps everything a transaction wrote once it returns', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.customers.upsert(customers.slice(0, 5));
          await tx.outbox.enqueue([outboxMessage('O1', recordedAt)]);
          return 'done';
        });
        expect(result).toBe('done');
        expect(await store.customers.count()).toBe(5);
        expect(await store.outbox.get('O1')).toBeDefined();
      });

      it('keeps nothing a transaction wrote when it throws', async () => {
        await store.customers.upsert([customerAt(0)]);
        const failure = store.transaction(async (tx) => {
          await tx.customers.upsert(customers.slice(1, 2_000));
          await tx.customers.upsert([{ ...customerAt(0), tags: ['changed'] }]);
          await tx.tierChanges.append([tierChange(customerAt(0).id, 'high_end', '2026-06-30')]);
          await tx.outbox.enqueue([outboxMessage('O1', recordedAt)]);
          await tx.auditLog.append([{ at: recordedAt, actor: 'system', action: 'assign', subject: 'customer:C1' }]);
          throw new Error('the approval was withdrawn');
        });
        await expect(failure).rejects.toThrow('the approval was withdrawn');
        expect(await store.customers.count()).toBe(1);
        expect(await store.customers.get(customerAt(0).id)).toEqual(customerAt(0));
        expect(await store.tierChanges.historyOf(customerAt(0).id)).toEqual([]);
        expect(await store.outbox.get('O1')).toBeUndefined();
        expect(await store.auditLog.list()).toEqual([]);
      });

      it('runs the next transaction normally after one failed', async () => {
        await expect(store.transaction(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
        await store.transaction(async (tx) => tx.customers.upsert([customerAt(0)]));
        expect(await store.customers.count()).toBe(1);
      });
    });

    it('refuses to work once closed, with a code to branch on', async () => {
      await store.close();
      const error: unknown = await store.customers.count().catch((thrown: unknown) => thrown);
      expect(isKequnError(error, 'KQ_STORE_CLOSED')).toBe(true);
      store = await subject.open();
    });

    if (subject.reopen !== undefined) {
      const reopen = subject.reopen;
      it('still holds everything after closing and opening again', async () => {
        await store.customers.upsert(customers.slice(0, 3));
        await store.tierChanges.append([tierChange('C1', 'high_end', '2026-06-30')]);
        await store.close();
        store = await reopen();
        expect(await store.customers.get(customerAt(2).id)).toEqual(customerAt(2));
        expect(await store.tierChanges.tierOn('C1', '2026-07-01')).toBe('high_end');
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      });
    }
  });
}

export { describeCrashSafety, type CrashSubject } from './crash-safety.js';
export { describeSqlStoreContract } from './sql-store.js';
