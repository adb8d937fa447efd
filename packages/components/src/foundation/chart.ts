// Charts as data: an element describes a chart once (a ChartSpec) and draws it either as a small
// inline SVG (the default: no dependency, a few hundred bytes) or, when the page opts in with
// `renderer="echarts"`, through the ECharts adapter, which is imported only then. The controller
// keeps ECharts instances in step with the element's updates and disposes them with the element.
import {
  html,
  svg,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';

export type ChartRenderer = 'svg' | 'echarts';

export interface ChartSeries {
  readonly name: string;
  /** One value per category; null where there is no figure (a gap, not a zero). */
  readonly values: readonly (number | null)[];
  /** A custom property of the element holding the colour, such as `--_primary`. */
  readonly colour: string;
}

export interface ChartSpec {
  readonly kind: 'line' | 'bar';
  /** The accessible name of the chart: what it shows, in the element's locale. */
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Formats a value for labels and tooltips. */
  readonly format: (value: number) => string;
}

/** What the lazily imported adapter offers (src/charts/echarts-adapter.ts). */
export interface ChartAdapter {
  draw(container: HTMLElement, spec: ChartSpec, colour: (property: string) => string): void;
  dispose(container: HTMLElement): void;
}

const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 32;

/** A one-series trend line; the last point is marked, gaps are skipped. */
export function sparkline(spec: ChartSpec): TemplateResult {
  const series = spec.series[0];
  const values = series?.values ?? [];
  const known = values.filter((value): value is number => value !== null);
  const low = Math.min(...known);
  const high = Math.max(...known);
  const span = high - low || 1;
  const step = values.length > 1 ? SPARK_WIDTH / (values.length - 1) : 0;
  const points: [number, number][] = [];
  values.forEach((value, index) => {
    if (value === null) return;
    points.push([index * step, SPARK_HEIGHT - 3 - ((value - low) / span) * (SPARK_HEIGHT - 6)]);
  });
  const last = points.at(-1);
  return html`<svg
    class="sparkline"
    part="chart"
    viewBox="-3 0 ${SPARK_WIDTH + 6} ${SPARK_HEIGHT}"
    role="img"
    aria-label=${spec.title}
    data-renderer="svg"
  >
    ${svg`<polyline fill="none" stroke-width="2" style=${`stroke: var(${series?.colour ?? '--_primary'})`}
      points=${points.map(([x, y]) => `${x},${y}`).join(' ')}></polyline>`}
    ${last === undefined ? null : svg`<circle cx=${last[0]} cy=${last[1]} r="3" style=${`fill: var(${series?.colour ?? '--_primary'})`}></circle>`}
  </svg>`;
}

const BAR_LABEL = 120;
const BAR_WIDTH = 280;
const BAR_HEIGHT = 16;
const VALUE_GAP = 72;

/** Horizontal bars, one row per category and series, each with its value written beside it. */
export function bars(spec: ChartSpec): TemplateResult {
  const all = spec.series.flatMap((series) =>
    series.values.filter((value): value is number => value !== null),
  );
  const high = Math.max(1, ...all.map(Math.abs));
  const rowHeight = spec.series.length * (BAR_HEIGHT + 2) + 8;
  const height = spec.categories.length * rowHeight;
  return html`<svg
    class="bars"
    part="chart"
    viewBox="0 0 ${BAR_LABEL + BAR_WIDTH + VALUE_GAP} ${height}"
    role="img"
    aria-label=${spec.title}
    data-renderer="svg"
  >
    ${spec.categories.map((category, row) => {
      const top = row * rowHeight;
      return svg`<text class="axis" x="0" y=${top + BAR_HEIGHT - 3}>${category}</text>
        ${spec.series.map((series, index) => {
          const value = series.values[row] ?? null;
          const width = value === null ? 0 : (Math.abs(value) / high) * BAR_WIDTH;
          const y = top + index * (BAR_HEIGHT + 2);
          return svg`<rect x=${BAR_LABEL} y=${y} height=${BAR_HEIGHT} width=${Math.max(width, value === null ? 0 : 1)}
              rx="2" style=${`fill: var(${series.colour})`}><title>${series.name}</title></rect>
            <text class="value" x=${BAR_LABEL + width + 4} y=${y + BAR_HEIGHT - 3}>${value === null ? '—' : spec.format(value)}</text>`;
        })}`;
    })}
  </svg>`;
}

type ChartHost = ReactiveControllerHost & HTMLElement & { renderer: ChartRenderer };

let adapter: Promise<ChartAdapter> | undefined;

/** The ECharts adapter, imported once per page and only by an element whose renderer is echarts. */
function loadAdapter(): Promise<ChartAdapter> {
  adapter ??= import('../charts/echarts-adapter.js').then((module) => module.echartsAdapter);
  return adapter;
}

/**
 * Draws an element's charts: `chart(key, spec, svgFallback)` in render() returns the SVG, or, with
 * `renderer="echarts"`, a container the controller fills after the update. When ECharts cannot be
 * imported (the optional peer is not installed) the element warns once and keeps drawing SVG.
 */
export class ChartController implements ReactiveController {
  readonly #host: ChartHost;
  readonly #pending = new Map<string, ChartSpec>();
  /** Containers ECharts drew into, so those a re-render removed can give their instance back. */
  readonly #drawn = new Set<HTMLElement>();
  #unavailable = false;

  constructor(host: ChartHost) {
    this.#host = host;
    host.addController(this);
  }

  get usesECharts(): boolean {
    return this.#host.renderer === 'echarts' && !this.#unavailable;
  }

  chart(key: string, spec: ChartSpec, draw: (spec: ChartSpec) => TemplateResult): TemplateResult {
    if (!this.usesECharts) return draw(spec);
    this.#pending.set(key, spec);
    return html`<div
      class="echart"
      part="chart"
      data-chart=${key}
      role="img"
      aria-label=${spec.title}
    ></div>`;
  }

  hostUpdated(): void {
    this.#disposeRemoved();
    if (this.#pending.size === 0) return;
    const specs = new Map(this.#pending);
    this.#pending.clear();
    loadAdapter().then(
      (charts) => {
        const root = this.#host.shadowRoot;
        if (root === null || !this.#host.isConnected) return;
        const style = getComputedStyle(this.#host);
        const colour = (property: string) =>
          style.getPropertyValue(property).trim() || 'currentColor';
        for (const [key, spec] of specs) {
          const container = root.querySelector<HTMLElement>(`[data-chart="${key}"]`);
          if (container === null) continue;
          charts.draw(container, spec, colour);
          this.#drawn.add(container);
        }
      },
      (error: unknown) => {
        this.#unavailable = true;
        adapter = undefined;
        console.warn(
          `<${this.#host.localName}> renderer="echarts" needs the optional peer dependency echarts (npm install echarts); drawing SVG instead.`,
          error,
        );
        this.#host.requestUpdate();
      },
    );
  }

  // Charts are disposed when the element leaves the page; back on it, render them again.
  hostConnected(): void {
    if (this.usesECharts) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#dispose([...this.#drawn]);
  }

  #disposeRemoved(): void {
    this.#dispose([...this.#drawn].filter((container) => !container.isConnected));
  }

  #dispose(containers: HTMLElement[]): void {
    if (containers.length === 0 || adapter === undefined) return;
    for (const container of containers) this.#drawn.delete(container);
    void adapter.then((charts) => containers.forEach((container) => charts.dispose(container)));
  }
}
