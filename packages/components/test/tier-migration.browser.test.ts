import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-tier-migration.js';
import type { KqTierMigration } from '../src/index.js';
import {
  axeViolations,
  cleanup,
  clientFor,
  mountLoaded,
  nextEvent,
  shadow,
} from './browser-helpers.js';

afterEach(cleanup);

function migration(lang: string): Promise<KqTierMigration> {
  return mountLoaded<KqTierMigration>('kq-tier-migration', lang, 'cell', 25, 'the 5×5 matrix');
}

describe('kq-tier-migration', () => {
  it('shows the server matrix: every cell, upgrades above the diagonal, in zh-CN', async () => {
    const element = await migration('zh-CN');
    const matrix = await (await clientFor()).call('tiers.migration');
    const cells = Array.from(shadow(element).querySelectorAll<HTMLButtonElement>('[part~="cell"]'));
    const shown = cells.map((cell) => Number(cell.textContent?.replace(/[^\d]/g, '')));
    expect(shown).toEqual(matrix.counts.flat());
    const upgrades = matrix.counts.reduce(
      (sum, row, from) => sum + row.reduce((s, count, to) => s + (to > from ? count : 0), 0),
      0,
    );
    expect(element.totals.upgrades).toBe(upgrades);
    expect(shadow(element).querySelector('[part="summary"]')?.textContent).toContain(
      `提升 ${new Intl.NumberFormat('zh-CN').format(upgrades)} 人`,
    );
    expect(shadow(element).querySelector('caption')?.textContent).toContain('期初');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('emits kq-migration-select for a cell, in English', async () => {
    const element = await migration('en');
    const cell = shadow(element).querySelector<HTMLButtonElement>(
      '[data-from="mid"][data-to="high_end"]',
    );
    expect(cell?.getAttribute('aria-label')).toMatch(/^Mid → High-end: [\d,]+ customers/);
    const chosen = nextEvent<CustomEvent<{ fromTier: string; toTier: string; customers: number }>>(
      document,
      'kq-migration-select',
    );
    cell?.click();
    const { detail } = await chosen;
    expect(detail.fromTier).toBe('mid');
    expect(detail.toTier).toBe('high_end');
    expect(String(detail.customers)).toBe(cell?.textContent?.replace(/[^\d]/g, ''));
    expect(await axeViolations(element)).toEqual([]);
  });
});
