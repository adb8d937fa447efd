// <kq-tier-migration>: the tier migration matrix (升降层矩阵), a standard report: customers by tier
// at the earlier date (rows) and now (columns), upgrades above the diagonal.
import { css, html, nothing } from 'lit';
import type { OutputOf } from '@kequn/client';
import { KequnElement } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCount, formatDate, formatPercent } from '../foundation/format.js';
import { tierLabel, type Catalogue } from '../foundation/messages.js';
import { hostStyles } from '../foundation/styles.js';

export type TierMatrix = OutputOf<'tiers.migration'>;

const messages = {
  'zh-CN': {
    title: '分层迁移',
    caption: '{from} → {to} 客户分层迁移（行：期初，列：期末）',
    fromTo: '期初 \\ 期末',
    upgrades: '提升 {count} 人',
    downgrades: '下降 {count} 人',
    stayed: '保持 {count} 人',
    cell: '{from} → {to}：{count} 人（占期初 {share}）',
  },
  en: {
    title: 'Tier migration',
    caption: 'Tier migration {from} → {to} (rows: start, columns: end)',
    fromTo: 'Start \\ End',
    upgrades: '{count} upgraded',
    downgrades: '{count} downgraded',
    stayed: '{count} stayed',
    cell: '{from} → {to}: {count} customers ({share} of start)',
  },
} as const satisfies Catalogue<string>;

/**
 * Shade of a cell: more customers, stronger colour. Capped at 60% of the strong colour so the text
 * colour keeps a 4.5:1 contrast on every cell of the default and dark themes.
 */
function shade(share: number): string {
  const strength = Math.round(Math.min(1, share) * 60);
  return `color-mix(in srgb, var(--_cell-strong) ${strength}%, var(--_surface))`;
}

/**
 * The migration matrix as a table (each count a button that emits `kq-migration-select`).
 * Loads `tiers.migration` with a client, or renders the `matrix` property.
 *
 * @summary Tier migration matrix: upgrades, downgrades and customers who stayed.
 * @csspart title - The heading.
 * @csspart summary - Upgrade, downgrade and stayed totals.
 * @csspart matrix - The table.
 * @csspart cell - Each count; also `cell-upgrade`, `cell-downgrade` or `cell-stayed`.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-migration-cell-strong - Colour of the fullest cell (falls back to --kq-color-primary).
 * @cssprop --kq-migration-upgrade-color - Upgrade total colour (falls back to --kq-color-success).
 * @cssprop --kq-migration-downgrade-color - Downgrade total colour (falls back to --kq-color-danger).
 * @event kq-migration-select - A cell was chosen; detail `{ fromTier, toTier, customers }`.
 * @event kq-error - Loading failed; detail `{ routeId, code, status, message }`.
 */
export class KqTierMigration extends KequnElement {
  static override properties = { matrix: { attribute: false } };

  static override styles = [
    hostStyles,
    css`
      :host {
        --_cell-strong: var(--kq-migration-cell-strong, var(--_primary));
      }
      .summary {
        display: flex;
        gap: var(--_space-3);
        margin: 0 0 var(--_space-2);
      }
      .up {
        color: var(--kq-migration-upgrade-color, var(--_success));
      }
      .down {
        color: var(--kq-migration-downgrade-color, var(--_danger));
      }
      caption {
        caption-side: top;
        text-align: start;
        color: var(--_text-muted);
        padding-bottom: var(--_space-1);
      }
      td {
        padding: 0;
        text-align: end;
      }
      td button {
        width: 100%;
        min-width: 4.5em;
        border: 0;
        border-radius: 0;
        padding: var(--_space-2);
        text-align: end;
        font-variant-numeric: tabular-nums;
        background: transparent;
        color: inherit;
      }
      td.stayed button {
        font-weight: 600;
      }
    `,
  ];

  declare matrix: TierMatrix | undefined;

  constructor() {
    super();
    this.matrix = undefined;
  }

  protected override loadKey(): string | undefined {
    return 'migration';
  }

  protected override hasData(): boolean {
    return this.matrix !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    this.matrix = await client.call('tiers.migration');
  }

  /** Upgrades (to a higher tier), downgrades and customers who stayed; tiers are listed lowest first. */
  get totals(): { upgrades: number; downgrades: number; stayed: number } {
    const totals = { upgrades: 0, downgrades: 0, stayed: 0 };
    this.matrix?.counts.forEach((row, from) =>
      row.forEach((count, to) => {
        if (to > from) totals.upgrades += count;
        else if (to < from) totals.downgrades += count;
        else totals.stayed += count;
      }),
    );
    return totals;
  }

  #cell(matrix: TierMatrix, from: number, to: number, rowTotal: number) {
    const count = matrix.counts[from]?.[to] ?? 0;
    const share = rowTotal === 0 ? 0 : count / rowTotal;
    const background = shade(share);
    const kind = to > from ? 'upgrade' : to < from ? 'downgrade' : 'stayed';
    const fromTier = matrix.tiers[from] ?? '';
    const toTier = matrix.tiers[to] ?? '';
    const label = this.text(messages, 'cell', {
      from: tierLabel(this.locale, fromTier),
      to: tierLabel(this.locale, toTier),
      count: formatCount(this.locale, count),
      share: formatPercent(this.locale, share),
    });
    return html`<td class=${kind} style=${`background: ${background}`}>
      <button
        type="button"
        part="cell cell-${kind}"
        aria-label=${label}
        data-from=${fromTier}
        data-to=${toTier}
        @click=${() => this.emit('kq-migration-select', { fromTier, toTier, customers: count })}
      >
        ${formatCount(this.locale, count)}
      </button>
    </td>`;
  }

  protected override render() {
    const matrix = this.matrix;
    const totals = this.totals;
    return html`
      <h2 part="title">${this.text(messages, 'title')}</h2>
      ${this.renderStatus()}
      ${
        matrix === undefined
          ? nothing
          : html`<p class="summary" part="summary">
                <span class="up"
                  >${this.text(messages, 'upgrades', { count: formatCount(this.locale, totals.upgrades) })}</span
                >
                <span class="down"
                  >${this.text(messages, 'downgrades', { count: formatCount(this.locale, totals.downgrades) })}</span
                >
                <span
                  >${this.text(messages, 'stayed', { count: formatCount(this.locale, totals.stayed) })}</span
                >
              </p>
              <table part="matrix">
                <caption>
                  ${this.text(messages, 'caption', {
                    from: formatDate(this.locale, matrix.from),
                    to: formatDate(this.locale, matrix.to),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${this.text(messages, 'fromTo')}</th>
                    ${matrix.tiers.map((tier) => html`<th scope="col">${tierLabel(this.locale, tier)}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${matrix.tiers.map((tier, from) => {
                    const rowTotal = (matrix.counts[from] ?? []).reduce(
                      (sum, count) => sum + count,
                      0,
                    );
                    return html`<tr>
                      <th scope="row">${tierLabel(this.locale, tier)}</th>
                      ${matrix.tiers.map((_, to) => this.#cell(matrix, from, to, rowTotal))}
                    </tr>`;
                  })}
                </tbody>
              </table>`
      }
    `;
  }
}
