// `kequn assign`, `kequn handoffs`, `kequn plan` and `kequn kpi`: the managed book (@kequn/books) on
// a persistent store, so a step taken by one command (an approval, a recorded contact) is there for
// the next. Each workflow step runs in one store transaction; each command is a thin shell over the SDK.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import Table from 'cli-table3';
import {
  channelKindSchema,
  contactRecordSchema,
  createKernel,
  CustomerModel,
  isKequnError,
  isoDateTime,
  KequnError,
  scanAll,
  type ChannelKind,
  type ContactRecord,
  type Customer,
  type CustomerEvent,
  type Kernel,
  type KequnStore,
  type Manager,
  type SqlStoreRepositories,
  type StoreRepositories,
} from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import { assignmentPlugin, type AssignmentExports } from '@kequn/plugin-assignment';
import {
  applyContact,
  classesFromModel,
  CompletenessTally,
  createBookService,
  createMemoryBookStore,
  createSqlBookStore,
  customerBasis,
  customerKpiFact,
  dailyList,
  describeReason,
  emptyContactState,
  formatBookSummary,
  KpiTally,
  migrateBookStore,
  profileCompleteness,
  segmentMembers,
  storeCustomerDirectory,
  type AllocationRun,
  type BookLocale,
  type BookService,
  type BookStore,
  type BookSummary,
  type CompletenessFigures,
  type CompletenessReport,
  type ContactState,
  type HandoffCase,
  type HandoffStatus,
  type KpiFigures,
  type KpiPeriod,
  type KpiReport,
  type ReclaimFlag,
} from '@kequn/books';
import { openStoreAt } from '../store-location.js';

interface Output {
  write(text: string): void;
}

/** Page size for streaming customers and managers out of the store. */
const PAGE = 5_000;

/** Written to the store's plugin state when this CLI seeded it, so `kpi` knows which events it holds. */
const SEED_KEY = 'books/cli-seed';

const handoffStatuses: readonly HandoffStatus[] = [
  'opened',
  'filed',
  'rejected',
  'awaiting_first_contact',
  'closed',
  'archived',
];

interface StoreOptions {
  store?: string;
  customers: number;
  seed: number;
  asOf: string;
  locale: BookLocale;
  json?: boolean;
}

/** A problem with what the user asked for, reported like a bad option: what was wrong and what to try. */
class BookCommandError extends KequnError {
  constructor(message: string) {
    super('KQ_CLI_BOOKS_OPTION', message);
    this.name = 'BookCommandError';
  }
}

// ── Option parsers ──────────────────────────────────────────────────────────────────────

function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(parsed) || parsed <= 0)
      throw new InvalidArgumentError(`${name} must be a whole number above 0, got "${value}".`);
    return parsed;
  };
}

function calendarDate(value: string): string {
  // Date.parse rolls 2026-02-30 over to 2 March, so only a date that survives the round trip is real.
  const parsed = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(parsed) ||
    new Date(parsed).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got "${value}".`);
  }
  return value;
}

function instant(value: string): string {
  if (isoDateTime.safeParse(value).success) return value;
  throw new InvalidArgumentError(
    `expected an ISO instant with an offset, e.g. 2026-10-31T09:00:00+08:00, got "${value}".`,
  );
}

function bookLocale(value: string): BookLocale {
  if (value === 'zh-CN' || value === 'en') return value;
  throw new InvalidArgumentError(`expected "zh-CN" or "en", got "${value}".`);
}

function channelKind(value: string): ChannelKind {
  const parsed = channelKindSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidArgumentError(
    `expected one of ${channelKindSchema.options.join(', ')}, got "${value}".`,
  );
}

type Outcome = ContactRecord['outcome'];
const outcomeSchema = contactRecordSchema.shape.outcome;

function contactOutcome(value: string): Outcome {
  const parsed = outcomeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidArgumentError(
    `expected one of ${outcomeSchema.options.join(', ')}, got "${value}".`,
  );
}

function handoffStatus(value: string): HandoffStatus {
  const status = handoffStatuses.find((candidate) => candidate === value);
  if (status !== undefined) return status;
  throw new InvalidArgumentError(`expected one of ${handoffStatuses.join(', ')}, got "${value}".`);
}

function withStoreOptions(command: Command): Command {
  return command
    .option(
      '--store <location>',
      'sqlite:<path>, postgres://… or memory: (default sqlite:./.kequn/kequn.db)',
    )
    .option(
      '--customers <n>',
      'size of the synthetic bank seeded into an empty store',
      positiveInteger('--customers'),
      20_000,
    )
    .option('--seed <n>', 'random seed of that synthetic bank', positiveInteger('--seed'), 42)
    .option('--as-of <date>', 'the date the book is judged on', calendarDate, '2026-10-31')
    .option('--locale <locale>', 'zh-CN or en', bookLocale, 'zh-CN')
    .option('--json', 'print JSON instead of tables');
}

/** `--at`, for the steps that record when they happened. */
function withAtOption(command: Command): Command {
  return command.option(
    '--at <instant>',
    'when the step happened (default: 09:00 China Standard Time on --as-of)',
    instant,
  );
}

/** Morning of the judged day, in China Standard Time, for steps taken without an explicit --at. */
function morningOf(date: string): string {
  return `${date}T09:00:00+08:00`;
}

// ── The session: a store, its book tables, its managers and a kernel ────────────────────

interface BookSession {
  store: KequnStore;
  kernel: Kernel;
  managers: Manager[];
  /** Used only by a store without SQL (memory:), which keeps the book for this process alone. */
  memoryBook: BookStore;
}

function hasSql(repositories: StoreRepositories): repositories is SqlStoreRepositories {
  return 'sql' in repositories;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

function seedMessage(options: StoreOptions): string {
  const where = options.store ?? 'sqlite:./.kequn/kequn.db';
  return options.locale === 'zh-CN'
    ? `存储 ${where} 中没有客户：已写入合成银行（${options.customers} 户，种子 ${options.seed}，含历史联系记录）。\n`
    : `The store ${where} held no customers: seeded it with a synthetic bank (${options.customers} customers, seed ${options.seed}, with its past contacts).\n`;
}

/**
 * Writes the synthetic bank into an empty store in one transaction: branches, managers, products,
 * customers and their past manager contacts (the contact plan's history). Other synthetic events
 * (transactions, logins: hundreds per customer) are left out to keep the store small.
 */
async function seedIfEmpty(store: KequnStore, options: StoreOptions): Promise<void> {
  if ((await store.customers.count()) > 0) return;
  process.stderr.write(seedMessage(options));
  const bank = createSyntheticBank({
    customers: options.customers,
    seed: options.seed,
    asOf: options.asOf,
  });
  await store.transaction(async (tx) => {
    await tx.branches.upsert(bank.branches);
    await tx.managers.upsert(bank.managers);
    await tx.products.upsert(bank.products);
    let customers: Customer[] = [];
    let contacts: CustomerEvent[] = [];
    for (const customer of bank.customers()) {
      customers.push(customer);
      for (const event of bank.eventsOf(customer))
        if (event.type === 'contact') contacts.push(event);
      if (customers.length < PAGE) continue;
      await tx.customers.upsert(customers);
      await tx.events.upsert(contacts);
      customers = [];
      contacts = [];
    }
    await tx.customers.upsert(customers);
    await tx.events.upsert(contacts);
    await tx.pluginState.set(SEED_KEY, {
      customers: options.customers,
      seed: options.seed,
      asOf: options.asOf,
      eventTypes: ['contact'],
    });
  });
}

async function openSession(options: StoreOptions): Promise<BookSession> {
  const store = await openStoreAt(options.store);
  try {
    // The CLI is the edge that may read the clock; the migration records when it ran.
    if (hasSql(store)) await migrateBookStore(store.sql, new Date().toISOString());
    await seedIfEmpty(store, options);
    const managers = await collect(scanAll(store.managers, PAGE));
    if (managers.length === 0) {
      throw new BookCommandError(
        'The store holds customers but no managers. Import them first: kequn import <file> --kind managers.',
      );
    }
    const kernel = createKernel({
      plugins: [tieringPlugin, abcdPlugin, dormantPlugin, assignmentPlugin],
    });
    await kernel.start();
    return { store, kernel, managers, memoryBook: createMemoryBookStore() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Opens the session, runs the command and closes everything. Errors the user can act on (a bad id,
 * a step the case cannot take) end the command like a bad option: the message and exit code 1.
 */
async function withSession(
  command: Command,
  options: StoreOptions,
  work: (session: BookSession) => Promise<void>,
): Promise<void> {
  let failure: unknown;
  try {
    const session = await openSession(options);
    try {
      await work(session);
    } finally {
      await session.kernel.dispose();
      await session.store.close();
    }
  } catch (error) {
    failure = error;
  }
  if (failure === undefined) return;
  if (isKequnError(failure)) command.error(`error: ${failure.message}`);
  throw failure;
}

function bookStoreOf(session: BookSession, repositories: StoreRepositories): BookStore {
  return hasSql(repositories) ? createSqlBookStore(repositories.sql) : session.memoryBook;
}

/** The book service over a set of repositories: the store itself, or a transaction's. */
function serviceOver(
  session: BookSession,
  repositories: StoreRepositories,
  model?: CustomerModel,
): BookService {
  return createBookService({
    events: session.kernel.events,
    store: bookStoreOf(session, repositories),
    records: repositories,
    customers: storeCustomerDirectory(repositories.customers, model),
    managers: session.managers,
  });
}

/** One workflow step, all-or-nothing: the book's tables and the core store's in one transaction. */
function inTransaction<T>(
  session: BookSession,
  work: (service: BookService, tx: StoreRepositories) => Promise<T>,
): Promise<T> {
  return session.store.transaction((tx) => work(serviceOver(session, tx), tx));
}

function managerOf(session: BookSession, managerId: string): Manager | undefined {
  return session.managers.find((manager) => manager.id === managerId);
}

function exampleOf(session: BookSession, roles: readonly string[]): string {
  return session.managers.find((manager) => roles.includes(manager.role))?.id ?? 'BR001-M01';
}

/**
 * Checks `--by` before any work, so the message names the option and suggests a real approver.
 * `step` names what needs the approver role in the message: approvals, reclaims.
 */
function requireApprover(session: BookSession, by: string, step = 'approvals'): Manager {
  const roles = serviceOver(session, session.store).settings.allocation.approverRoles;
  const manager = managerOf(session, by);
  if (manager !== undefined && roles.includes(manager.role)) return manager;
  const what = manager === undefined ? 'is not a manager in this store' : `is a ${manager.role}`;
  throw new BookCommandError(
    `--by "${by}" ${what}; ${step} need one of: ${roles.join(', ')} (e.g. ${exampleOf(session, roles)}).`,
  );
}

function requireManager(session: BookSession, managerId: string, option: string): Manager {
  const manager = managerOf(session, managerId);
  if (manager !== undefined) return manager;
  const example = exampleOf(session, ['counter_wealth_manager', 'vip_wealth_manager']);
  throw new BookCommandError(
    `${option} "${managerId}" is not a manager in this store; try ${example}.`,
  );
}

// ── Tables ──────────────────────────────────────────────────────────────────────────────

/** Plain borders without colour codes, one line per row, like the demo's tables. */
const tableStyle = { head: [], border: [], compact: true };

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

function wan(amount: number): string {
  return `${(amount / 10_000).toFixed(1)}万`;
}

function printJson(output: Output, value: unknown): void {
  output.write(`${JSON.stringify(value, null, 2)}\n`);
}

// ── kequn assign ────────────────────────────────────────────────────────────────────────

function loadTable(run: AllocationRun, managers: readonly Manager[], locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  for (const proposal of run.proposals) {
    if (proposal.fromManagerId !== null)
      before.set(proposal.fromManagerId, (before.get(proposal.fromManagerId) ?? 0) + 1);
    after.set(proposal.toManagerId, (after.get(proposal.toManagerId) ?? 0) + 1);
  }
  // In-scope customers only: those an allocation rule covers.
  const table = new Table({
    head: zh
      ? ['经理', '岗位', '网点', '容量', '分配前', '分配后']
      : ['Manager', 'Role', 'Branch', 'Capacity', 'Before', 'After'],
    style: tableStyle,
  });
  for (const manager of managers) {
    if (!before.has(manager.id) && !after.has(manager.id)) continue;
    table.push([
      manager.id,
      manager.role,
      manager.branchId,
      manager.capacity,
      before.get(manager.id) ?? 0,
      after.get(manager.id) ?? 0,
    ]);
  }
  return table.toString();
}

function exceptionsText(run: AllocationRun, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const lines: string[] = [];
  for (const entry of run.overCapacity)
    lines.push(
      `${zh ? '超容量' : 'Over capacity'} ${entry.managerId} ${entry.load}/${entry.capacity}: ${entry.explanation}`,
    );
  for (const entry of run.unplaced)
    lines.push(`${zh ? '未分配' : 'Unplaced'} ${entry.customerId}: ${entry.explanation}`);
  return lines.join('\n');
}

function changedCount(run: AllocationRun): number {
  return run.proposals.filter((proposal) => proposal.kind !== 'kept').length;
}

function runJson(run: AllocationRun) {
  return { ...run, proposals: run.proposals.length, changes: changedCount(run) };
}

function runHeadline(run: AllocationRun, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const lines = [
    `${zh ? '分配方案' : 'Allocation run'} ${run.id} (${run.status}): ${run.proposals.length} ${zh ? '户在范围内' : 'customers in scope'}, ${changedCount(run)} ${zh ? '户新分配或调整' : 'assigned or moved'}`,
  ];
  if (run.approval !== undefined)
    lines.push(`${zh ? '审批' : 'Approved by'} ${run.approval.by} @ ${run.approval.at}`);
  if (run.rejection !== undefined)
    lines.push(
      `${zh ? '驳回' : 'Rejected by'} ${run.rejection.by} @ ${run.rejection.at}: ${run.rejection.reason ?? ''}`,
    );
  if (run.appliedAt !== undefined) lines.push(`${zh ? '生效' : 'Applied'} @ ${run.appliedAt}`);
  return `${lines.join('\n')}\n`;
}

function nextStepHint(run: AllocationRun, session: BookSession, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const approver = exampleOf(session, ['operations_manager']);
  if (run.status === 'proposed')
    return zh
      ? `审批：kequn assign approve ${run.id} --by ${approver}\n`
      : `Approve with: kequn assign approve ${run.id} --by ${approver}\n`;
  if (run.status === 'approved')
    return zh
      ? `生效：kequn assign apply ${run.id}\n`
      : `Apply with: kequn assign apply ${run.id}\n`;
  return '';
}

function printRun(
  output: Output,
  session: BookSession,
  run: AllocationRun,
  options: StoreOptions & { table?: boolean },
): void {
  if (options.json === true) return printJson(output, runJson(run));
  output.write(runHeadline(run, options.locale));
  if (options.table === true) {
    output.write(`${loadTable(run, session.managers, options.locale)}\n`);
    const exceptions = exceptionsText(run, options.locale);
    if (exceptions !== '') output.write(`${exceptions}\n`);
  }
  output.write(nextStepHint(run, session, options.locale));
}

type ProposeOptions = StoreOptions & { by?: string; approve?: boolean; at?: string };

async function proposeRun(session: BookSession, options: ProposeOptions): Promise<AllocationRun> {
  const proposer = options.by ?? exampleOf(session, ['operations_manager']);
  if (options.by !== undefined) requireManager(session, options.by, '--by');
  if (options.approve === true) requireApprover(session, proposer);
  const at = options.at ?? morningOf(options.asOf);
  const { policy } = session.kernel.exportsOf<AssignmentExports>('assignment');
  // The run sees every customer once; their current managers are what the store holds now.
  const customers = await collect(scanAll(session.store.customers, PAGE));
  const excluded = await reclaimExclusions(session.store, customers);
  const proposed = await inTransaction(session, (service) =>
    service.proposeAllocationRun({
      month: options.asOf.slice(0, 7),
      by: proposer,
      at,
      customers,
      policy,
      excluded,
    }),
  );
  if (options.approve !== true) return proposed;
  return inTransaction(session, async (service) => {
    await service.approveAllocationRun(proposed.id, { by: proposer, at });
    return service.applyAllocationRun(proposed.id, at);
  });
}

function runListTable(runs: readonly AllocationRun[], locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const table = new Table({
    head: zh
      ? [
          '方案',
          '月份',
          '状态',
          '提出人',
          '范围内',
          '调整',
          '超容量',
          '未分配',
          '审批人',
          '生效时间',
        ]
      : [
          'Run',
          'Month',
          'Status',
          'Proposed by',
          'In scope',
          'Changes',
          'Over capacity',
          'Unplaced',
          'Approved by',
          'Applied at',
        ],
    style: tableStyle,
  });
  for (const run of runs) {
    table.push([
      run.id,
      run.month,
      run.status,
      run.proposedBy,
      run.proposals.length,
      changedCount(run),
      run.overCapacity.length,
      run.unplaced.length,
      run.approval?.by ?? '—',
      run.appliedAt ?? '—',
    ]);
  }
  return table.toString();
}

// ── kequn assign reclaim ────────────────────────────────────────────────────────────────

/**
 * Plugin-state key of the managers each reclaimed customer must not go back to. `reclaim()` returns
 * them and the next allocation run needs them, and that run is another command, so they are stored.
 */
const RECLAIMED_KEY = 'books/cli-reclaimed';

/** Customer id → the managers they must not be re-allocated to. */
type Exclusions = Map<string, string[]>;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

async function storedExclusions(repositories: StoreRepositories): Promise<Exclusions> {
  const stored = await repositories.pluginState.get(RECLAIMED_KEY);
  if (stored === undefined) return new Map();
  const exclusions: Exclusions = new Map();
  if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
    for (const [customerId, managerIds] of Object.entries(stored))
      if (isStringArray(managerIds)) exclusions.set(customerId, managerIds);
    if (exclusions.size === Object.keys(stored).length) return exclusions;
  }
  throw new BookCommandError(
    `The store's plugin state "${RECLAIMED_KEY}" is not a map of customer ids to manager ids; delete that entry to forget past reclaims.`,
  );
}

/** The exclusions that still matter: those of reclaimed customers nobody holds yet. */
async function reclaimExclusions(
  repositories: StoreRepositories,
  customers: readonly Customer[],
): Promise<Exclusions> {
  const stored = await storedExclusions(repositories);
  const pending: Exclusions = new Map();
  for (const customer of customers) {
    const managerIds = stored.get(customer.id);
    if (managerIds !== undefined && customer.relationshipManagerId === null)
      pending.set(customer.id, managerIds);
  }
  return pending;
}

/** Adds this reclaim's exclusions; those of customers re-allocated since have done their job. */
async function rememberExclusions(
  tx: StoreRepositories,
  added: ReadonlyMap<string, string[]>,
): Promise<void> {
  const kept: Record<string, string[]> = {};
  for (const [customerId, managerIds] of await storedExclusions(tx)) {
    const customer = await tx.customers.get(customerId);
    if (customer !== undefined && customer.relationshipManagerId === null)
      kept[customerId] = managerIds;
  }
  for (const [customerId, managerIds] of added) kept[customerId] = managerIds;
  await tx.pluginState.set(RECLAIMED_KEY, kept);
}

/** A flagged customer as the command shows it: ids and dates only, never names or phones. */
interface ReclaimRow extends ReclaimFlag {
  lastEffectiveContactAt: string | null;
}

type ReclaimOptions = StoreOptions & {
  apply?: boolean;
  by?: string;
  customer?: string[];
  at?: string;
};

/**
 * The managed customers flagged for reclaim on `--as-of`. Their last effective contact is in the
 * book's contact states, so the store's contact history is folded in first, as for a plan.
 */
async function flagForReclaim(
  session: BookSession,
  service: BookService,
  tx: StoreRepositories,
  asOf: string,
): Promise<ReclaimRow[]> {
  const managed: Customer[] = [];
  for await (const customer of scanAll(tx.customers, PAGE))
    if (customer.relationshipManagerId !== null) managed.push(customer);
  await foldContactHistory(session, tx, service, managed);
  const rows: ReclaimRow[] = [];
  for (const flag of await service.reclaimCandidates(managed, asOf)) {
    const state = await service.contactState(flag.customerId);
    rows.push({ ...flag, lastEffectiveContactAt: state?.lastEffectiveContactAt ?? null });
  }
  return rows.sort(
    (a, b) => a.managerId.localeCompare(b.managerId) || a.customerId.localeCompare(b.customerId),
  );
}

/** The rows `--customer` names, each of which must be flagged; all rows without `--customer`. */
function selectForReclaim(
  rows: readonly ReclaimRow[],
  options: ReclaimOptions,
  noContactDays: number,
): ReclaimRow[] {
  if (options.customer === undefined) return [...rows];
  const byCustomer = new Map(rows.map((row) => [row.customerId, row]));
  return [...new Set(options.customer)].map((customerId) => {
    const row = byCustomer.get(customerId);
    if (row !== undefined) return row;
    throw new BookCommandError(
      `--customer "${customerId}" is not flagged for reclaim on ${options.asOf}: only a managed customer with no effective contact or assignment in the last ${noContactDays} days can be reclaimed. Run kequn assign reclaim to see who is.`,
    );
  });
}

function reclaimTable(rows: readonly ReclaimRow[], locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const table = new Table({
    head: zh
      ? ['经理', '客户', '最近有效联系', '未联系天数']
      : ['Manager', 'Customer', 'Last effective contact', 'Days without contact'],
    style: tableStyle,
  });
  for (const row of rows) {
    table.push([
      row.managerId,
      row.customerId,
      row.lastEffectiveContactAt?.slice(0, 10) ?? '—',
      row.daysWithoutContact ?? '—',
    ]);
  }
  return table.toString();
}

function managerCount(rows: readonly ReclaimRow[]): number {
  return new Set(rows.map((row) => row.managerId)).size;
}

function printReclaimList(
  output: Output,
  session: BookSession,
  rows: readonly ReclaimRow[],
  options: ReclaimOptions,
  noContactDays: number,
): void {
  if (options.json === true)
    return printJson(output, { asOf: options.asOf, noContactDays, flagged: rows });
  const zh = options.locale === 'zh-CN';
  output.write(
    zh
      ? `${options.asOf}：${managerCount(rows)} 位经理的 ${rows.length} 户客户超过 ${noContactDays} 天无有效联系，可收回。\n`
      : `${options.asOf}: ${rows.length} customers of ${managerCount(rows)} managers have had no effective contact for over ${noContactDays} days and can be reclaimed.\n`,
  );
  if (rows.length === 0) return;
  output.write(`${reclaimTable(rows, options.locale)}\n`);
  const approver = exampleOf(session, ['operations_manager']);
  output.write(
    zh
      ? `收回：kequn assign reclaim --apply --by ${approver} [--customer …]\n`
      : `Reclaim with: kequn assign reclaim --apply --by ${approver} [--customer …]\n`,
  );
}

function printReclaimed(
  output: Output,
  rows: readonly ReclaimRow[],
  decision: { by: string; at: string },
  options: ReclaimOptions,
): void {
  if (options.json === true) return printJson(output, { ...decision, reclaimed: rows });
  const zh = options.locale === 'zh-CN';
  if (rows.length === 0) {
    output.write(zh ? '没有需要收回的客户。\n' : 'Nobody to reclaim.\n');
    return;
  }
  output.write(
    zh
      ? `已收回 ${managerCount(rows)} 位经理的 ${rows.length} 户客户（${decision.by} @ ${decision.at}）；下一次 kequn assign propose 会把他们分配给其他经理。\n`
      : `Reclaimed ${rows.length} customers from ${managerCount(rows)} managers (${decision.by} @ ${decision.at}); the next kequn assign propose re-allocates them to other managers.\n`,
  );
  output.write(`${reclaimTable(rows, options.locale)}\n`);
}

async function reclaimCommand(session: BookSession, options: ReclaimOptions, output: Output) {
  const noContactDays = serviceOver(session, session.store).settings.reclaim.noContactDays;
  if (options.apply !== true) {
    const rows = await inTransaction(session, (service, tx) =>
      flagForReclaim(session, service, tx, options.asOf),
    );
    return printReclaimList(
      output,
      session,
      selectForReclaim(rows, options, noContactDays),
      options,
      noContactDays,
    );
  }
  if (options.by === undefined)
    throw new BookCommandError(
      '--apply needs --by <managerId>: the operations manager or branch head who reclaims.',
    );
  requireApprover(session, options.by, 'reclaims');
  const decision = { by: options.by, at: options.at ?? morningOf(options.asOf) };
  // Flagging, reclaiming and remembering whom to avoid commit together or not at all.
  const reclaimed = await inTransaction(session, async (service, tx) => {
    const rows = await flagForReclaim(session, service, tx, options.asOf);
    const selected = selectForReclaim(rows, options, noContactDays);
    if (selected.length === 0) return selected;
    const customerIds = selected.map((row) => row.customerId);
    await rememberExclusions(tx, await service.reclaim({ customerIds, ...decision }));
    return selected;
  });
  printReclaimed(output, reclaimed, decision, options);
}

function registerAssign(program: Command, output: Output): void {
  const assign = program
    .command('assign')
    .description(
      'allocation runs (分配): propose, approve or reject, apply, list — kept in the store',
    );

  withAtOption(withStoreOptions(assign.command('propose', { isDefault: true })))
    .description('propose this month’s allocation run from the customers in the store')
    .option('--by <managerId>', 'who proposes (default: the first operations manager)')
    .option('--approve', 'also approve (as --by, who must be an approver) and apply the run')
    .action(async (options: ProposeOptions, command: Command) => {
      await withSession(command, options, async (session) => {
        const run = await proposeRun(session, options);
        printRun(output, session, run, { ...options, table: true });
      });
    });

  withAtOption(withStoreOptions(assign.command('approve')))
    .description('approve a proposed run as an operations manager or branch head')
    .argument('<runId>', 'the run, e.g. allocation-2026-10-01')
    .requiredOption('--by <managerId>', 'the approving operations manager, e.g. BR001-M01')
    .action(async (runId: string, options: StoreOptions & { by: string; at?: string }, command) => {
      await withSession(command, options, async (session) => {
        requireApprover(session, options.by);
        const at = options.at ?? morningOf(options.asOf);
        const run = await inTransaction(session, (service) =>
          service.approveAllocationRun(runId, { by: options.by, at }),
        );
        printRun(output, session, run, options);
      });
    });

  withAtOption(withStoreOptions(assign.command('reject')))
    .description('reject a proposed run, with the reason')
    .argument('<runId>', 'the run, e.g. allocation-2026-10-01')
    .requiredOption('--by <managerId>', 'the rejecting operations manager')
    .requiredOption('--reason <text>', 'why the run is rejected')
    .action(
      async (
        runId: string,
        options: StoreOptions & { by: string; reason: string; at?: string },
        command: Command,
      ) => {
        await withSession(command, options, async (session) => {
          requireApprover(session, options.by);
          const at = options.at ?? morningOf(options.asOf);
          const run = await inTransaction(session, (service) =>
            service.rejectAllocationRun(runId, { by: options.by, at, reason: options.reason }),
          );
          printRun(output, session, run, options);
        });
      },
    );

  withAtOption(withStoreOptions(assign.command('apply')))
    .description('make an approved run take effect: moved customers get their new manager')
    .argument('<runId>', 'the run, e.g. allocation-2026-10-01')
    .action(async (runId: string, options: StoreOptions & { at?: string }, command: Command) => {
      await withSession(command, options, async (session) => {
        const at = options.at ?? morningOf(options.asOf);
        const run = await inTransaction(session, (service) =>
          service.applyAllocationRun(runId, at),
        );
        printRun(output, session, run, options);
      });
    });

  withStoreOptions(assign.command('list'))
    .description('the allocation runs in the store, oldest first')
    .action(async (options: StoreOptions, command: Command) => {
      await withSession(command, options, async (session) => {
        const runs = await serviceOver(session, session.store).allocationRuns();
        if (options.json === true) return printJson(output, runs.map(runJson));
        output.write(`${runListTable(runs, options.locale)}\n`);
      });
    });

  withAtOption(withStoreOptions(assign.command('reclaim')))
    .description(
      'customers with no effective contact in the reclaim window (收回), per manager; --apply reclaims them for re-allocation',
    )
    .option('--apply', 'reclaim them (as --by); the next propose re-allocates them to others')
    .option('--by <managerId>', 'with --apply: the reclaiming operations manager, e.g. BR001-M01')
    .option('--customer <ids...>', 'only these flagged customers (default: every one flagged)')
    .action(async (options: ReclaimOptions, command: Command) => {
      await withSession(command, options, (session) => reclaimCommand(session, options, output));
    });
}

// ── kequn handoffs ──────────────────────────────────────────────────────────────────────

/** Customers whose rolling basis crossed the bar in the latest month: the month's upgrades. */
function crossedTheBar(customer: Customer, bar: number): boolean {
  const months = customer.assets.monthlyAverages;
  const before = {
    ...customer,
    assets: { ...customer.assets, monthlyAverages: months.slice(0, -1) },
  };
  return months.length > 1 && customerBasis(customer) >= bar && customerBasis(before) < bar;
}

function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Where a case stands against its first-contact deadline, judged on `on`. */
function slaState(handoff: HandoffCase, on: string, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  if (handoff.firstContact !== undefined)
    return handoff.firstContact.withinSla ? (zh ? '按时' : 'met') : zh ? '超时' : 'missed';
  const due = handoff.firstContactDue;
  if (handoff.status !== 'awaiting_first_contact' || due === undefined) return '—';
  if (due >= on) return zh ? `待首联（${due} 前）` : `due by ${due}`;
  const late = daysFrom(due, on);
  return zh ? `逾期 ${late} 天` : `overdue ${late} day${late === 1 ? '' : 's'}`;
}

function handoffTable(cases: readonly HandoffCase[], on: string, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const table = new Table({
    head: zh
      ? ['移交单', '客户', '网点', '移出经理', '接收经理', '日均资产', '状态', '首联期限', '时效']
      : [
          'Case',
          'Customer',
          'Branch',
          'Sender',
          'Receiver',
          'Basis',
          'Status',
          'First contact due',
          'SLA',
        ],
    style: tableStyle,
  });
  for (const handoff of cases) {
    table.push([
      handoff.id,
      handoff.customerId,
      handoff.branchId,
      handoff.senderId ?? '—',
      handoff.receiverId ?? '—',
      wan(handoff.basis),
      handoff.status,
      handoff.firstContactDue ?? '—',
      slaState(handoff, on, locale),
    ]);
  }
  return table.toString();
}

/** The VIP wealth manager of the branch with the most room (load ÷ capacity). */
function leastLoadedReceiver(
  managers: readonly Manager[],
  roles: readonly string[],
  branchId: string,
  load: ReadonlyMap<string, number>,
): Manager | undefined {
  const share = (manager: Manager) => (load.get(manager.id) ?? 0) / Math.max(manager.capacity, 1);
  return managers
    .filter((manager) => manager.branchId === branchId && roles.includes(manager.role))
    .sort((a, b) => share(a) - share(b))[0];
}

interface Upgrades {
  crossed: Customer[];
  load: Map<string, number>;
}

/** One pass over the store: this month's upgrades, and each manager's book size for choosing receivers. */
async function findUpgrades(session: BookSession, bar: number): Promise<Upgrades> {
  const crossed: Customer[] = [];
  const load = new Map<string, number>();
  for await (const customer of scanAll(session.store.customers, PAGE)) {
    const managerId = customer.relationshipManagerId;
    if (managerId !== null) load.set(managerId, (load.get(managerId) ?? 0) + 1);
    if (crossedTheBar(customer, bar)) crossed.push(customer);
  }
  return { crossed, load };
}

/** Opens a case per upgrade and files it for the sending manager to the least-loaded receiver. */
async function openAndFile(
  session: BookSession,
  service: BookService,
  upgrades: Upgrades,
  at: string,
): Promise<HandoffCase[]> {
  const filed: HandoffCase[] = [];
  const roles = service.settings.handoff.receiverRoles;
  for (const customer of upgrades.crossed) {
    const opened = await service.openHandoff({
      customerId: customer.id,
      fromTier: null,
      toTier: 'high_end',
      basis: customerBasis(customer),
      at,
    });
    if (opened === undefined || opened.status !== 'opened') continue;
    const receiver = leastLoadedReceiver(session.managers, roles, customer.branchId, upgrades.load);
    if (receiver === undefined) continue;
    // A case with no sender (an unmanaged customer) is filed in the receiver's name.
    filed.push(
      await service.fileHandoff(opened.id, {
        by: opened.senderId ?? receiver.id,
        receiverId: receiver.id,
        at,
      }),
    );
    upgrades.load.set(receiver.id, (upgrades.load.get(receiver.id) ?? 0) + 1);
  }
  return filed;
}

type ListHandoffOptions = StoreOptions & { status?: HandoffStatus; overdueOn?: string };

function printHandoffList(
  output: Output,
  cases: readonly HandoffCase[],
  overdue: readonly HandoffCase[],
  options: ListHandoffOptions,
): void {
  const on = options.overdueOn ?? options.asOf;
  if (options.json === true)
    return printJson(output, { cases, overdue: overdue.map((handoff) => handoff.id) });
  const zh = options.locale === 'zh-CN';
  output.write(`${handoffTable(cases, on, options.locale)}\n`);
  output.write(`${zh ? '首联超时' : 'Overdue first contacts'} (${on}): ${overdue.length}\n`);
  if (options.overdueOn !== undefined && overdue.length > 0)
    output.write(`${handoffTable(overdue, on, options.locale)}\n`);
}

function handoffStepText(handoff: HandoffCase, locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  if (handoff.status === 'awaiting_first_contact')
    return zh
      ? `移交单 ${handoff.id} 已审批（${handoff.approval?.by ?? ''}）：客户 ${handoff.customerId} 移交给 ${handoff.receiverId ?? ''}，首联期限 ${handoff.firstContactDue ?? ''}，介绍消息已排队（${handoff.introductionMessageId ?? ''}）。\n`
      : `Case ${handoff.id} approved by ${handoff.approval?.by ?? ''}: customer ${handoff.customerId} moves to ${handoff.receiverId ?? ''}, first contact due by ${handoff.firstContactDue ?? ''}, introduction queued (${handoff.introductionMessageId ?? ''}).\n`;
  return zh
    ? `移交单 ${handoff.id} 已驳回（${handoff.rejection?.by ?? ''}）：${handoff.rejection?.reason ?? ''}\n`
    : `Case ${handoff.id} rejected by ${handoff.rejection?.by ?? ''}: ${handoff.rejection?.reason ?? ''}\n`;
}

function registerHandoffs(program: Command, output: Output): void {
  const handoffs = program
    .command('handoffs')
    .description(
      'upgrade hand-offs (提升移交): list with SLA state, open this month’s, approve or reject',
    );

  withStoreOptions(handoffs.command('list', { isDefault: true }))
    .description('the hand-off cases in the store, with their first-contact SLA state')
    .addOption(
      new Option('--status <status>', 'only cases of this status').argParser(handoffStatus),
    )
    .option(
      '--overdue-on <date>',
      'judge the SLA on this date and list the overdue cases (default: --as-of)',
      calendarDate,
    )
    .action(async (options: ListHandoffOptions, command: Command) => {
      await withSession(command, options, async (session) => {
        const service = serviceOver(session, session.store);
        const filter = options.status === undefined ? undefined : { status: options.status };
        const cases = await service.handoffs(filter);
        const overdue = await service.overdueHandoffs(options.overdueOn ?? options.asOf);
        printHandoffList(output, cases, overdue, options);
      });
    });

  withAtOption(withStoreOptions(handoffs.command('open')))
    .description(
      'open a case for each customer who crossed the bar this month and file it to the branch’s least-loaded VIP wealth manager',
    )
    .action(async (options: StoreOptions & { at?: string }, command: Command) => {
      await withSession(command, options, async (session) => {
        const bar = serviceOver(session, session.store).settings.handoff.bar;
        const upgrades = await findUpgrades(session, bar);
        const at = options.at ?? morningOf(options.asOf);
        const filed = await inTransaction(session, (service) =>
          openAndFile(session, service, upgrades, at),
        );
        if (options.json === true) return printJson(output, { filed });
        const zh = options.locale === 'zh-CN';
        output.write(
          zh
            ? `本月跨过移交门槛 ${upgrades.crossed.length} 户，新建并提交移交单 ${filed.length} 张。\n`
            : `${upgrades.crossed.length} customers crossed the bar this month; ${filed.length} cases opened and filed.\n`,
        );
        if (filed.length > 0)
          output.write(`${handoffTable(filed, options.asOf, options.locale)}\n`);
      });
    });

  withAtOption(withStoreOptions(handoffs.command('approve')))
    .description('approve a filed case: the customer moves and the first-contact deadline starts')
    .argument('<caseId>', 'the case, e.g. handoff-C0000123-2026-10-31')
    .requiredOption('--by <managerId>', 'the approving operations manager, e.g. BR001-M01')
    .action(
      async (
        caseId: string,
        options: StoreOptions & { by: string; at?: string },
        command: Command,
      ) => {
        await withSession(command, options, async (session) => {
          requireApprover(session, options.by);
          const at = options.at ?? morningOf(options.asOf);
          const handoff = await inTransaction(session, (service) =>
            service.approveHandoff(caseId, { by: options.by, at }),
          );
          if (options.json === true) return printJson(output, handoff);
          output.write(handoffStepText(handoff, options.locale));
        });
      },
    );

  withAtOption(withStoreOptions(handoffs.command('reject')))
    .description('reject a filed case, with the reason; the customer stays with the sender')
    .argument('<caseId>', 'the case, e.g. handoff-C0000123-2026-10-31')
    .requiredOption('--by <managerId>', 'the rejecting operations manager')
    .requiredOption('--reason <text>', 'why the case is rejected')
    .action(
      async (
        caseId: string,
        options: StoreOptions & { by: string; reason: string; at?: string },
        command: Command,
      ) => {
        await withSession(command, options, async (session) => {
          requireApprover(session, options.by);
          const at = options.at ?? morningOf(options.asOf);
          const handoff = await inTransaction(session, (service) =>
            service.rejectHandoff(caseId, { by: options.by, at, reason: options.reason }),
          );
          if (options.json === true) return printJson(output, handoff);
          output.write(handoffStepText(handoff, options.locale));
        });
      },
    );
}

// ── kequn plan ──────────────────────────────────────────────────────────────────────────

function historyEntry(event: CustomerEvent) {
  if (event.type !== 'contact' || event.managerId === undefined) return undefined;
  return {
    id: event.id,
    customerId: event.customerId,
    managerId: event.managerId,
    channel: event.channel,
    outcome: event.outcome,
    occurredAt: event.occurredAt,
  };
}

/**
 * The first time the book sees a customer, it folds the contacts already in the store's events
 * (seeded or imported history) into their contact state. Later contacts go through recordContact,
 * so the history is folded exactly once.
 */
async function foldContactHistory(
  session: BookSession,
  tx: StoreRepositories,
  service: BookService,
  customers: readonly Customer[],
): Promise<void> {
  const books = bookStoreOf(session, tx);
  const folded: ContactState[] = [];
  for (const customer of customers) {
    if ((await books.getContactState(customer.id)) !== undefined) continue;
    let state = emptyContactState(customer.id, customer.relationshipManagerId);
    let seen = false;
    for (const event of await tx.events.listByCustomer(customer.id)) {
      const entry = historyEntry(event);
      if (entry === undefined) continue;
      state = applyContact(state, entry, service.settings.contactPlan).state;
      seen = true;
    }
    if (seen) folded.push(state);
  }
  await books.saveContactStates(folded);
}

function managerBook(store: KequnStore, managerId: string): AsyncIterable<Customer> {
  return scanAll({ list: (page) => store.customers.listByManager(managerId, page) }, PAGE);
}

type PlanOptions = StoreOptions & { manager: string; date?: string };

async function printPlan(session: BookSession, options: PlanOptions, output: Output) {
  requireManager(session, options.manager, '--manager');
  const book = await collect(managerBook(session.store, options.manager));
  await inTransaction(session, (service, tx) => foldContactHistory(session, tx, service, book));
  const model = new CustomerModel(session.kernel);
  await model.load(scanAll(session.store.customers, PAGE), { asOf: options.asOf });
  const plan = await serviceOver(session, session.store).contactPlan({
    managerId: options.manager,
    asOf: options.asOf,
    book,
    classes: await classesFromModel(model),
    dormant: await segmentMembers(model, 'dormant', 'dormant'),
  });
  const today = dailyList(plan, options.date ?? options.asOf);
  if (options.json === true)
    return printJson(output, { managerId: plan.managerId, book: book.length, today });
  const zh = options.locale === 'zh-CN';
  output.write(
    `${options.manager}: ${book.length} ${zh ? '户管户客户' : 'customers in the book'}, ${today.length} ${zh ? '户今日待联系' : 'due today'}\n`,
  );
  const table = new Table({
    head: zh ? ['客户', '类别', '应联系日', '原因'] : ['Customer', 'Class', 'Due', 'Why'],
    colWidths: [14, 7, 15, 70],
    wordWrap: true,
    style: tableStyle,
  });
  for (const item of today) {
    table.push([
      item.customerId,
      item.classId.toUpperCase(),
      item.overdue ? `${item.due} !` : item.due,
      item.reasons.map((reason) => describeReason(reason, options.locale)).join('\n'),
    ]);
  }
  output.write(`${table.toString()}\n`);
}

type RecordOptions = StoreOptions & {
  customer: string;
  manager: string;
  channel: ChannelKind;
  outcome: Outcome;
  note?: string;
  nextStep?: string;
  nextStepOn?: string;
  at?: string;
};

async function requireBookCustomer(session: BookSession, options: RecordOptions) {
  requireManager(session, options.manager, '--manager');
  const customer = await session.store.customers.get(options.customer);
  if (customer === undefined)
    throw new BookCommandError(`--customer "${options.customer}" is not in this store.`);
  if (customer.relationshipManagerId !== options.manager)
    throw new BookCommandError(
      `--customer "${customer.id}" is in the book of ${customer.relationshipManagerId ?? 'nobody'}, not of --manager "${options.manager}".`,
    );
  return customer;
}

function nextStepOf(options: RecordOptions): { on: string; note: string } | undefined {
  if (options.nextStep === undefined && options.nextStepOn === undefined) return undefined;
  if (options.nextStep === undefined || options.nextStepOn === undefined)
    throw new BookCommandError('--next-step and --next-step-on go together: give both or neither.');
  return { on: options.nextStepOn, note: options.nextStep };
}

function recordText(state: ContactState, closed: HandoffCase[], locale: BookLocale): string {
  const zh = locale === 'zh-CN';
  const lines = [
    zh
      ? `已记录联系：${state.customerId}，未成交跟进 ${state.followUpsWithoutSale} 次${state.lowFrequency ? '，已转入低频池' : ''}。`
      : `Contact recorded for ${state.customerId}: ${state.followUpsWithoutSale} follow-ups without a sale${state.lowFrequency ? ', in the low-frequency pool' : ''}.`,
  ];
  for (const handoff of closed)
    lines.push(
      zh
        ? `移交单 ${handoff.id} 首联完成，${handoff.firstContact?.withinSla === true ? '按时' : '超时'}，已关闭。`
        : `Hand-off ${handoff.id} closed by this first contact (${handoff.firstContact?.withinSla === true ? 'within' : 'outside'} the SLA).`,
    );
  return `${lines.join('\n')}\n`;
}

async function recordContact(session: BookSession, options: RecordOptions, output: Output) {
  const customer = await requireBookCustomer(session, options);
  const nextStep = nextStepOf(options);
  const { state, closed } = await inTransaction(session, async (service, tx) => {
    await foldContactHistory(session, tx, service, [customer]);
    const waiting = await service.handoffs({
      customerId: customer.id,
      status: 'awaiting_first_contact',
    });
    const recorded = await service.recordContact({
      id: `contact-${randomUUID()}`,
      customerId: customer.id,
      managerId: options.manager,
      channel: options.channel,
      outcome: options.outcome,
      occurredAt: options.at ?? morningOf(options.asOf),
      ...(options.note === undefined ? {} : { note: options.note }),
      ...(nextStep === undefined ? {} : { nextStep }),
    });
    const after = await Promise.all(waiting.map((handoff) => service.handoff(handoff.id)));
    return { state: recorded, closed: after.filter((handoff) => handoff.status === 'closed') };
  });
  if (options.json === true) return printJson(output, { state, closedHandoffs: closed });
  output.write(recordText(state, closed, options.locale));
}

function registerPlan(program: Command, output: Output): void {
  const plan = program
    .command('plan')
    .description('contact plans (联系计划): a manager’s daily list, and recording contacts');

  withStoreOptions(plan.command('list', { isDefault: true }))
    .description(
      'a manager’s daily contact list from the ABCD classes, with the reasons for each contact',
    )
    .requiredOption('--manager <id>', 'the relationship manager, e.g. BR001-M03')
    .option('--date <date>', 'the day of the list (default: --as-of)', calendarDate)
    .action(async (options: PlanOptions, command: Command) => {
      await withSession(command, options, (session) => printPlan(session, options, output));
    });

  withAtOption(withStoreOptions(plan.command('record')))
    .description(
      'record a contact; it updates the plan, and a receiver’s first contact closes a hand-off',
    )
    .requiredOption('--customer <id>', 'the customer contacted')
    .requiredOption('--manager <id>', 'the manager who made the contact (the customer’s manager)')
    .requiredOption(
      '--channel <channel>',
      `how: ${channelKindSchema.options.join(', ')}`,
      channelKind,
    )
    .requiredOption(
      '--outcome <outcome>',
      `what came of it: ${outcomeSchema.options.join(', ')}`,
      contactOutcome,
    )
    .option('--note <text>', 'what was said')
    .option('--next-step <text>', 'the next step agreed with the customer (with --next-step-on)')
    .option('--next-step-on <date>', 'the day of the next step', calendarDate)
    .action(async (options: RecordOptions, command: Command) => {
      await withSession(command, options, (session) => recordContact(session, options, output));
    });
}

// ── kequn kpi ───────────────────────────────────────────────────────────────────────────

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A store this CLI seeded holds contact events only, so dormancy cannot be judged from them. */
async function holdsTransactions(store: KequnStore): Promise<boolean> {
  const seeded = await store.pluginState.get(SEED_KEY);
  return typeof seeded !== 'object' || seeded === null;
}

type KpiOptions = StoreOptions & { from: string; to: string; events: boolean; per: string };

function latestOf(instants: readonly string[]): string | undefined {
  let latest: string | undefined;
  for (const instant of instants)
    if (latest === undefined || Date.parse(instant) > Date.parse(latest)) latest = instant;
  return latest;
}

function contactInstants(events: readonly CustomerEvent[]): string[] {
  return events.filter((event) => event.type === 'contact').map((event) => event.occurredAt);
}

/**
 * The customer's last contact for the file's contact-history section: stored contact events and
 * recorded contacts. Only a customer with none in the KPI window costs a look further back.
 */
async function lastContactOf(
  store: KequnStore,
  customer: Customer,
  activity: { events: readonly CustomerEvent[]; contacts: readonly ContactRecord[]; since: string },
): Promise<string | undefined> {
  const recent = latestOf([
    ...contactInstants(activity.events),
    ...activity.contacts.map((contact) => contact.occurredAt),
  ]);
  if (recent !== undefined) return recent;
  const earlier = await store.events.listByCustomer(customer.id, { to: activity.since });
  return latestOf(contactInstants(earlier));
}

interface KpiResult {
  kpis: KpiReport;
  /** Null with --no-events: without contact history the files cannot be judged. */
  completeness: CompletenessReport | null;
}

async function kpiSummary(session: BookSession, options: KpiOptions): Promise<KpiResult> {
  const period: KpiPeriod = { from: options.from, to: options.to };
  const service = serviceOver(session, session.store);
  const settings = service.settings.kpi;
  const tally = new KpiTally(period);
  const files = new CompletenessTally(service.settings.completeness);
  const judgeDormancy = await holdsTransactions(session.store);
  const range = {
    from: `${shiftDate(period.from, -settings.dormantDays - 1)}T00:00:00Z`,
    to: `${shiftDate(period.to, 1)}T23:59:59Z`,
  };
  for await (const customer of scanAll(session.store.customers, PAGE)) {
    if (!options.events) {
      tally.addCustomer(customerKpiFact(customer, period, settings));
      continue;
    }
    const events = await session.store.events.listByCustomer(customer.id, range);
    const contacts = await session.store.contactRecords.listByCustomer(customer.id);
    const fact = customerKpiFact(customer, period, settings, { events, contacts });
    tally.addCustomer(judgeDormancy ? fact : { ...fact, dormantAtStart: null, reactivated: null });
    const lastContact = await lastContactOf(session.store, customer, {
      events,
      contacts,
      since: range.from,
    });
    files.add(
      profileCompleteness(customer, lastContact, service.settings.completeness),
      customerBasis(customer),
      customer.branchId,
      customer.relationshipManagerId,
    );
  }
  for (const handoff of await service.handoffs()) tally.addHandoff(handoff);
  return { kpis: tally.report(), completeness: options.events ? files.report() : null };
}

function kpiRow(name: string, figures: KpiFigures): (string | number)[] {
  return [
    name,
    figures.customers,
    percent(figures.contactCoverage),
    figures.crossSellRate?.toFixed(2) ?? '—',
    percent(figures.aumUplift),
    `${figures.upgrades}/${figures.downgrades}`,
    percent(figures.dormantReactivationRate),
    percent(figures.handoffSlaCompliance),
  ];
}

function kpiTable(
  rows: ReadonlyMap<string, KpiFigures>,
  bank: KpiFigures,
  options: KpiOptions,
): string {
  const zh = options.locale === 'zh-CN';
  const level = options.per === 'manager' ? (zh ? '经理' : 'Manager') : zh ? '网点' : 'Branch';
  const table = new Table({
    head: zh
      ? [
          level,
          '客户数',
          '联系覆盖率',
          '户均产品数',
          '总资产提升率',
          '升层/降层',
          '休眠激活率',
          '移交时效',
        ]
      : [
          level,
          'Customers',
          'Coverage',
          'Products/customer',
          'AUM uplift',
          'Up/down',
          'Reactivation',
          'Hand-off SLA',
        ],
    style: tableStyle,
  });
  for (const [id, figures] of rows) table.push(kpiRow(id, figures));
  table.push(kpiRow(zh ? '全行' : 'Bank', bank));
  return table.toString();
}

function completenessCells(figures: CompletenessFigures | undefined, zh: boolean): string[] {
  if (figures === undefined) return ['0', '—', '0', '—', '—'];
  const met = figures.high_end.meetsTarget && figures.mid.meetsTarget;
  return [
    String(figures.high_end.customers),
    percent(figures.high_end.rate),
    String(figures.mid.customers),
    percent(figures.mid.rate),
    met ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
  ];
}

/** "100%" for the high-end band, "≥ 70%" for the mid band, as DOMAIN.md states the targets. */
function targetText(target: number): string {
  const share = `${Math.round(target * 100)}%`;
  return target === 1 ? share : `≥ ${share}`;
}

/** Profile completeness (建档率) per row of the KPI table, against the targets of each band. */
function completenessTable(
  ids: Iterable<string>,
  rows: ReadonlyMap<string, CompletenessFigures>,
  bank: CompletenessFigures,
  options: KpiOptions,
): string {
  const zh = options.locale === 'zh-CN';
  const level = options.per === 'manager' ? (zh ? '经理' : 'Manager') : zh ? '网点' : 'Branch';
  const highEnd = targetText(bank.high_end.target);
  const mid = targetText(bank.mid.target);
  const table = new Table({
    head: zh
      ? [
          level,
          '高端户数',
          `高端建档率（目标 ${highEnd}）`,
          '中端户数',
          `中端建档率（目标 ${mid}）`,
          '达标',
        ]
      : [
          level,
          'High-end',
          `Full files (target ${highEnd})`,
          'Mid',
          `Full files (target ${mid})`,
          'Meets targets',
        ],
    style: tableStyle,
  });
  for (const id of ids) table.push([id, ...completenessCells(rows.get(id), zh)]);
  table.push([zh ? '全行' : 'Bank', ...completenessCells(bank, zh)]);
  return table.toString();
}

/** The KPI rows with, when measured, each one's completeness figures (null: nobody in a band). */
function withCompleteness<Key extends string>(
  key: Key,
  rows: ReadonlyMap<string, KpiFigures>,
  completeness: ReadonlyMap<string, CompletenessFigures> | undefined,
) {
  return [...rows].map(([id, figures]) => ({
    [key]: id,
    ...figures,
    ...(completeness === undefined ? {} : { completeness: completeness.get(id) ?? null }),
  }));
}

function printKpi(output: Output, result: KpiResult, options: KpiOptions): void {
  const { kpis, completeness } = result;
  const summary: BookSummary = {
    period: kpis.period,
    bank: kpis.bank,
    branches: [...kpis.byBranch].map(([branchId, figures]) => ({ branchId, ...figures })),
    completeness:
      completeness === null
        ? null
        : { bank: completeness.bank, sectionRates: completeness.sectionRates },
  };
  if (options.json === true)
    return printJson(output, {
      ...summary,
      branches: withCompleteness('branchId', kpis.byBranch, completeness?.byBranch),
      managers: withCompleteness('managerId', kpis.byManager, completeness?.byManager),
    });
  const perManager = options.per === 'manager';
  const rows = perManager ? kpis.byManager : kpis.byBranch;
  output.write(
    `${formatBookSummary(summary, options.locale)}\n${kpiTable(rows, kpis.bank, options)}\n`,
  );
  if (completeness === null) return;
  const files = perManager ? completeness.byManager : completeness.byBranch;
  output.write(`${completenessTable(rows.keys(), files, completeness.bank, options)}\n`);
}

function registerKpi(program: Command, output: Output): void {
  withStoreOptions(program.command('kpi'))
    .description(
      'book KPIs (管户指标) and profile completeness (建档率) per branch or manager and for the bank, from the store',
    )
    .option('--from <date>', 'first day of the period', calendarDate, '2026-08-01')
    .option('--to <date>', 'last day of the period', calendarDate, '2026-10-31')
    .addOption(
      new Option('--per <level>', 'one row per branch or per manager')
        .choices(['branch', 'manager'])
        .default('branch'),
    )
    .option(
      '--no-events',
      'skip reading events and contacts (faster; contact coverage, dormancy and profile completeness are then not measured)',
    )
    .action(async (options: KpiOptions, command: Command) => {
      if (options.from > options.to)
        command.error(`error: --from ${options.from} is after --to ${options.to}.`);
      await withSession(command, options, async (session) => {
        printKpi(output, await kpiSummary(session, options), options);
      });
    });
}

/** Adds the managed-book commands to the `kequn` program. */
export function registerBookCommands(program: Command, output: Output = process.stdout): void {
  registerAssign(program, output);
  registerHandoffs(program, output);
  registerPlan(program, output);
  registerKpi(program, output);
}
