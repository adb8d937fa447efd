// Embedding the built package the way portals do: a plain HTML page with a <script type="module">
// of dist/bundle, and a React 19 page. Both load dist/ (built by the browser globalSetup), not src.
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { cleanup, clientFor, until } from './browser-helpers.js';

const bundleUrl = new URL('../dist/bundle/kequn-components.js', import.meta.url).href;

afterEach(cleanup);

describe('embedding the built bundle', () => {
  it('works in a plain HTML page', async () => {
    const frame = document.createElement('iframe');
    frame.title = 'plain portal';
    frame.srcdoc = `<!doctype html><html lang="zh-CN"><head><script type="module" src="${bundleUrl}"></script></head>
      <body><kq-provider><kq-tier-pyramid></kq-tier-pyramid></kq-provider></body></html>`;
    const loaded = new Promise((resolve) =>
      frame.addEventListener('load', resolve, { once: true }),
    );
    document.body.append(frame);
    await loaded;
    const page = frame.contentWindow;
    if (page === null) throw new Error('no frame window');
    await until(
      () => page.customElements.get('kq-provider') !== undefined,
      'the bundle to register',
    );
    const provider = page.document.querySelector('kq-provider') as HTMLElement & {
      client: unknown;
    };
    provider.client = await clientFor();
    const pyramid = page.document.querySelector('kq-tier-pyramid');
    const layers = await until(() => {
      const found = pyramid?.shadowRoot?.querySelectorAll('[part~="tier"]');
      return found !== undefined && found.length === 5 ? found : undefined;
    }, 'the pyramid in the plain page');
    expect(layers[0]?.textContent).toContain('私行客户');
  });

  it('works in a React 19 page, with properties and kq-* events', async () => {
    await import(/* @vite-ignore */ bundleUrl);
    const client = await clientFor();
    const container = document.createElement('div');
    container.lang = 'en';
    document.body.append(container);
    const selected: string[] = [];
    const root = createRoot(container);
    flushSync(() =>
      root.render(
        createElement('kq-tier-pyramid', {
          client,
          'onkq-tier-select': (event: CustomEvent<{ tierId: string }>) =>
            selected.push(event.detail.tierId),
        }),
      ),
    );
    const pyramid = container.querySelector('kq-tier-pyramid');
    const mid = await until(
      () => pyramid?.shadowRoot?.querySelector<SVGElement>('[data-tier="mid"]'),
      'the pyramid in React',
    );
    expect(mid.textContent).toContain('Mid');
    mid.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(selected).toEqual(['mid']);
    root.unmount();
  });
});
