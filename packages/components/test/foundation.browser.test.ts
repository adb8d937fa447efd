import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContextProvider, createContext } from '@lit/context';
import '../src/define/all.js';
import {
  defineElement,
  defineKequnElements,
  KEQUN_CLIENT_CONTEXT_KEY,
  KqTierPyramid,
  resolveLocale,
  type KequnComponentClient,
  type TierFigures,
} from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(() => {
  cleanup();
  document.documentElement.removeAttribute('data-kq-theme');
  document.documentElement.setAttribute('lang', 'en');
});

const tiers: TierFigures[] = [
  { id: 'potential', label: { 'zh-CN': '潜力客户', en: 'Potential' }, customers: 10, aum: 5_000 },
  { id: 'effective', label: { 'zh-CN': '有效客户', en: 'Effective' }, customers: 8, aum: 200_000 },
  { id: 'mid', label: { 'zh-CN': '中端客户', en: 'Mid' }, customers: 6, aum: 1_800_000 },
  { id: 'high_end', label: { 'zh-CN': '高端客户', en: 'High-end' }, customers: 3, aum: 4_200_000 },
  { id: 'private', label: { 'zh-CN': '私行客户', en: 'Private' }, customers: 1, aum: 130_000_000 },
];

describe('locale', () => {
  it('comes from the element, then the closest [lang] across shadow roots, then <html lang>', async () => {
    document.documentElement.setAttribute('lang', 'zh-CN');
    const plain = mount<HTMLElement>('<kq-tier-pyramid></kq-tier-pyramid>', 'kq-tier-pyramid', '');
    plain.parentElement?.removeAttribute('lang');
    expect(resolveLocale(plain)).toBe('zh-CN');
    plain.setAttribute('lang', 'en-GB');
    expect(resolveLocale(plain)).toBe('en');

    const host = document.createElement('div');
    host.setAttribute('lang', 'en');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const inner = document.createElement('span');
    root.append(inner);
    expect(resolveLocale(inner)).toBe('en');
  });

  it('follows a change of <html lang> at runtime', async () => {
    document.documentElement.setAttribute('lang', 'en');
    const element = document.createElement('kq-tier-pyramid');
    element.tiers = tiers;
    document.body.append(element);
    await element.updateComplete;
    expect(shadow(element).querySelector('h2')?.textContent).toContain('Customer tiers');
    document.documentElement.setAttribute('lang', 'zh-CN');
    await until(
      () => shadow(element).querySelector('h2')?.textContent?.includes('客户分层'),
      'Chinese title',
    );
    expect(shadow(element).textContent).toContain('1.3亿元');
  });
});

describe('registration', () => {
  it('does no DOM work in the constructor', () => {
    const element = document.createElement('kq-customer-list');
    expect(element.shadowRoot).toBeNull();
    expect(element.attributes.length).toBe(0);
    expect(element.childNodes.length).toBe(0);
  });

  it('is idempotent and warns, naming both versions, instead of throwing on a collision', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(defineElement('kq-tier-pyramid', KqTierPyramid)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    class OtherCopy extends HTMLElement {
      static kequnVersion = '9.9.9';
    }
    expect(() => defineElement('kq-tier-pyramid', OtherCopy)).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('already defined by @kequn/components 0.1.0');
    customElements.define('kq-collision-probe', OtherCopy);
    defineElement('kq-collision-probe', KqTierPyramid);
    expect(String(warn.mock.calls[1]?.[0])).toContain('@kequn/components 9.9.9');
    expect(String(warn.mock.calls[1]?.[0])).toContain('@kequn/components 0.1.0');
    warn.mockRestore();
  });

  it('registers re-prefixed tags that work like the kq-* ones, twice without complaint', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tags = defineKequnElements({ prefix: 'acme' });
    defineKequnElements({ prefix: 'acme' });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(tags['tier-pyramid']).toBe('acme-tier-pyramid');
    const element = mount<KqTierPyramid>(
      '<acme-tier-pyramid></acme-tier-pyramid>',
      'acme-tier-pyramid',
      'en',
    );
    expect(element).toBeInstanceOf(KqTierPyramid);
    element.client = await clientFor();
    await until(() => shadow(element).querySelectorAll('[part~="tier"]').length === 5, 'tiers');
    expect(() => defineKequnElements({ prefix: 'Not Valid' })).toThrow(/prefix/);
  });
});

describe('context', () => {
  it('takes the client from <kq-provider>, and ignores a provider of another SDK line', async () => {
    const calls: string[] = [];
    const counting: KequnComponentClient = {
      call: ((routeId: string) => {
        calls.push(routeId);
        return Promise.resolve({ asOf: '2026-10-31', tiers });
      }) as KequnComponentClient['call'],
    };
    // A provider keyed for another major version must not answer.
    const foreign = document.createElement('div');
    document.body.append(foreign);
    new ContextProvider(foreign, {
      context: createContext<KequnComponentClient>(Symbol.for('kequn.client.v9')),
      initialValue: counting,
    });
    const lonely = document.createElement('kq-tier-pyramid');
    foreign.append(lonely);
    await lonely.updateComplete;
    expect(calls).toEqual([]);
    expect(shadow(lonely).textContent).toMatch(/Not connected|尚未连接/);

    expect(KEQUN_CLIENT_CONTEXT_KEY).toBe(Symbol.for('kequn.client.v0.1'));
    const provider = document.createElement('kq-provider');
    provider.client = counting;
    const served = document.createElement('kq-tier-pyramid');
    provider.append(served);
    document.body.append(provider);
    await until(() => calls.includes('tiers.list'), 'the call through the provider');
  });
});

describe('events and theming', () => {
  it('kq-* events bubble out of shadow roots (composed)', async () => {
    const outer = document.createElement('div');
    document.body.append(outer);
    const root = outer.attachShadow({ mode: 'open' });
    const element = document.createElement('kq-tier-pyramid');
    element.tiers = tiers;
    root.append(element);
    await element.updateComplete;
    const heard = new Promise<string>((resolve) =>
      document.body.addEventListener('kq-tier-select', (event) => resolve(event.detail.tierId), {
        once: true,
      }),
    );
    shadow(element)
      .querySelector<SVGElement>('[data-tier="mid"]')
      ?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(await heard).toBe('mid');
  });

  it('a CSS custom property on the host page changes the rendered colour; the dark theme too', async () => {
    const element = mount<KqTierPyramid>(
      '<kq-tier-pyramid></kq-tier-pyramid>',
      'kq-tier-pyramid',
      'en',
    );
    element.tiers = tiers;
    await element.updateComplete;
    const shape = () =>
      shadow(element).querySelector<SVGPolygonElement>('[data-tier="mid"] polygon');
    const before = getComputedStyle(shape() as Element).fill;
    expect(before).toBe('rgb(29, 78, 216)');
    const style = document.createElement('style');
    style.textContent = 'kq-tier-pyramid { --kq-color-tier-mid: rgb(200, 30, 40); }';
    document.head.append(style);
    expect(getComputedStyle(shape() as Element).fill).toBe('rgb(200, 30, 40)');
    style.remove();

    const theme = document.createElement('link');
    theme.rel = 'stylesheet';
    theme.href = new URL('../src/themes/dark.css', import.meta.url).href;
    const loaded = new Promise((resolve) =>
      theme.addEventListener('load', resolve, { once: true }),
    );
    document.head.append(theme);
    await loaded;
    document.documentElement.setAttribute('data-kq-theme', 'dark');
    expect(getComputedStyle(element).backgroundColor).toBe('rgb(13, 17, 23)');
    expect(await axeViolations(element)).toEqual([]);
    theme.remove();
  });
});
