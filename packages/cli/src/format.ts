// Plain-text tables for the terminal, with CNY amounts in 万元 (ten-thousands) as bank staff read them.
import Table from 'cli-table3';
import type { DemoReport, SegmentRow } from './demo.js';

export type Locale = 'zh-CN' | 'en';

const percent = new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('en');

export function formatWan(amount: number): string {
  return new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(amount / 10_000);
}

const headings: Record<Locale, { segment: string; customers: string; share: string; aum: string; aumShare: string }> = {
  'zh-CN': { segment: '客群', customers: '客户数', share: '客户占比', aum: '资产(万元)', aumShare: '资产占比' },
  en: { segment: 'Segment', customers: 'Customers', share: 'Share', aum: 'AUM (CNY 10k)', aumShare: 'AUM share' },
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

export function demoText(report: DemoReport, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const lines = [
    zh
      ? `客户 ${integer.format(report.customers)} 户，总资产 ${formatWan(report.totalAum)} 万元；前 20% 客户持有 ${percent.format(report.top20AumShare)} 的资产（二八法则）。`
      : `${integer.format(report.customers)} customers, total AUM CNY ${integer.format(Math.round(report.totalAum))}; the top 20% hold ${percent.format(report.top20AumShare)} of assets (the 80/20 rule).`,
    '',
    segmentTable(zh ? '资产分层' : 'Asset tiers', report.tiers, locale),
    '',
    segmentTable(zh ? '特色客群' : 'Featured groups', report.featuredGroups, locale),
    '',
    zh
      ? `生成并建表 ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} 秒，分层分群 ${report.timings.segmentMs.toFixed(0)} 毫秒。`
      : `Generated and loaded in ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} s; segmented in ${report.timings.segmentMs.toFixed(0)} ms.`,
  ];
  return lines.join('\n');
}
