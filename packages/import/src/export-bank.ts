// Writes a bank (the synthetic one from @kequn/testing, or any source of customers) out as the CSV
// files a core banking system would hand over: Chinese headers, amounts with thousands separators,
// dates in the spellings such exports use, plus the mapping files that import them back.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Branch,
  Consent,
  Customer,
  CustomerEvent,
  Manager,
  MonthlyAverage,
} from '@kequn/core';
import { stringify } from 'csv-stringify/sync';
import type { ColumnMappingInput } from './mapping.js';
import type { ImportKind } from './kinds.js';

export interface BankToExport {
  customers(): Iterable<Customer>;
  eventsOf?(customer: Customer): Iterable<CustomerEvent>;
  readonly managers: readonly Manager[];
  readonly branches: readonly Branch[];
}

export interface ExportOptions {
  /** Also write every customer's events (a few hundred rows per customer). Default false. */
  events?: boolean;
  /** Called every 10,000 customers. */
  onProgress?: (customersWritten: number) => void;
}

export interface ExportedFile {
  kind: ImportKind;
  path: string;
  mappingPath: string;
  rows: number;
}

const genderCodes = { 男: 'male', 女: 'female', 未知: 'unknown' } as const;
const genderNames: Record<string, string> = { male: '男', female: '女', unknown: '未知' };

/** `1234567.89` → `1,234,567.89`, digit for digit (no rounding), as spreadsheets show amounts. */
export function groupThousands(amount: number): string {
  const text = String(amount);
  if (text.includes('e')) return text;
  const [whole = '0', fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

const yesNo = (value: boolean | undefined): string =>
  value === undefined ? '' : value ? '是' : '否';
const slashDate = (date: string): string => date.replaceAll('-', '/');
const compactDate = (date: string): string => date.replaceAll('-', '');
const months = (averages: readonly MonthlyAverage[]): string =>
  averages
    .map((average) => `${average.month}:${groupThousands(average.averageDailyBalance)}`)
    .join(';');
const consents = (list: readonly Consent[]): string =>
  list
    .map((consent) =>
      [
        consent.channel,
        consent.purpose,
        consent.granted ? 'Y' : 'N',
        consent.recordedAt,
        consent.expiresAt ?? '',
      ]
        .join('/')
        .replace(/\/$/, ''),
    )
    .join('|');

type Column<T> = readonly [
  header: string,
  field: string,
  write: (record: T) => string | number | undefined,
];

const customerColumns: readonly Column<Customer>[] = [
  ['客户号', 'id', (c) => c.id],
  ['开户网点', 'branchId', (c) => c.branchId],
  ['开户日期', 'openedAt', (c) => slashDate(c.openedAt)],
  ['姓名', 'profile.name', (c) => c.profile.name],
  ['性别', 'profile.gender', (c) => genderNames[c.profile.gender]],
  ['出生日期', 'profile.birthDate', (c) => compactDate(c.profile.birthDate)],
  ['手机号', 'profile.phone', (c) => c.profile.phone],
  ['证件号码', 'profile.idNumber', (c) => c.profile.idNumber],
  ['电子邮箱', 'profile.email', (c) => c.profile.email],
  ['职业', 'profile.occupation', (c) => c.profile.occupation],
  ['工作单位', 'profile.employerId', (c) => c.profile.employerId],
  ['城市', 'profile.city', (c) => c.profile.city],
  ['农村客户', 'profile.rural', (c) => yesNo(c.profile.rural)],
  ['婚姻状况', 'profile.family.maritalStatus', (c) => c.profile.family?.maritalStatus],
  ['子女数', 'profile.family.children', (c) => c.profile.family?.children],
  ['供养人数', 'profile.family.dependants', (c) => c.profile.family?.dependants],
  ['家庭信息确认日期', 'profile.family.recordedAt', (c) => c.profile.family?.recordedAt],
  ['在我行资产', 'assets.currentAum', (c) => groupThousands(c.assets.currentAum)],
  ['月日均资产', 'assets.monthlyAverages', (c) => months(c.assets.monthlyAverages)],
  ['最近交易时间', 'behaviour.lastTransactionAt', (c) => c.behaviour.lastTransactionAt],
  ['最近登录时间', 'behaviour.lastLoginAt', (c) => c.behaviour.lastLoginAt],
  ['手机银行活跃', 'behaviour.mobileBankingActive', (c) => yesNo(c.behaviour.mobileBankingActive)],
  ['月均交易笔数', 'behaviour.monthlyTransactions', (c) => c.behaviour.monthlyTransactions],
  ['代发单位', 'behaviour.payroll.employerId', (c) => c.behaviour.payroll?.employerId],
  [
    '代发月金额',
    'behaviour.payroll.monthlyAmount',
    (c) =>
      c.behaviour.payroll === undefined
        ? undefined
        : groupThousands(c.behaviour.payroll.monthlyAmount),
  ],
  ['月结算量', 'behaviour.monthlySettlement', (c) => groupThousands(c.behaviour.monthlySettlement)],
  ['POS商户', 'behaviour.posMerchant', (c) => yesNo(c.behaviour.posMerchant)],
  ['对公账户', 'behaviour.hasBusinessAccount', (c) => yesNo(c.behaviour.hasBusinessAccount)],
  ['季节性信贷', 'behaviour.seasonalCredit', (c) => yesNo(c.behaviour.seasonalCredit)],
  ['客户经理', 'relationshipManagerId', (c) => c.relationshipManagerId ?? undefined],
  ['授权记录', 'consents', (c) => consents(c.consents)],
  ['拒绝联系', 'doNotContact', (c) => yesNo(c.doNotContact)],
  ['风险评级', 'riskProfile', (c) => c.riskProfile],
  ['标签', 'tags', (c) => c.tags.join('|')],
];

type HoldingLine = Customer['holdings'][number] & { customerId: string };
const holdingColumns: readonly Column<HoldingLine>[] = [
  ['客户号', 'customerId', (h) => h.customerId],
  ['产品代码', 'productId', (h) => h.productId],
  ['产品类型', 'productType', (h) => h.productType],
  ['持有金额', 'amount', (h) => groupThousands(h.amount)],
  ['起息日', 'openedAt', (h) => h.openedAt],
  ['到期日', 'maturityDate', (h) => h.maturityDate],
];

type EventLine = Partial<
  Record<
    'amount' | 'direction' | 'channel' | 'category' | 'managerId' | 'outcome' | 'productId',
    string | number
  >
> &
  Pick<CustomerEvent, 'id' | 'customerId' | 'occurredAt' | 'type'>;
const eventColumns: readonly Column<EventLine>[] = [
  ['流水号', 'id', (e) => e.id],
  ['客户号', 'customerId', (e) => e.customerId],
  ['发生时间', 'occurredAt', (e) => e.occurredAt],
  ['事件类型', 'type', (e) => e.type],
  ['金额', 'amount', (e) => (typeof e.amount === 'number' ? groupThousands(e.amount) : undefined)],
  ['方向', 'direction', (e) => e.direction],
  ['渠道', 'channel', (e) => e.channel],
  ['类别', 'category', (e) => e.category],
  ['客户经理', 'managerId', (e) => e.managerId],
  ['结果', 'outcome', (e) => e.outcome],
  ['产品代码', 'productId', (e) => e.productId],
];

const managerColumns: readonly Column<Manager>[] = [
  ['工号', 'id', (m) => m.id],
  ['姓名', 'name', (m) => m.name],
  ['岗位', 'role', (m) => m.role],
  ['所属网点', 'branchId', (m) => m.branchId],
  ['服务容量', 'capacity', (m) => m.capacity],
];

const branchColumns: readonly Column<Branch>[] = [
  ['网点号', 'id', (b) => b.id],
  ['网点名称', 'name', (b) => b.name],
  ['城市', 'city', (b) => b.city],
  ['上级网点', 'parentId', (b) => b.parentId],
];

function mappingFor<T>(kind: ImportKind, columns: readonly Column<T>[]): ColumnMappingInput {
  const mapping: ColumnMappingInput = {
    kind,
    columns: Object.fromEntries(columns.map(([header, field]) => [header, field])),
  };
  if (kind === 'customers') mapping.values = { 'profile.gender': { ...genderCodes } };
  return mapping;
}

interface WrittenFile {
  readonly path: string;
  readonly rows: number;
  close(): Promise<void>;
}

/** A CSV file written in chunks, waiting whenever the disk falls behind. */
class CsvFile<T> implements WrittenFile {
  readonly #stream: WriteStream;
  #pending: unknown[][] = [];
  rows = 0;

  constructor(
    readonly path: string,
    private readonly columns: readonly Column<T>[],
  ) {
    this.#stream = createWriteStream(path, { encoding: 'utf8' });
    this.#stream.write(stringify([columns.map(([header]) => header)]));
  }

  async add(record: T): Promise<void> {
    this.#pending.push(this.columns.map(([, , write]) => write(record) ?? ''));
    this.rows += 1;
    if (this.#pending.length >= 1_000) await this.#drain();
  }

  async close(): Promise<void> {
    await this.#drain();
    await new Promise<void>((resolve, reject) =>
      this.#stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  async #drain(): Promise<void> {
    if (this.#pending.length === 0) return;
    const ok = this.#stream.write(stringify(this.#pending));
    this.#pending = [];
    if (!ok) await new Promise<void>((resolve) => this.#stream.once('drain', () => resolve()));
  }
}

function eventLine(event: CustomerEvent): EventLine {
  return event as EventLine;
}

/** Writes customers.csv, holdings.csv, managers.csv, branches.csv (and events.csv) with their mappings. */
export async function exportBank(
  bank: BankToExport,
  folder: string,
  options: ExportOptions = {},
): Promise<ExportedFile[]> {
  await mkdir(folder, { recursive: true });
  const customers = new CsvFile(join(folder, 'customers.csv'), customerColumns);
  const holdings = new CsvFile(join(folder, 'holdings.csv'), holdingColumns);
  const events =
    options.events === true && bank.eventsOf !== undefined
      ? new CsvFile(join(folder, 'events.csv'), eventColumns)
      : undefined;
  for (const customer of bank.customers()) {
    await customers.add(customer);
    for (const holding of customer.holdings)
      await holdings.add({ ...holding, customerId: customer.id });
    if (events !== undefined && bank.eventsOf !== undefined) {
      for (const event of bank.eventsOf(customer)) await events.add(eventLine(event));
    }
    if (customers.rows % 10_000 === 0) options.onProgress?.(customers.rows);
  }
  const managers = new CsvFile(join(folder, 'managers.csv'), managerColumns);
  for (const manager of bank.managers) await managers.add(manager);
  const branches = new CsvFile(join(folder, 'branches.csv'), branchColumns);
  for (const branch of bank.branches) await branches.add(branch);

  const files: Array<[ImportKind, WrittenFile, ColumnMappingInput]> = [
    ['branches', branches, mappingFor('branches', branchColumns)],
    ['managers', managers, mappingFor('managers', managerColumns)],
    ['customers', customers, mappingFor('customers', customerColumns)],
    ['holdings', holdings, mappingFor('holdings', holdingColumns)],
  ];
  if (events !== undefined) files.push(['events', events, mappingFor('events', eventColumns)]);
  const exported: ExportedFile[] = [];
  for (const [kind, file, mapping] of files) {
    await file.close();
    const mappingPath = file.path.replace(/\.csv$/, '.mapping.json');
    await writeFile(mappingPath, `${JSON.stringify(mapping, null, 2)}\n`);
    exported.push({ kind, path: file.path, mappingPath, rows: file.rows });
  }
  return exported;
}
