// Test data the synthetic bank does not start with: hand-off cases in each state the queue shows
// (filed for a decision; approved on different days, so first contact is overdue, due soon or on
// time), written through the server's own book service as the monthly hand-off job would.
import type { startKequnServer } from '@kequn/server';

type RunningServer = Awaited<ReturnType<typeof startKequnServer>>;

export interface SeededHandoffs {
  /** The branch of every seeded case. */
  branchId: string;
  /** The operations manager (an approver) of that branch. */
  approverId: string;
  /** Cases filed and waiting for a decision: filed 2026-10-02, 2026-10-28, then 2026-10-31. */
  filed: string[];
  /** Approved cases by first-contact deadline: before, on and after the day the tests look from. */
  awaiting: { overdue: string; dueSoon: string; onTime: string };
}

/** Opens and files `filedCount + 3` hand-offs of mid-tier customers moving up, and approves three. */
export async function seedHandoffs(
  server: RunningServer,
  filedCount: number,
): Promise<SeededHandoffs> {
  const state = server.state;
  const branchId = 'BR001';
  const managers = state.managers.filter((manager) => manager.branchId === branchId);
  const approver = managers.find((manager) => manager.role === 'operations_manager');
  const receiver = managers.find((manager) => manager.role === 'vip_wealth_manager');
  if (approver === undefined || receiver === undefined)
    throw new Error(`seedHandoffs: ${branchId} has no operations manager or VIP wealth manager`);
  const senders = new Set(
    managers.filter((manager) => manager.role === 'counter_wealth_manager').map((m) => m.id),
  );
  const customers = await state.store.customers.list({ limit: 2_000 });
  const candidates = customers.filter(
    (customer) =>
      customer.branchId === branchId &&
      customer.relationshipManagerId !== null &&
      senders.has(customer.relationshipManagerId),
  );
  const wanted = filedCount + 3;
  if (candidates.length < wanted) throw new Error('seedHandoffs: not enough customers to hand off');
  const books = state.books();
  // Filing days: the three later approved, then the cases left to decide, whose approval SLA (five
  // days from filing, seen from 2026-10-31) is overdue, due soon and on time in that order.
  const filingDays = [
    '2026-10-02T09:00:00+08:00',
    '2026-10-02T09:00:00+08:00',
    '2026-10-02T09:00:00+08:00',
    '2026-10-02T09:00:00+08:00',
    '2026-10-28T09:00:00+08:00',
  ];
  const ids: string[] = [];
  for (const customer of candidates.slice(0, wanted)) {
    const opened = await books.openHandoff({
      customerId: customer.id,
      fromTier: 'mid',
      toTier: 'high_end',
      basis: 520_000,
      at: '2026-10-01T09:00:00+08:00',
    });
    if (opened === undefined) continue;
    await books.fileHandoff(opened.id, {
      by: customer.relationshipManagerId ?? '',
      receiverId: receiver.id,
      at: filingDays[ids.length] ?? '2026-10-31T09:00:00+08:00',
    });
    ids.push(opened.id);
  }
  const [overdue, dueSoon, onTime, ...filed] = ids;
  if (overdue === undefined || dueSoon === undefined || onTime === undefined)
    throw new Error('seedHandoffs: fewer cases opened than needed');
  const approve = (id: string, at: string) => books.approveHandoff(id, { by: approver.id, at });
  await approve(overdue, '2026-10-20T10:00:00+08:00');
  await approve(dueSoon, '2026-10-29T10:00:00+08:00');
  await approve(onTime, '2026-10-31T10:00:00+08:00');
  return { branchId, approverId: approver.id, filed, awaiting: { overdue, dueSoon, onTime } };
}
