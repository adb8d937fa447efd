import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-tier-pyramid.js';
import type { KqTierPyramid } from '../src/index.js';
import {
  axeViolations,
  cleanup,
  clientFor,
  mountLoaded,
  nextEvent,
  shadow,
} from './browser-helpers.js';

afterEach(cleanup);

function pyramid(lang: string): Promise<KqTierPyramid> {
  return mountLoaded<KqTierPyramid>('kq-tier-pyramid', lang, 'tier', 5, 'five tiers');
}

describe('kq-tier-pyramid', () => {
  it('draws the five tiers from the server, private banking on top, in zh-CN', async () => {
    const element = await pyramid('zh-CN');
    const client = await clientFor();
    const { tiers } = await client.call('tiers.list');
    const layers = Array.from(shadow(element).querySelectorAll('[part~="tier"]'));
    expect(layers.map((layer) => layer.getAttribute('data-tier'))).toEqual([
      'private',
      'high_end',
      'mid',
      'effective',
      'potential',
    ]);
    const potential = tiers.find((tier) => tier.id === 'potential');
    const label = layers[4]?.textContent ?? '';
    expect(label).toContain('潜力客户');
    expect(label).toContain(
      `${new Intl.NumberFormat('zh-CN').format(potential?.customers ?? -1)} 人`,
    );
    expect(shadow(element).textContent).toMatch(/万元|亿元/);
    expect(await axeViolations(element)).toEqual([]);
  });

  it('speaks English with CNY amounts when the page is English', async () => {
    const element = await pyramid('en');
    const label =
      shadow(element)
        .querySelector('[data-tier="high_end"]')
        ?.textContent?.replace(/\s+/g, ' ')
        .trim() ?? '';
    expect(label).toMatch(/^High-end [\d,]+ customers, AUM CN¥[\d.]+[KMB]?$/);
    expect(shadow(element).querySelector('h2')?.textContent).toContain('Customer tiers');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('emits kq-tier-select (bubbling, composed) on click and on Enter, and marks the tier pressed', async () => {
    const element = await pyramid('en');
    const mid = shadow(element).querySelector<SVGGElement>('[data-tier="mid"]');
    const clicked = nextEvent<CustomEvent<{ tierId: string; customers: number }>>(
      document.body,
      'kq-tier-select',
    );
    mid?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    const event = await clicked;
    expect(event.detail.tierId).toBe('mid');
    expect(event.composed).toBe(true);
    await element.updateComplete;
    expect(mid?.getAttribute('aria-pressed')).toBe('true');
    expect(element.getAttribute('selected')).toBe('mid');

    const keyed = nextEvent<CustomEvent<{ tierId: string }>>(element, 'kq-tier-select');
    shadow(element)
      .querySelector('[data-tier="private"]')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect((await keyed).detail.tierId).toBe('private');
    await element.updateComplete;
    expect(await axeViolations(element)).toEqual([]);
  });
});
