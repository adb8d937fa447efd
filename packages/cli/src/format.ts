// Plain-text tables for the terminal, with CNY amounts in 万元 (ten-thousands) as bank staff read them.
import Table from 'cli-table3';
import type { MigrationMatrix } from '@kequn/segments';
import { formatBookSummary } from '@kequn/books';
import { tierLabels, tierIds, type TierId } from '@kequn/plugin-tiering';
import type { DemoReport, SegmentRow } from './demo.js';

export type Locale = 'zh-CN' | 'en';

const percent = new Intl.NumberFormat('en', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const integer = new Intl.NumberFormat('en');

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

export function formatWan(amount: number): string {
  return new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(amount / 10_000);
}

const headings: Record<
  Locale,
  { segment: string; customers: string; share: string; aum: string; aumShare: string }
> = {
  'zh-CN': {
    segment: '客群',
    customers: '客户数',
    share: '客户占比',
    aum: '资产(万元)',
    aumShare: '资产占比',
  },
  en: {
    segment: 'Segment',
    customers: 'Customers',
    share: 'Share',
    aum: 'AUM (CNY 10k)',
    aumShare: 'AUM share',
  },
};

export function segmentTable(title: string, rows: readonly SegmentRow[], locale: Locale): string {
  const h = headings[locale];
  const table = new Table({
    head: [title, h.customers, h.share, h.aum, h.aumShare],
    colAligns: ['left', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      `${row.label[locale]} (${row.id})`,
      integer.format(row.customers),
      percent.format(row.customerShare),
      formatWan(row.aum),
      percent.format(row.aumShare),
    ]);
  }
  return table.toString();
}

function sourceLine(source: DemoReport['source'], locale: Locale): string {
  const lines: Record<DemoReport['source'], Record<Locale, string>> = {
    generated: {
      'zh-CN': '模拟银行已生成（未保存）。',
      en: 'Synthetic bank generated (not kept).',
    },
    'generated-and-stored': {
      'zh-CN': '模拟银行已生成并保存到存储，下次运行将直接读取。',
      en: 'Synthetic bank generated and written to the store; the next run reads it back.',
    },
    store: {
      'zh-CN': '客户从存储中读取（复用上次生成的模拟银行）。',
      en: 'Customers read back from the store (the bank of an earlier run).',
    },
  };
  return lines[source][locale];
}

function tierLabel(id: string, locale: Locale): string {
  return (tierIds as readonly string[]).includes(id) ? tierLabels[id as TierId][locale] : id;
}

/** From-tier × to-tier counts; the diagonal is customers who stayed. */
export function migrationTable(matrix: MigrationMatrix, locale: Locale): string {
  const corner =
    locale === 'zh-CN' ? `${matrix.from} → ${matrix.to}` : `${matrix.from} → ${matrix.to}`;
  const table = new Table({
    head: [corner, ...matrix.segmentIds.map((id) => tierLabel(id, locale))],
    colAligns: ['left', ...matrix.segmentIds.map(() => 'right' as const)],
    style: { head: [], border: [] },
  });
  matrix.segmentIds.forEach((fromId, row) => {
    const counts = matrix.counts[row] ?? [];
    table.push([
      tierLabel(fromId, locale),
      ...matrix.segmentIds.map((_, column) => integer.format(counts[column] ?? 0)),
    ]);
  });
  return table.toString();
}

export function demoText(report: DemoReport, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const lines = [
    sourceLine(report.source, locale),
    zh
      ? `客户 ${integer.format(report.customers)} 户，总资产 ${formatWan(report.totalAum)} 万元；前 20% 客户持有 ${percent.format(report.top20AumShare)} 的资产（二八法则）。`
      : `${integer.format(report.customers)} customers, total AUM CNY ${integer.format(Math.round(report.totalAum))}; the top 20% hold ${percent.format(report.top20AumShare)} of assets (the 80/20 rule).`,
    '',
    segmentTable(zh ? '资产分层' : 'Asset tiers', report.tiers, locale),
    '',
    segmentTable(zh ? '特色客群' : 'Featured groups', report.featuredGroups, locale),
    '',
    segmentTable(zh ? 'ABCD 分类' : 'ABCD classes', report.abcd, locale),
    '',
    segmentTable(zh ? '休眠客户' : 'Dormant', report.dormant, locale),
    '',
    zh
      ? '层级迁移矩阵（行：期初层级，列：期末层级）'
      : 'Tier migration (rows: tier then, columns: tier now)',
    migrationTable(report.tierMigration, locale),
    '',
    formatBookSummary(report.books, locale),
    '',
    zh
      ? `生成并建表 ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} 秒，分层分群 ${report.timings.segmentMs.toFixed(0)} 毫秒；客户列存表占用 ${megabytes(report.tableBytes)} MB。`
      : `Generated and loaded in ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} s; segmented in ${report.timings.segmentMs.toFixed(0)} ms; the columnar customer table holds ${megabytes(report.tableBytes)} MB.`,
  ];
  return lines.join('\n');
}
