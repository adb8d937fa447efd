// <kq-campaign-funnel>: a campaign's report (跟踪回检): the funnel per journey step with suppression
// reasons, conversions of the treated against the holdout, the uplift with its 95% interval, AUM
// uplift and cost per conversion. Aggregates only — the report route never returns a customer.
import { css, html, nothing, svg } from 'lit';
import type { OutputOf } from '@kequn/client';
import { KequnElement } from '../foundation/base.js';
import { bars, ChartController, type ChartRenderer, type ChartSpec } from '../foundation/chart.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCny, formatCount, formatDate, formatPercent } from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { hostStyles } from '../foundation/styles.js';

export type CampaignReport = OutputOf<'campaigns.report'>;
type Interval = NonNullable<CampaignReport['uplift']>;

const messages = {
  'zh-CN': {
    title: '活动效果',
    asOf: '截至 {date}，入组 {enrolled} 人',
    funnel: '各步骤漏斗',
    step: '步骤',
    reached: '到达',
    sent: '已发送',
    tasks: '任务',
    suppressed: '被拦截',
    suppressedBy: '拦截原因',
    funnelChart: '各步骤的到达、发送、任务与拦截人数',
    conversions: '转化：实验组与对照组',
    cohort: '人群',
    treatment: '实验组',
    holdout: '对照组',
    global_holdout: '全局对照组',
    customers: '人数',
    converted: '转化人数',
    rate: '转化率',
    conversionChart: '各人群转化率',
    uplift: '转化提升',
    upliftValue: '{estimate}（95% 区间 {low} 至 {high}）',
    upliftChart: '转化提升及其 95% 区间',
    noUplift: '样本不足，暂无法估计',
    aum: '资产提升',
    aumPerCustomer: '人均 {estimate}（95% 区间 {low} 至 {high}）',
    aumTotal: '合计 {total}',
    incremental: '增量转化 {count} 人',
    cost: '成本',
    costTotal: '总成本 {total}（触达 {contacts}，奖励 {rewards}）',
    perConversion: '每次转化成本 {value}',
    perIncremental: '每次增量转化成本 {value}',
    none: '—',
  },
  en: {
    title: 'Campaign results',
    asOf: 'As of {date}, {enrolled} enrolled',
    funnel: 'Funnel by step',
    step: 'Step',
    reached: 'Reached',
    sent: 'Sent',
    tasks: 'Tasks',
    suppressed: 'Suppressed',
    suppressedBy: 'Suppressed because',
    funnelChart: 'Reached, sent, tasks and suppressed per step',
    conversions: 'Conversions: treated and holdout',
    cohort: 'Group',
    treatment: 'Treated',
    holdout: 'Holdout',
    global_holdout: 'Global holdout',
    customers: 'Customers',
    converted: 'Converted',
    rate: 'Conversion rate',
    conversionChart: 'Conversion rate per group',
    uplift: 'Conversion uplift',
    upliftValue: '{estimate} (95% interval {low} to {high})',
    upliftChart: 'Conversion uplift with its 95% interval',
    noUplift: 'Too few customers to estimate yet',
    aum: 'AUM uplift',
    aumPerCustomer: '{estimate} per customer (95% interval {low} to {high})',
    aumTotal: '{total} in total',
    incremental: '{count} incremental conversions',
    cost: 'Cost',
    costTotal: '{total} in total ({contacts} contacts, {rewards} rewards)',
    perConversion: '{value} per conversion',
    perIncremental: '{value} per incremental conversion',
    none: '—',
  },
} as const satisfies Catalogue<string>;

const PLOT_WIDTH = 360;
const PLOT_HEIGHT = 40;

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

/**
 * One campaign's report from `campaigns.report`: a funnel table and chart per step, treated vs
 * holdout conversions, the uplift as an interval plot with zero marked, AUM uplift and cost.
 * `renderer="echarts"` draws the funnel and conversion charts through the optional ECharts adapter.
 *
 * @summary A campaign's funnel, uplift against the holdout, AUM uplift and cost.
 * @csspart title - The heading with the as-of line.
 * @csspart section - Each block (funnel, conversions, uplift, AUM, cost); `data-section` names it.
 * @csspart funnel-table - The funnel table.
 * @csspart cohort-table - Conversions per cohort.
 * @csspart chart - Each chart (SVG, or the ECharts container).
 * @csspart interval - The uplift interval plot.
 * @csspart figure - Headline figures (uplift, AUM, cost).
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-funnel-sent-color - Sent bars (falls back to --kq-color-primary).
 * @cssprop --kq-funnel-suppressed-color - Suppressed bars (falls back to --kq-color-danger).
 * @cssprop --kq-funnel-treatment-color - Treated cohort (falls back to --kq-color-primary).
 * @cssprop --kq-funnel-interval-color - The uplift interval (falls back to --kq-color-success).
 * @cssprop --kq-chart-height - Height of an ECharts chart (default 160px).
 * @event kq-error - Loading failed; detail `{ routeId, code, status, message }`.
 */
export class KqCampaignFunnel extends KequnElement {
  static override properties = {
    campaignId: { type: String, attribute: 'campaign-id', reflect: true },
    asOf: { type: String, attribute: 'as-of' },
    renderer: { type: String, reflect: true },
    report: { attribute: false },
  };

  static override styles = [
    hostStyles,
    css`
      :host {
        --_sent: var(--kq-funnel-sent-color, var(--_primary));
        --_suppressed: var(--kq-funnel-suppressed-color, var(--_danger));
        --_treatment: var(--kq-funnel-treatment-color, var(--_primary));
        --_interval: var(--kq-funnel-interval-color, var(--_success));
        --_muted: var(--_text-muted);
      }
      .as-of {
        color: var(--_text-muted);
        font-weight: normal;
        margin-inline-start: var(--_space-2);
      }
      section {
        margin-bottom: var(--_space-3);
      }
      td,
      th {
        font-variant-numeric: tabular-nums;
      }
      ul {
        margin: 0;
        padding-inline-start: 1.2em;
      }
      svg {
        display: block;
        width: 100%;
        max-width: 560px;
        height: auto;
        margin-top: var(--_space-2);
      }
      .axis,
      svg .value {
        fill: var(--_text);
        font-size: 13px;
      }
      .figure {
        font-size: 1.2em;
        font-weight: 600;
        margin: 0;
      }
      .echart {
        width: 100%;
        max-width: 560px;
        height: var(--kq-chart-height, 160px);
      }
    `,
  ];

  declare campaignId: string | undefined;
  /** The report as of this instant (ISO with offset); now when unset. */
  declare asOf: string | undefined;
  /** `svg` (default) or `echarts` (needs the optional peer dependency `echarts`). */
  declare renderer: ChartRenderer;
  /** The report; loaded when a client is present. */
  declare report: CampaignReport | undefined;

  readonly #charts = new ChartController(this);

  constructor() {
    super();
    this.campaignId = undefined;
    this.asOf = undefined;
    this.renderer = 'svg';
    this.report = undefined;
  }

  protected override loadKey(): string | undefined {
    return this.campaignId === undefined ? undefined : `${this.campaignId}|${this.asOf ?? ''}`;
  }

  protected override hasData(): boolean {
    return this.report !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    this.report = await client.call('campaigns.report', {
      params: { campaignId: this.campaignId ?? '' },
      query: this.asOf === undefined ? {} : { asOf: this.asOf },
    });
  }

  #section(id: string, title: string, content: unknown) {
    return html`<section part="section" data-section=${id} aria-labelledby=${`${id}-title`}>
      <h3 id=${`${id}-title`}>${title}</h3>
      ${content}
    </section>`;
  }

  #funnel(report: CampaignReport) {
    const count = (value: number) => formatCount(this.locale, value);
    const spec: ChartSpec = {
      kind: 'bar',
      title: this.text(messages, 'funnelChart'),
      categories: report.funnel.map((step) => step.stepId),
      series: [
        {
          name: this.text(messages, 'reached'),
          values: report.funnel.map((s) => s.reached),
          colour: '--_muted',
        },
        {
          name: this.text(messages, 'sent'),
          values: report.funnel.map((s) => s.sent + s.tasks),
          colour: '--_sent',
        },
        {
          name: this.text(messages, 'suppressed'),
          values: report.funnel.map((s) => s.suppressed),
          colour: '--_suppressed',
        },
      ],
      format: count,
    };
    return html`<table part="funnel-table">
        <thead>
          <tr>
            <th scope="col">${this.text(messages, 'step')}</th>
            <th scope="col">${this.text(messages, 'reached')}</th>
            <th scope="col">${this.text(messages, 'sent')}</th>
            <th scope="col">${this.text(messages, 'tasks')}</th>
            <th scope="col">${this.text(messages, 'suppressed')}</th>
            <th scope="col">${this.text(messages, 'suppressedBy')}</th>
          </tr>
        </thead>
        <tbody>
          ${report.funnel.map(
            (step) =>
              html`<tr data-step=${step.stepId}>
                <th scope="row">${step.stepId} <small>(${step.type})</small></th>
                <td>${count(step.reached)}</td>
                <td>${count(step.sent)}</td>
                <td>${count(step.tasks)}</td>
                <td>${count(step.suppressed)}</td>
                <td>
                  ${
                    Object.keys(step.suppressedBy).length === 0
                      ? this.text(messages, 'none')
                      : html`<ul>
                          ${Object.entries(step.suppressedBy)
                            .sort((a, b) => b[1] - a[1])
                            .map(
                              ([reason, n]) =>
                                html`<li data-reason=${reason}>${reason}: ${count(n)}</li>`,
                            )}
                        </ul>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${report.funnel.length === 0 ? nothing : this.#charts.chart('funnel', spec, bars)}`;
  }

  #conversions(report: CampaignReport) {
    const cohortName = (cohort: string, variant: string) => {
      const name = this.text(messages, cohort as 'treatment' | 'holdout' | 'global_holdout');
      return cohort === 'treatment' &&
        report.cohorts.filter((c) => c.cohort === 'treatment').length > 1
        ? `${name} ${variant}`
        : name;
    };
    const spec: ChartSpec = {
      kind: 'bar',
      title: this.text(messages, 'conversionChart'),
      categories: report.cohorts.map((cohort) => cohortName(cohort.cohort, cohort.variant)),
      series: [
        {
          name: this.text(messages, 'rate'),
          values: report.cohorts.map((cohort) => cohort.conversionRate),
          colour: '--_treatment',
        },
      ],
      format: (value) => formatPercent(this.locale, value),
    };
    return html`<table part="cohort-table">
        <thead>
          <tr>
            <th scope="col">${this.text(messages, 'cohort')}</th>
            <th scope="col">${this.text(messages, 'customers')}</th>
            <th scope="col">${this.text(messages, 'converted')}</th>
            <th scope="col">${this.text(messages, 'rate')}</th>
          </tr>
        </thead>
        <tbody>
          ${report.cohorts.map(
            (cohort) =>
              html`<tr data-cohort=${cohort.cohort}>
                <th scope="row">${cohortName(cohort.cohort, cohort.variant)}</th>
                <td>${formatCount(this.locale, cohort.customers)}</td>
                <td>${formatCount(this.locale, cohort.conversions)}</td>
                <td>${formatPercent(this.locale, cohort.conversionRate)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${report.cohorts.length === 0 ? nothing : this.#charts.chart('conversions', spec, bars)}`;
  }

  /** The interval on an axis that always shows zero, so "no effect" is visible at a glance. */
  #interval(interval: Interval, title: string, format: (value: number) => string) {
    const low = Math.min(interval.low, 0);
    const high = Math.max(interval.high, 0);
    const span = high - low || 1;
    const x = (value: number) => 8 + ((value - low) / span) * (PLOT_WIDTH - 16);
    return html`<svg
      part="interval"
      viewBox="0 0 ${PLOT_WIDTH} ${PLOT_HEIGHT}"
      role="img"
      aria-label=${title}
    >
      ${svg`<line x1=${x(0)} x2=${x(0)} y1="2" y2=${PLOT_HEIGHT - 14} style="stroke: var(--_text-muted)" stroke-dasharray="3 2"></line>
        <text class="axis" x=${x(0)} y=${PLOT_HEIGHT - 2} text-anchor="middle">0</text>
        <line x1=${x(interval.low)} x2=${x(interval.high)} y1="13" y2="13" stroke-width="3" style="stroke: var(--_interval)"></line>
        <line x1=${x(interval.low)} x2=${x(interval.low)} y1="7" y2="19" stroke-width="2" style="stroke: var(--_interval)"></line>
        <line x1=${x(interval.high)} x2=${x(interval.high)} y1="7" y2="19" stroke-width="2" style="stroke: var(--_interval)"></line>
        <circle cx=${x(interval.estimate)} cy="13" r="5" style="fill: var(--_interval)"></circle>
        <title>${format(interval.estimate)}</title>`}
    </svg>`;
  }

  #uplift(report: CampaignReport) {
    const uplift = report.uplift;
    if (uplift === null) return html`<p part="figure">${this.text(messages, 'noUplift')}</p>`;
    const points = (value: number) => signed(formatPercent(this.locale, value), value);
    return html`<p class="figure" part="figure" data-figure="uplift">
        ${this.text(messages, 'upliftValue', {
          estimate: points(uplift.estimate),
          low: points(uplift.low),
          high: points(uplift.high),
        })}
      </p>
      ${this.#interval(uplift, this.text(messages, 'upliftChart'), points)}
      ${
        report.incrementalConversions === null
          ? nothing
          : html`<p>
              ${this.text(messages, 'incremental', {
                count: formatCount(this.locale, Math.round(report.incrementalConversions)),
              })}
            </p>`
      }`;
  }

  #aum(report: CampaignReport) {
    const perCustomer = report.aumUpliftPerCustomer;
    if (perCustomer === null) return html`<p part="figure">${this.text(messages, 'noUplift')}</p>`;
    const cny = (value: number) => signed(formatCny(this.locale, value), value);
    return html`<p class="figure" part="figure" data-figure="aum">
        ${this.text(messages, 'aumPerCustomer', {
          estimate: cny(perCustomer.estimate),
          low: cny(perCustomer.low),
          high: cny(perCustomer.high),
        })}
      </p>
      ${
        report.aumUpliftTotal === null
          ? nothing
          : html`<p>${this.text(messages, 'aumTotal', { total: cny(report.aumUpliftTotal) })}</p>`
      }`;
  }

  #cost(report: CampaignReport) {
    const cny = (value: number) => formatCny(this.locale, value);
    const orNone = (value: number | null) =>
      value === null ? this.text(messages, 'none') : cny(value);
    return html`<p class="figure" part="figure" data-figure="cost">
        ${this.text(messages, 'perConversion', { value: orNone(report.cost.perConversion) })}
      </p>
      <p>
        ${this.text(messages, 'costTotal', {
          total: cny(report.cost.total),
          contacts: cny(report.cost.contacts),
          rewards: cny(report.cost.rewards),
        })}
      </p>
      <p>
        ${this.text(messages, 'perIncremental', { value: orNone(report.cost.perIncrementalConversion) })}
      </p>`;
  }

  protected override render() {
    const report = this.report;
    return html`
      <h2 part="title">
        ${this.text(messages, 'title')}
        ${
          report === undefined
            ? nothing
            : html`<span class="as-of"
                >${this.text(messages, 'asOf', {
                  date: formatDate(this.locale, report.asOf),
                  enrolled: formatCount(this.locale, report.enrolled),
                })}</span
              >`
        }
      </h2>
      ${this.renderStatus()}
      ${
        report === undefined
          ? nothing
          : html`${this.#section('funnel', this.text(messages, 'funnel'), this.#funnel(report))}
            ${this.#section('conversions', this.text(messages, 'conversions'), this.#conversions(report))}
            ${this.#section('uplift', this.text(messages, 'uplift'), this.#uplift(report))}
            ${this.#section('aum', this.text(messages, 'aum'), this.#aum(report))}
            ${this.#section('cost', this.text(messages, 'cost'), this.#cost(report))}`
      }
    `;
  }
}
