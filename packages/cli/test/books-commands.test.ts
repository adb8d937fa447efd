// The managed-book commands on a persistent store: each `kequn …` call is a fresh program (as a
// fresh process would be) on the same temporary SQLite file, so a step one call takes must be
// visible to the next.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSqlBookStore,
  customerBasis,
  type AllocationRun,
  type CompletenessFigures,
  type HandoffCase,
  type PlanItem,
  type ReclaimFlag,
} from '@kequn/books';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createProgram } from '../src/index.js';

let directory: string;
let store: string;
let database: string;

/** Runs one `kequn` command line in a new program, as a separate process would. */
async function kequn(...args: string[]): Promise<string> {
  const written: string[] = [];
  const errors: string[] = [];
  const program = createProgram({ write: (text) => void written.push(text) });
  const commands = [program];
  // Commander copies these settings to subcommands only when they are created, so set them on each.
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    if (command === undefined) continue;
    command.exitOverride().configureOutput({
      writeOut: (text) => void written.push(text),
      writeErr: (text) => void errors.push(text),
    });
    commands.push(...command.commands);
  }
  try {
    await program.parseAsync([...args, '--store', store], { from: 'user' });
  } catch (error) {
    throw new Error(`kequn ${args.join(' ')} failed: ${errors.join('')}`, { cause: error });
  }
  return written.join('');
}

async function json<T>(...args: string[]): Promise<T> {
  return JSON.parse(await kequn(...args, '--json')) as T;
}

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/**
 * Gives the tests of one describe block their own store, seeded with a small bank by the first
 * command that finds it empty (an applied allocation run changes who can be handed over).
 */
function freshStore(name: string): void {
  beforeAll(async () => {
    database = join(directory, `${name}.db`);
    store = `sqlite:${database}`;
    await kequn('assign', 'list', '--customers', '2000', '--seed', '7');
  });
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kequn-books-'));
});

async function customerManager(customerId: string): Promise<string | null | undefined> {
  const opened = await openSqliteStore({ path: database });
  try {
    return (await opened.customers.get(customerId))?.relationshipManagerId;
  } finally {
    await opened.close();
  }
}

async function storedRun(runId: string): Promise<AllocationRun | undefined> {
  const opened = await openSqliteStore({ path: database });
  try {
    return await createSqlBookStore(opened.sql).getRun(runId);
  } finally {
    await opened.close();
  }
}

async function firstOperationsManager(): Promise<string> {
  const opened = await openSqliteStore({ path: database });
  try {
    const managers = await opened.managers.list({ limit: 1000 });
    const manager = managers.find((candidate) => candidate.role === 'operations_manager');
    if (manager === undefined) throw new Error('the seeded bank has no operations manager');
    return manager.id;
  } finally {
    await opened.close();
  }
}

describe('kequn assign on a persistent store', () => {
  freshStore('assign');

  it('proposes, approves and applies a run across separate invocations', async () => {
    const approver = await firstOperationsManager();
    const proposed = await json<AllocationRun & { changes: number }>('assign', 'propose');
    expect(proposed.status).toBe('proposed');
    expect(proposed.changes).toBeGreaterThan(0);

    const approved = await json<AllocationRun>('assign', 'approve', proposed.id, '--by', approver);
    expect(approved).toMatchObject({ status: 'approved', approval: { by: approver } });

    const applied = await json<AllocationRun>('assign', 'apply', proposed.id);
    expect(applied.status).toBe('applied');

    const runs = await json<AllocationRun[]>('assign', 'list');
    expect(runs.find((run) => run.id === proposed.id)).toMatchObject({
      status: 'applied',
      approval: { by: approver },
    });
    const table = await kequn('assign', 'list', '--locale', 'en');
    expect(table).toContain(proposed.id);
    expect(table).toContain('applied');

    const stored = await storedRun(proposed.id);
    const moved = stored?.proposals.find((proposal) => proposal.kind !== 'kept');
    if (moved === undefined) throw new Error('the run moved nobody');
    expect(await customerManager(moved.customerId)).toBe(moved.toManagerId);
  });

  it('rejects a --by who is not an approver, naming the option and the manager', async () => {
    const run = await json<AllocationRun>('assign', 'propose', '--as-of', '2026-12-31');
    const opened = await openSqliteStore({ path: database });
    const managers = await opened.managers.list({ limit: 1000 });
    await opened.close();
    const adviser = managers.find(
      (manager) => manager.role !== 'operations_manager' && manager.role !== 'branch_head',
    );
    if (adviser === undefined) throw new Error('the seeded bank has only approvers');

    const failure = kequn('assign', 'approve', run.id, '--by', adviser.id);
    await expect(failure).rejects.toThrow(`--by "${adviser.id}"`);
    await expect(failure).rejects.toThrow(adviser.role);
    const after = await json<AllocationRun[]>('assign', 'list');
    expect(after.find((candidate) => candidate.id === run.id)?.status).toBe('proposed');
  });
});

describe('kequn handoffs on a persistent store', () => {
  freshStore('handoffs');

  it('lists a case approved in one invocation as approved in the next', async () => {
    const { filed } = await json<{ filed: HandoffCase[] }>('handoffs', 'open');
    const [handoff] = filed;
    if (handoff === undefined) throw new Error('no customer crossed the hand-off bar');
    expect(handoff.status).toBe('filed');

    const approver = await firstOperationsManager();
    await kequn('handoffs', 'approve', handoff.id, '--by', approver);

    const { cases } = await json<{ cases: HandoffCase[] }>('handoffs');
    expect(cases.find((candidate) => candidate.id === handoff.id)).toMatchObject({
      status: 'awaiting_first_contact',
      approval: { by: approver },
    });
    expect(await customerManager(handoff.customerId)).toBe(handoff.receiverId);
    const table = await kequn('handoffs', 'list', '--locale', 'en', '--overdue-on', '2026-11-30');
    expect(table).toMatch(new RegExp(`${handoff.id}.*awaiting_first_contact.*overdue`));
  });

  it('refuses to reject without a reason, naming the option', async () => {
    await expect(
      kequn('handoffs', 'reject', 'handoff-none', '--by', await firstOperationsManager()),
    ).rejects.toThrow('--reason');
  });
});

describe('kequn plan on a persistent store', () => {
  freshStore('plan');

  it('drops a customer from the daily list once a contact is recorded', async () => {
    const opened = await openSqliteStore({ path: database });
    const managers = await opened.managers.list({ limit: 1000 });
    await opened.close();
    const manager = managers.find((candidate) => candidate.role === 'counter_wealth_manager');
    if (manager === undefined) throw new Error('the seeded bank has no counter wealth manager');

    const before = await json<{ today: PlanItem[] }>('plan', '--manager', manager.id);
    // A cadence item is due only because nobody reached the customer lately; a contact clears it.
    const item = before.today.find((candidate) =>
      candidate.reasons.every((reason) => reason.kind === 'cadence'),
    );
    if (item === undefined) throw new Error(`nothing on ${manager.id}'s list is due by cadence`);

    await kequn(
      'plan',
      'record',
      '--customer',
      item.customerId,
      '--manager',
      manager.id,
      '--channel',
      'phone',
      '--outcome',
      'reached',
      '--note',
      'talked about the maturing deposit',
    );

    const after = await json<{ today: PlanItem[] }>('plan', '--manager', manager.id);
    expect(after.today.map((candidate) => candidate.customerId)).not.toContain(item.customerId);
    expect(after.today.length).toBe(before.today.length - 1);
  });

  it('rejects an unknown channel, naming the option and the value', async () => {
    await expect(
      kequn(
        'plan',
        'record',
        '--customer',
        'C1',
        '--manager',
        'M1',
        '--channel',
        'fax',
        '--outcome',
        'reached',
      ),
    ).rejects.toThrow("'--channel <channel>' argument 'fax' is invalid");
  });

  it('reports KPIs from the stored bank, with the recorded contacts counted', async () => {
    const report = await json<{ bank: { customers: number; contactCoverage: number | null } }>(
      'kpi',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
    );
    expect(report.bank.customers).toBe(2000);
    expect(report.bank.contactCoverage).toBeGreaterThan(0);
    await expect(kequn('kpi', '--from', '2026-11-01', '--to', '2026-10-01')).rejects.toThrow(
      '--from 2026-11-01 is after --to 2026-10-01',
    );
  });
});

describe('kequn assign reclaim on a persistent store', () => {
  freshStore('reclaim');

  type ReclaimRow = ReclaimFlag & { lastEffectiveContactAt: string | null };

  async function flagged(): Promise<ReclaimRow[]> {
    return (await json<{ flagged: ReclaimRow[] }>('assign', 'reclaim')).flagged;
  }

  it('lists the neglected customers per manager by id, without names or phones', async () => {
    const rows = await flagged();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.daysWithoutContact !== null) expect(row.daysWithoutContact).toBeGreaterThan(90);
      expect(await customerManager(row.customerId)).toBe(row.managerId);
    }
    const [first] = rows;
    if (first === undefined) throw new Error('nobody flagged');
    const opened = await openSqliteStore({ path: database });
    const customer = await opened.customers.get(first.customerId);
    await opened.close();
    if (customer === undefined) throw new Error(`${first.customerId} is not in the store`);

    const table = await kequn('assign', 'reclaim', '--locale', 'en');
    expect(table).toMatch(new RegExp(`${first.managerId}\\s*│\\s*${first.customerId}`));
    expect(table).not.toContain(customer.profile.name);
    expect(table).not.toContain(customer.profile.phone);
  });

  it('refuses a --by who is not an operations manager or branch head, reclaiming nobody', async () => {
    const [row] = await flagged();
    if (row === undefined) throw new Error('nobody flagged');
    const failure = kequn('assign', 'reclaim', '--apply', '--by', row.managerId);
    await expect(failure).rejects.toThrow(`--by "${row.managerId}"`);
    await expect(failure).rejects.toThrow('reclaims need one of: operations_manager, branch_head');
    expect(await customerManager(row.customerId)).toBe(row.managerId);
    await expect(kequn('assign', 'reclaim', '--apply')).rejects.toThrow('--apply needs --by');
  });

  it('refuses to reclaim a customer who is not flagged, naming --customer', async () => {
    const rows = await flagged();
    const opened = await openSqliteStore({ path: database });
    const customers = await opened.customers.list({ limit: 1000 });
    await opened.close();
    const contacted = customers.find(
      (customer) =>
        customer.relationshipManagerId !== null &&
        !rows.some((row) => row.customerId === customer.id),
    );
    if (contacted === undefined) throw new Error('every managed customer is flagged');
    await expect(
      kequn(
        'assign',
        'reclaim',
        '--apply',
        '--by',
        await firstOperationsManager(),
        '--customer',
        contacted.id,
      ),
    ).rejects.toThrow(`--customer "${contacted.id}" is not flagged for reclaim`);
    expect(await customerManager(contacted.id)).toBe(contacted.relationshipManagerId);
  });

  it('reclaims flagged customers, and the next run re-allocates them to another manager', async () => {
    const opened = await openSqliteStore({ path: database });
    const inScope = new Set<string>();
    for (const row of await flagged()) {
      const customer = await opened.customers.get(row.customerId);
      if (customer !== undefined && customerBasis(customer) >= 50_000) inScope.add(customer.id);
    }
    await opened.close();
    const chosen = (await flagged()).filter((row) => inScope.has(row.customerId)).slice(0, 4);
    if (chosen.length === 0)
      throw new Error('no flagged customer is in an allocation rule’s scope');

    const approver = await firstOperationsManager();
    const ids = chosen.map((row) => row.customerId);
    const { reclaimed } = await json<{ reclaimed: ReclaimRow[] }>(
      'assign',
      'reclaim',
      '--apply',
      '--by',
      approver,
      '--customer',
      ...ids,
    );
    expect(reclaimed.map((row) => row.customerId)).toEqual(ids);
    for (const id of ids) expect(await customerManager(id)).toBeNull();
    const stillFlagged = (await flagged()).map((row) => row.customerId);
    for (const id of ids) expect(stillFlagged).not.toContain(id);

    const run = await json<AllocationRun>('assign', 'propose', '--by', approver, '--approve');
    expect(run.status).toBe('applied');
    for (const row of chosen) {
      const manager = await customerManager(row.customerId);
      expect(manager).not.toBeNull();
      expect(manager).not.toBe(row.managerId);
    }
    const afterwards = (await flagged()).map((row) => row.customerId);
    for (const id of ids) expect(afterwards).not.toContain(id);
  });
});

describe('kequn kpi profile completeness', () => {
  freshStore('completeness');

  type Row = { completeness: CompletenessFigures | null };
  type Report = {
    completeness: { bank: CompletenessFigures } | null;
    branches: Row[];
    managers: Row[];
  };

  function expectRates(figures: CompletenessFigures): void {
    for (const band of [figures.high_end, figures.mid]) {
      if (band.rate === null) continue;
      expect(band.rate).toBeGreaterThanOrEqual(0);
      expect(band.rate).toBeLessThanOrEqual(1);
    }
  }

  it('reports completeness per branch and manager against the targets, between 0 and 100%', async () => {
    const report = await json<Report>('kpi');
    if (report.completeness === null) throw new Error('completeness was not measured');
    expect(report.completeness.bank.high_end.target).toBe(1);
    expect(report.completeness.bank.mid.target).toBe(0.7);
    expect(report.completeness.bank.mid.customers).toBeGreaterThan(0);
    expectRates(report.completeness.bank);
    const rows = [...report.branches, ...report.managers];
    expect(rows.some((row) => row.completeness !== null)).toBe(true);
    for (const row of rows) if (row.completeness !== null) expectRates(row.completeness);

    const percentages = /(\d+\.\d)%/g;
    const table = await kequn('kpi', '--locale', 'en');
    expect(table).toContain('Profile completeness (high-end / mid)');
    expect(table).toContain('Full files (target 100%)');
    expect(table).toContain('Full files (target ≥ 70%)');
    const managerTable = await kequn('kpi', '--per', 'manager');
    expect(managerTable).toContain('高端建档率（目标 100%）');
    for (const [, figure] of `${table}${managerTable}`.matchAll(percentages)) {
      expect(Number(figure)).toBeLessThanOrEqual(100);
    }

    const skipped = await json<Report>('kpi', '--no-events');
    expect(skipped.completeness).toBeNull();
  });
});
