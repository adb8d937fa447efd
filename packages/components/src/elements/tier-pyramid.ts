// <kq-tier-pyramid>: the five asset tiers (纵向分层) as a pyramid, private banking on top, with
// customers and AUM per tier; choosing a tier emits kq-tier-select for the portal to drill down.
import { css, html, svg, nothing } from 'lit';
import type { OutputOf } from '@kequn/client';
import { KequnElement } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCny, formatCount, formatDate } from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { hostStyles, tierColors } from '../foundation/styles.js';

export type TierFigures = OutputOf<'tiers.list'>['tiers'][number];

const messages = {
  'zh-CN': {
    title: '客户分层',
    asOf: '数据日期 {date}',
    figures: '{customers} 人，资产 {aum}',
  },
  en: {
    title: 'Customer tiers',
    asOf: 'As of {date}',
    figures: '{customers} customers, AUM {aum}',
  },
} as const satisfies Catalogue<string>;

const WIDTH = 560;
const LAYER = 52;
const GAP = 4;
const APEX = 12;
const BASE = 260;

/**
 * The tier pyramid. With a client it loads `tiers.list` (customers and AUM per tier within the
 * caller's data scope); without one it renders the `tiers` property.
 *
 * @summary Five asset tiers with customers and AUM; click a tier to drill down.
 * @csspart title - The heading above the pyramid.
 * @csspart pyramid - The SVG drawing.
 * @csspart tier - One tier layer (a button); also `tier-selected` on the chosen one.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-pyramid-tier-potential-fill - Fill of the potential tier (falls back to --kq-color-tier-potential).
 * @cssprop --kq-pyramid-tier-effective-fill - Fill of the effective tier.
 * @cssprop --kq-pyramid-tier-mid-fill - Fill of the mid tier.
 * @cssprop --kq-pyramid-tier-high-end-fill - Fill of the high-end tier.
 * @cssprop --kq-pyramid-tier-private-fill - Fill of the private-banking tier.
 * @cssprop --kq-pyramid-selected-stroke - Outline of the selected tier (falls back to --kq-color-primary).
 * @event kq-tier-select - A tier was chosen; detail `{ tierId, customers, aum }`.
 * @event kq-error - Loading failed; detail `{ routeId, code, status, message }`.
 */
export class KqTierPyramid extends KequnElement {
  static override properties = {
    tiers: { attribute: false },
    asOf: { attribute: false },
    selected: { type: String, reflect: true },
  };

  static override styles = [
    hostStyles,
    css`
      svg {
        display: block;
        width: 100%;
        max-width: var(--kq-pyramid-max-width, 560px);
        height: auto;
      }
      .tier {
        cursor: pointer;
        outline: none;
      }
      .tier:focus-visible .shape,
      .tier.selected .shape {
        stroke: var(--kq-pyramid-selected-stroke, var(--_primary));
        stroke-width: 3;
      }
      .tier:hover .shape {
        opacity: 0.85;
      }
      .label {
        fill: var(--_text);
        font-size: 14px;
      }
      .figure {
        fill: var(--_text-muted);
        font-size: 13px;
      }
      .title {
        margin: 0 0 var(--_space-2);
        font-size: 1.05em;
      }
      .as-of {
        color: var(--_text-muted);
        font-size: 0.9em;
      }
    `,
  ];

  /** Customers and AUM per tier, lowest tier first (as `tiers.list` returns them). */
  declare tiers: readonly TierFigures[];
  declare asOf: string | undefined;
  /** The chosen tier id. */
  declare selected: string | undefined;

  constructor() {
    super();
    this.tiers = [];
    this.asOf = undefined;
    this.selected = undefined;
  }

  protected override loadKey(): string | undefined {
    return 'tiers';
  }

  protected override hasData(): boolean {
    return this.tiers.length > 0;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const answer = await client.call('tiers.list');
    this.tiers = answer.tiers;
    this.asOf = answer.asOf;
  }

  #choose(tier: TierFigures): void {
    this.selected = tier.id;
    this.emit('kq-tier-select', { tierId: tier.id, customers: tier.customers, aum: tier.aum });
  }

  #onKey(event: KeyboardEvent, tier: TierFigures): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    this.#choose(tier);
  }

  #layer(tier: TierFigures, level: number, count: number) {
    // level 0 is the top (private banking): the pyramid widens by equal steps towards the base.
    const step = (BASE - APEX) / count;
    const top = level * (LAYER + GAP);
    const topHalf = (APEX + step * level) / 2;
    const bottomHalf = (APEX + step * (level + 1)) / 2;
    const centre = BASE / 2 + 8;
    const points = [
      [centre - topHalf, top],
      [centre + topHalf, top],
      [centre + bottomHalf, top + LAYER],
      [centre - bottomHalf, top + LAYER],
    ]
      .map(([x, y]) => `${x},${y}`)
      .join(' ');
    const label = tier.label[this.locale];
    const selected = tier.id === this.selected;
    // The accessible name is the visible text (label, then figures): no aria-label to drift from it.
    const figures = this.text(messages, 'figures', {
      customers: formatCount(this.locale, tier.customers),
      aum: formatCny(this.locale, tier.aum),
    });
    const fill = `var(--kq-pyramid-tier-${tier.id.replace(/_/g, '-')}-fill, ${tierColors[tier.id] ?? 'var(--_primary)'})`;
    return svg`<g
      class="tier ${selected ? 'selected' : ''}"
      part=${selected ? 'tier tier-selected' : 'tier'}
      role="button"
      tabindex="0"
      aria-pressed=${selected ? 'true' : 'false'}
      data-tier=${tier.id}
      @click=${() => this.#choose(tier)}
      @keydown=${(event: KeyboardEvent) => this.#onKey(event, tier)}
    >
      <polygon class="shape" points=${points} style=${`fill: ${fill}`}></polygon>
      <text class="label" x=${BASE + 36} y=${top + 22}>${label}</text>
      <text class="figure" x=${BASE + 36} y=${top + 42}>${figures}</text>
    </g>`;
  }

  protected override render() {
    const fromTop = [...this.tiers].reverse();
    const height = fromTop.length * (LAYER + GAP);
    return html`
      <h2 class="title" part="title">
        ${this.text(messages, 'title')}
        ${
          this.asOf === undefined
            ? nothing
            : html`<span class="as-of"
                >${this.text(messages, 'asOf', {
                  date: formatDate(this.locale, this.asOf),
                })}</span
              >`
        }
      </h2>
      ${this.renderStatus()}
      ${
        fromTop.length === 0
          ? nothing
          : html`<svg
              part="pyramid"
              viewBox="0 0 ${WIDTH} ${height}"
              role="group"
              aria-label=${this.text(messages, 'title')}
            >
              ${fromTop.map((tier, level) => this.#layer(tier, level, fromTop.length))}
            </svg>`
      }
    `;
  }
}
