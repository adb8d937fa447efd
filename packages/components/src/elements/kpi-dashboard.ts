// <kq-kpi-dashboard>: the book KPIs a branch is evaluated on (季度考核) — contact coverage, cross-sell,
// AUM growth, tier upgrades and downgrades, dormant activation and hand-off SLA — as cards, each
// with its monthly trend drawn in SVG (or through the optional ECharts adapter).
import { css, html, nothing, type TemplateResult } from 'lit';
import type { OutputOf } from '@kequn/client';
import { KequnElement } from '../foundation/base.js';
import {
  bars,
  ChartController,
  sparkline,
  type ChartRenderer,
  type ChartSpec,
} from '../foundation/chart.js';
import type { KequnComponentClient } from '../foundation/context.js';
import {
  formatCny,
  formatCount,
  formatDate,
  formatMonth,
  formatPercent,
} from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { hostStyles } from '../foundation/styles.js';

export type KpiPeriod = OutputOf<'kpis.get'>;
type Figures = KpiPeriod['figures'];

/** The period shown on the cards and the monthly periods of the trend, oldest first. */
export interface KpiReport {
  readonly current: KpiPeriod;
  readonly trend: readonly KpiPeriod[];
}

export type KpiId = 'coverage' | 'crossSell' | 'aumGrowth' | 'tierMoves' | 'dormant' | 'handoffSla';

const messages = {
  'zh-CN': {
    title: '经营指标',
    period: '{from} 至 {to}',
    coverage: '有效联系覆盖率',
    coverageNote: '{customers} 名管户客户',
    crossSell: '交叉销售率',
    crossSellValue: '人均 {value} 类产品',
    aumGrowth: '总资产提升率',
    aumNote: '{start} → {end}',
    tierMoves: '升降层',
    tierMovesValue: '提升 {up} / 下降 {down}',
    upgrades: '提升',
    downgrades: '下降',
    dormant: '休眠激活率',
    dormantNote: '激活 {reactivated} / 期初休眠 {dormant}',
    handoffSla: '移交时效达标率',
    handoffNote: '按时 {within} / 应联系 {due}',
    noFigure: '无数据',
    trend: '{kpi}近 {months} 个月趋势',
  },
  en: {
    title: 'Book KPIs',
    period: '{from} to {to}',
    coverage: 'Contact coverage',
    coverageNote: '{customers} managed customers',
    crossSell: 'Cross-sell rate',
    crossSellValue: '{value} product types per customer',
    aumGrowth: 'AUM growth',
    aumNote: '{start} → {end}',
    tierMoves: 'Tier moves',
    tierMovesValue: '{up} up / {down} down',
    upgrades: 'Upgrades',
    downgrades: 'Downgrades',
    dormant: 'Dormant activation',
    dormantNote: '{reactivated} reactivated of {dormant} dormant',
    handoffSla: 'Hand-off SLA',
    handoffNote: '{within} on time of {due} due',
    noFigure: 'No data',
    trend: '{kpi}, trend over {months} months',
  },
} as const satisfies Catalogue<string>;

function monthStart(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

function monthEnd(isoMonthStart: string): string {
  const date = new Date(`${isoMonthStart}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + 1, 0);
  return date.toISOString().slice(0, 10);
}

/** The `months` calendar-month windows ending with the month of `to` (the last one ends on `to`). */
export function trendWindows(to: string, months: number): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  const cursor = new Date(`${monthStart(to)}T00:00:00Z`);
  for (let index = 0; index < months; index += 1) {
    const from = cursor.toISOString().slice(0, 10);
    windows.unshift({ from, to: index === 0 ? to : monthEnd(from) });
    cursor.setUTCMonth(cursor.getUTCMonth() - 1);
  }
  return windows;
}

/**
 * KPI cards from `kpis.get` for the period `from`–`to`, with a sparkline per card over the
 * `trend` calendar months ending at `to` (one call per month). `renderer="echarts"` draws the
 * trends with ECharts, imported on first use; the default SVG never loads it.
 *
 * @summary Book KPIs as cards with monthly trends.
 * @csspart title - The heading with the period.
 * @csspart cards - The grid of cards.
 * @csspart card - One KPI card (`data-kpi` names it).
 * @csspart value - The headline figure of a card.
 * @csspart note - The line under the figure.
 * @csspart chart - Each trend chart (SVG, or the ECharts container).
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-kpi-card-min-width - Narrowest card before the grid wraps (default 220px).
 * @cssprop --kq-kpi-trend-color - Trend line colour (falls back to --kq-color-primary).
 * @cssprop --kq-kpi-upgrade-color - Upgrade bars (falls back to --kq-color-success).
 * @cssprop --kq-kpi-downgrade-color - Downgrade bars (falls back to --kq-color-danger).
 * @cssprop --kq-chart-height - Height of an ECharts chart (default 120px).
 * @event kq-error - Loading failed; detail `{ routeId, code, status, message }`.
 */
export class KqKpiDashboard extends KequnElement {
  static override properties = {
    from: { type: String, reflect: true },
    to: { type: String, reflect: true },
    trend: { type: Number },
    renderer: { type: String, reflect: true },
    report: { attribute: false },
  };

  static override styles = [
    hostStyles,
    css`
      :host {
        --_trend: var(--kq-kpi-trend-color, var(--_primary));
        --_up: var(--kq-kpi-upgrade-color, var(--_success));
        --_down: var(--kq-kpi-downgrade-color, var(--_danger));
      }
      .period {
        color: var(--_text-muted);
        font-weight: normal;
        margin-inline-start: var(--_space-2);
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(var(--kq-kpi-card-min-width, 220px), 1fr));
        gap: var(--_space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .card {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-3);
        background: var(--_surface);
      }
      .card h3 {
        margin: 0 0 var(--_space-1);
        color: var(--_text-muted);
        font-weight: normal;
      }
      .value {
        font-size: 1.6em;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        margin: 0;
      }
      .note {
        color: var(--_text-muted);
        margin: 0 0 var(--_space-2);
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
        max-height: 96px;
      }
      .axis,
      .value-label {
        fill: var(--_text);
        font-size: 13px;
      }
      svg .value {
        fill: var(--_text);
        font-size: 13px;
        font-weight: normal;
      }
      .echart {
        width: 100%;
        height: var(--kq-chart-height, 120px);
      }
    `,
  ];

  /** First day of the period (`YYYY-MM-DD`); the first of `to`'s month when unset. */
  declare from: string | undefined;
  /** Last day of the period; nothing loads until it is set. */
  declare to: string | undefined;
  /** Months of trend drawn under each figure (default 6; 1 or less draws none). */
  declare trend: number;
  /** `svg` (default) or `echarts` (needs the optional peer dependency `echarts`). */
  declare renderer: ChartRenderer;
  /** The figures; loaded when a client is present. */
  declare report: KpiReport | undefined;

  readonly #charts = new ChartController(this);

  constructor() {
    super();
    this.from = undefined;
    this.to = undefined;
    this.trend = 6;
    this.renderer = 'svg';
    this.report = undefined;
  }

  protected override loadKey(): string | undefined {
    if (this.to === undefined) return undefined;
    return `${this.from ?? ''}|${this.to}|${this.trend}`;
  }

  protected override hasData(): boolean {
    return this.report !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const to = this.to ?? '';
    const from = this.from ?? monthStart(to);
    const windows = this.trend > 1 ? trendWindows(to, this.trend) : [];
    const ask = (period: { from: string; to: string }) =>
      client.call('kpis.get', { query: period });
    const [current, ...trend] = await Promise.all([ask({ from, to }), ...windows.map(ask)]);
    if (current === undefined) return;
    this.report = { current, trend };
  }

  #trend(kpi: KpiId, pick: (figures: Figures) => number | null, format: (value: number) => string) {
    const trend = this.report?.trend ?? [];
    if (trend.length < 2 || trend.every((period) => pick(period.figures) === null)) return nothing;
    const spec: ChartSpec = {
      kind: 'line',
      title: this.text(messages, 'trend', { kpi: this.text(messages, kpi), months: trend.length }),
      categories: trend.map((period) => formatMonth(this.locale, period.period.from)),
      series: [
        {
          name: this.text(messages, kpi),
          values: trend.map((period) => pick(period.figures)),
          colour: '--_trend',
        },
      ],
      format,
    };
    return this.#charts.chart(kpi, spec, sparkline);
  }

  #card(kpi: KpiId, value: string | null, note: string, chart: TemplateResult | typeof nothing) {
    return html`<li class="card" part="card" data-kpi=${kpi}>
      <h3>${this.text(messages, kpi)}</h3>
      <p class="value" part="value">${value ?? this.text(messages, 'noFigure')}</p>
      ${note === '' ? nothing : html`<p class="note" part="note">${note}</p>`} ${chart}
    </li>`;
  }

  #tierMoves(figures: Figures) {
    const trend = this.report?.trend ?? [];
    const periods =
      trend.length >= 2 ? trend : [this.report?.current].filter((p) => p !== undefined);
    const spec: ChartSpec = {
      kind: 'bar',
      title: this.text(messages, 'tierMoves'),
      categories: periods.map((period) => formatMonth(this.locale, period.period.from)),
      series: [
        {
          name: this.text(messages, 'upgrades'),
          values: periods.map((p) => p.figures.upgrades),
          colour: '--_up',
        },
        {
          name: this.text(messages, 'downgrades'),
          values: periods.map((p) => p.figures.downgrades),
          colour: '--_down',
        },
      ],
      format: (value) => formatCount(this.locale, value),
    };
    const value = this.text(messages, 'tierMovesValue', {
      up: formatCount(this.locale, figures.upgrades),
      down: formatCount(this.locale, figures.downgrades),
    });
    return this.#card('tierMoves', value, '', this.#charts.chart('tierMoves', spec, bars));
  }

  #cards(report: KpiReport) {
    const figures = report.current.figures;
    const percent = (value: number) => formatPercent(this.locale, value);
    const ratio = (value: number | null) => (value === null ? null : percent(value));
    const count = (value: number) => formatCount(this.locale, value);
    const crossSell = (value: number) =>
      new Intl.NumberFormat(this.locale, { maximumFractionDigits: 2 }).format(value);
    return html`<ul class="cards" part="cards">
      ${this.#card(
        'coverage',
        ratio(figures.contactCoverage),
        this.text(messages, 'coverageNote', { customers: count(figures.customers) }),
        this.#trend('coverage', (f) => f.contactCoverage, percent),
      )}
      ${this.#card(
        'crossSell',
        figures.crossSellRate === null ? null : crossSell(figures.crossSellRate),
        figures.crossSellRate === null
          ? ''
          : this.text(messages, 'crossSellValue', { value: crossSell(figures.crossSellRate) }),
        this.#trend('crossSell', (f) => f.crossSellRate, crossSell),
      )}
      ${this.#card(
        'aumGrowth',
        ratio(figures.aumUplift),
        this.text(messages, 'aumNote', {
          start: formatCny(this.locale, figures.aumStart),
          end: formatCny(this.locale, figures.aumEnd),
        }),
        this.#trend('aumGrowth', (f) => f.aumUplift, percent),
      )}
      ${this.#tierMoves(figures)}
      ${this.#card(
        'dormant',
        ratio(figures.dormantReactivationRate),
        this.text(messages, 'dormantNote', {
          reactivated: count(figures.reactivated),
          dormant: count(figures.dormantAtStart),
        }),
        this.#trend('dormant', (f) => f.dormantReactivationRate, percent),
      )}
      ${this.#card(
        'handoffSla',
        ratio(figures.handoffSlaCompliance),
        this.text(messages, 'handoffNote', {
          within: count(figures.handoffsWithinSla),
          due: count(figures.handoffsDue),
        }),
        this.#trend('handoffSla', (f) => f.handoffSlaCompliance, percent),
      )}
    </ul>`;
  }

  protected override render() {
    const report = this.report;
    return html`
      <h2 part="title">
        ${this.text(messages, 'title')}
        ${
          report === undefined
            ? nothing
            : html`<span class="period"
                >${this.text(messages, 'period', {
                  from: formatDate(this.locale, report.current.period.from),
                  to: formatDate(this.locale, report.current.period.to),
                })}</span
              >`
        }
      </h2>
      ${this.renderStatus()} ${report === undefined ? nothing : this.#cards(report)}
    `;
  }
}
