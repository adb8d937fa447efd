// End to end: the playground app in Debian's Chromium against a Kequn server on a small synthetic
// bank (3,000 customers, a temporary SQLite file) — the paths a bank developer tries first.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKequnServer, type RunningServer } from '@kequn/server';
import {
  appOrigins,
  attributeCatalogue,
  DEMO_CAMPAIGN_ID,
  demoBankDirectory,
  seedDemoCampaign,
  startPlaygroundApp,
  type RunningPlaygroundApp,
} from '../scripts/playground.js';

const chromiumPath = process.env['KEQUN_CHROMIUM'] ?? '/usr/bin/chromium';
const asOf = '2026-10-31';
const seed = 42;

let storeDirectory: string;
let server: RunningServer;
let app: RunningPlaygroundApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `The playground test needs Chromium at ${chromiumPath} (apt-get install chromium), or KEQUN_CHROMIUM set to its path.`,
    );
  storeDirectory = await mkdtemp(join(tmpdir(), 'kequn-playground-'));
  const directory = demoBankDirectory(seed, asOf);
  const catalogue = await attributeCatalogue(asOf);
  let apiUrl = 'http://127.0.0.1:1';
  app = await startPlaygroundApp({
    port: 0,
    config: () => ({ apiUrl, asOf, directory, catalogue }),
  });
  server = await startKequnServer({
    store: `sqlite:${join(storeDirectory, 'playground.db')}`,
    seedCustomers: 3_000,
    seed,
    asOf,
    port: 0,
    auth: { devMode: true },
    options: { cors: { origins: appOrigins(app.port) }, rateLimit: { enabled: false } },
  });
  apiUrl = server.url;
  await seedDemoCampaign(server.url, 'BR001');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(app.url);
  await page.locator('#app[data-ready="true"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
  if (storeDirectory !== undefined) await rm(storeDirectory, { recursive: true, force: true });
});

async function signInAs(role: string): Promise<void> {
  const who = page.locator('#who');
  const before = await who.textContent();
  await page.selectOption('#role', role);
  await page.click('#sign-in button[type="submit"]');
  await expect.poll(() => who.textContent()).not.toBe(before);
}

describe('the playground', () => {
  it('signs a relationship manager in to their book: customer list → card with a masked phone, contact plan', async () => {
    const manager = demoBankDirectory(seed, asOf).staff.find(
      (staff) => staff.role === 'vip_wealth_manager',
    );
    if (manager === undefined) throw new Error('the demo bank has no VIP wealth manager');
    await page.selectOption('#role', 'manager');
    await page.selectOption('#user', manager.id);
    await page.click('#sign-in button[type="submit"]');
    await expect.poll(() => page.locator('#who').textContent()).toContain(`book:${manager.id}`);
    expect(page.url()).toMatch(/#\/workbench$/);

    const firstRow = page.locator('kq-customer-list [part~="row"]').first();
    await firstRow.click();
    const header = page.locator('kq-customer-card [part="header"]');
    await expect.poll(() => header.textContent(), { timeout: 30_000 }).toMatch(/1\d{2}\*{4}\d{4}/);

    const planRows = page.locator('kq-contact-plan [part~="row"]');
    await planRows.first().waitFor();
    expect(await planRows.count()).toBeGreaterThan(0);
  });

  it('signs head office in: the tier pyramid drills down to the tier’s customers; the segment builder previews a size; the board opens the campaign funnel', async () => {
    await signInAs('head_office');
    await expect.poll(() => page.url()).toMatch(/#\/marketing$/);
    const list = page.locator('kq-customer-list');
    expect(await list.isHidden()).toBe(true);
    await page.locator('kq-tier-pyramid [data-tier="mid"] polygon').click();
    await list.locator('[part~="row"]').first().waitFor();
    expect(await list.getAttribute('tier')).toBe('mid');
    const tierLabel = await page.locator('kq-tier-pyramid [data-tier="mid"] .label').textContent();
    await expect
      .poll(() => list.locator('[part~="row"]').first().textContent())
      .toContain(tierLabel ?? 'mid');

    const total = page.locator('.marketing kq-segment-builder [part="total"]');
    await expect.poll(() => total.textContent(), { timeout: 30_000 }).toMatch(/\d/);

    const funnel = page.locator('kq-campaign-funnel');
    await page
      .locator(`kq-campaign-board [data-campaign="${DEMO_CAMPAIGN_ID}"] [part~="open-button"]`)
      .click();
    await expect.poll(() => funnel.getAttribute('campaign-id')).toBe(DEMO_CAMPAIGN_ID);
    await funnel.locator('[part="funnel-table"]').waitFor();
  });

  it('updates sizes, overlaps and the explanation in the plugin lab as the rule or strategy JSON changes', async () => {
    await page.goto(`${app.url}/#/lab`);
    await page.locator('#app[data-ready="true"]').waitFor();
    const lab = page.locator('#page[data-lab-state="ready"]');
    await lab.waitFor();
    const size = page.locator('[data-lab-segment="rule"] [data-lab-size]');
    const before = await size.textContent();
    expect(await page.locator('.lab-table tbody tr').count()).toBeGreaterThan(1);

    const rule = page.locator('#lab-rule-json');
    await rule.fill((await rule.inputValue()).replace('"value": 60', '"value": 30'));
    await expect.poll(() => size.textContent(), { timeout: 30_000 }).not.toBe(before);
    expect(Number((await size.textContent())?.replace(/\D/g, ''))).toBeGreaterThan(
      Number(before?.replace(/\D/g, '')),
    );
    await page.locator('kq-customer-card[customer-id]').waitFor();

    await page.click('[data-mode="strategy"]');
    await expect.poll(() => page.locator('[data-lab-segment]').count()).toBe(3);
    await page.locator('#page[data-lab-state="ready"]').waitFor();
    await page.locator('kq-customer-card [part="explanation"]').waitFor();
    await page.click('[data-mode="rule"]');
  });

  it('switches the locale: the portal and the elements speak English', async () => {
    const workbenchLink = page.locator('nav a[data-page="workbench"]');
    expect(await workbenchLink.textContent()).toBe('客户经理工作台');
    const total = page.locator('kq-segment-builder [part="total"]');
    await expect.poll(() => total.textContent()).toContain('位客户');
    await page.selectOption('#locale', 'en');
    expect(await workbenchLink.textContent()).toBe("Relationship manager's workbench");
    await expect.poll(() => total.textContent()).toContain('customers');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });
});
