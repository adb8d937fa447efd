// `bookSummary`: the book's KPIs and profile completeness for a whole bank in one pass, and a
// plain-text rendering for `kequn demo`. Pass `eventsOf` to measure contacts and dormancy too.
import type { Customer, CustomerEvent } from '@kequn/core';
import {
  CompletenessTally,
  profileCompleteness,
  profileSectionIds,
  type CompletenessReport,
} from './completeness.js';
import {
  customerKpiFact,
  KpiTally,
  type KpiFigures,
  type KpiPeriod,
  type TierRankAt,
} from './kpi.js';
import type { HandoffCase } from './records.js';
import { customerBasis } from './service.js';
import { booksSettingsSchema, type BooksSettingsInput } from './settings.js';

export interface BookSummaryInput {
  customers: Iterable<Customer>;
  period: KpiPeriod;
  /** A customer's events; without it contact coverage, dormancy and completeness are not measured. */
  eventsOf?: (customer: Customer) => Iterable<CustomerEvent>;
  handoffs?: readonly HandoffCase[];
  settings?: BooksSettingsInput;
  /** The tier on a date, from the tiering plugin; without it moves use the book's own floors, unsmoothed. */
  tierRankAt?: TierRankAt;
}

export interface BookSummary {
  period: KpiPeriod;
  bank: KpiFigures;
  branches: Array<{ branchId: string } & KpiFigures>;
  /** Null when no events were given: the contact-history section cannot be judged. */
  completeness: Pick<CompletenessReport, 'bank' | 'sectionRates'> | null;
}

function lastContactIn(events: readonly CustomerEvent[]): string | undefined {
  return events.filter((event) => event.type === 'contact').at(-1)?.occurredAt;
}

export function bookSummary(input: BookSummaryInput): BookSummary {
  const settings = booksSettingsSchema.parse(input.settings ?? {});
  const kpis = new KpiTally(input.period);
  const completeness = new CompletenessTally(settings.completeness);
  for (const customer of input.customers) {
    const events = input.eventsOf === undefined ? undefined : [...input.eventsOf(customer)];
    const activity = events === undefined ? undefined : { events };
    kpis.addCustomer(
      customerKpiFact(customer, input.period, settings.kpi, activity, input.tierRankAt),
    );
    if (events !== undefined) {
      const file = profileCompleteness(customer, lastContactIn(events), settings.completeness);
      completeness.add(
        file,
        customerBasis(customer),
        customer.branchId,
        customer.relationshipManagerId,
      );
    }
  }
  for (const handoff of input.handoffs ?? []) kpis.addHandoff(handoff);
  const report = kpis.report();
  return {
    period: input.period,
    bank: report.bank,
    branches: [...report.byBranch].map(([branchId, figures]) => ({ branchId, ...figures })),
    completeness: input.eventsOf === undefined ? null : completenessOf(completeness),
  };
}

function completenessOf(
  tally: CompletenessTally,
): Pick<CompletenessReport, 'bank' | 'sectionRates'> {
  const { bank, sectionRates } = tally.report();
  return { bank, sectionRates };
}

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

function decimal(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

const labels = {
  'zh-CN': {
    title: '管户经营指标',
    coverage: '联系覆盖率',
    crossSell: '交叉销售率(户均产品数)',
    uplift: '总资产提升率',
    moves: '升层 / 降层',
    reactivation: '休眠激活率',
    sla: '移交首联时效达标率',
    completeness: '建档率(高端 / 中端)',
    sections: '各项建档率',
    section: {
      basicInfo: '基本信息',
      family: '家庭',
      assetStructure: '资产结构',
      transactionHistory: '交易记录',
      contactHistory: '联系记录',
    },
  },
  en: {
    title: 'Managed-book KPIs',
    coverage: 'Contact coverage',
    crossSell: 'Cross-sell rate (products per customer)',
    uplift: 'AUM uplift',
    moves: 'Tier upgrades / downgrades',
    reactivation: 'Dormant reactivation',
    sla: 'Hand-off SLA compliance',
    completeness: 'Profile completeness (high-end / mid)',
    sections: 'Sections filled',
    section: {
      basicInfo: 'basic',
      family: 'family',
      assetStructure: 'assets',
      transactionHistory: 'transactions',
      contactHistory: 'contacts',
    },
  },
} as const;

/** Columns a label takes in a terminal: CJK characters and full-width punctuation take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += (character.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
  return width;
}

/** The summary as aligned lines of text, in the staff's language. */
export function formatBookSummary(summary: BookSummary, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const text = labels[locale];
  const bank = summary.bank;
  const rows: Array<[string, string]> = [
    [text.coverage, percent(bank.contactCoverage)],
    [text.crossSell, decimal(bank.crossSellRate)],
    [text.uplift, percent(bank.aumUplift)],
    [text.moves, `${bank.upgrades} / ${bank.downgrades}`],
    [text.reactivation, percent(bank.dormantReactivationRate)],
    [text.sla, percent(bank.handoffSlaCompliance)],
  ];
  if (summary.completeness !== null) {
    const { bank: files, sectionRates } = summary.completeness;
    rows.push([text.completeness, `${percent(files.high_end.rate)} / ${percent(files.mid.rate)}`]);
    rows.push([
      text.sections,
      profileSectionIds
        .map((section) => `${text.section[section]} ${percent(sectionRates[section])}`)
        .join(', '),
    ]);
  }
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  const lines = rows.map(
    ([label, value]) => `  ${label}${' '.repeat(width - displayWidth(label))}  ${value}`,
  );
  return [`${text.title} (${summary.period.from} – ${summary.period.to})`, ...lines].join('\n');
}
