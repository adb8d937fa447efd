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
    campaignTable(report, locale),
    '',
    zh
      ? `生成并建表 ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} 秒，分层分群 ${report.timings.segmentMs.toFixed(0)} 毫秒，营销活动 ${(report.timings.campaignMs / 1000).toFixed(1)} 秒；客户列存表占用 ${megabytes(report.tableBytes)} MB。`
      : `Generated and loaded in ${(report.timings.generateAndLoadMs / 1000).toFixed(1)} s; segmented in ${report.timings.segmentMs.toFixed(0)} ms; campaigns in ${(report.timings.campaignMs / 1000).toFixed(1)} s; the columnar customer table holds ${megabytes(report.tableBytes)} MB.`,
  ];
  return lines.join('\n');
}

function signedPoints(value: number): string {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
}

/** The campaigns of the demo: reach, conversions against the holdout, AUM uplift and cost. */
export function campaignTable(report: DemoReport, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const table = new Table({
    head: zh
      ? ['营销活动', '入组', '对照组', '触达/任务', '抑制', '转化率(实验/对照)', '提升(95%置信区间)', 'AUM 提升(万元)', '单次转化成本(元)']
      : ['Campaign', 'Enrolled', 'Holdout', 'Sent/tasks', 'Suppressed', 'Conversion (treated/holdout)', 'Uplift (95% CI)', 'AUM uplift (CNY 10k)', 'Cost per conversion (CNY)'],
    style: { head: [], border: [] },
  });
  for (const campaign of report.campaigns) {
    const figures = campaign.report;
    const treated = figures.cohorts.filter((cohort) => cohort.cohort === 'treatment');
    const holdout = figures.cohorts.find((cohort) => cohort.cohort === 'holdout');
    const treatedCustomers = treated.reduce((sum, cohort) => sum + cohort.customers, 0);
    const treatedRate = treatedCustomers === 0 ? 0 : treated.reduce((sum, cohort) => sum + cohort.conversions, 0) / treatedCustomers;
    const contacts = Object.values(campaign.outbox).reduce((sum, count) => sum + count, 0);
    const suppressed = figures.funnel.reduce((sum, step) => sum + step.suppressed, 0);
    table.push([
      campaign.name[locale],
      integer.format(figures.enrolled),
      integer.format(holdout?.customers ?? 0),
      integer.format(contacts),
      integer.format(suppressed),
      `${percent.format(treatedRate)} / ${percent.format(holdout?.conversionRate ?? 0)}`,
      figures.uplift === null ? '—' : `${signedPoints(figures.uplift.estimate)} pt (${signedPoints(figures.uplift.low)}, ${signedPoints(figures.uplift.high)})`,
      figures.aumUpliftTotal === null ? '—' : formatWan(Math.abs(figures.aumUpliftTotal) < 5_000 ? 0 : figures.aumUpliftTotal),
      figures.cost.perConversion === null ? '—' : integer.format(Math.round(figures.cost.perConversion)),
    ]);
  }
  const title = zh
    ? '营销活动（5×5 工作法：方案→分发→触达→实施→回检；客户响应为演示模拟）'
    : 'Campaigns (5×5 method: plan → distribution → reach → execution → review; customer responses are simulated for the demo)';
  const dispatch = report.dispatch;
  const reach =
    dispatch === undefined
      ? ''
      : zh
        ? `\n触达：发送 ${integer.format(dispatch.sent)} 条（短信、邮件、企业微信、手机银行推送写入 ${dispatch.path}，敏感信息已脱敏；电话与面访生成客户经理任务 ${integer.format(dispatch.openTasks)} 个），拒发 ${integer.format(dispatch.rejected)} 条，重试 ${integer.format(dispatch.retried)} 次，死信 ${integer.format(dispatch.deadLettered)} 条。`
        : `\nReach: ${integer.format(dispatch.sent)} delivered (SMS, e-mail, WeCom and app push written to ${dispatch.path}, personal values masked; calls and visits became ${integer.format(dispatch.openTasks)} manager tasks), ${integer.format(dispatch.rejected)} rejected, ${integer.format(dispatch.retried)} retries, ${integer.format(dispatch.deadLettered)} dead letters.`;
  return `${title}\n${table.toString()}${reach}`;
}
