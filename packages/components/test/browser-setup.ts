// Node side of the browser tests: builds dist/ (the embedding tests load the built bundle) and
// starts the Kequn server on a random port over a 2,000-customer synthetic bank, with dev tokens
// and CORS open to the Vitest page. The URL and the attribute catalogue reach the tests by inject().
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startKequnServer } from '@kequn/server';
import { createKequnClient } from '@kequn/client';
import type { AttributeDescription } from '../src/elements/segment-rule.js';
import { buildComponents } from '../scripts/build.js';
import { chromiumPath } from '../vitest.browser.js';
import { seedHandoffs, type SeededHandoffs } from './browser-seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kequnUrl: string;
    attributeCatalogue: AttributeDescription[];
    handoffs: SeededHandoffs;
    /** A threshold-reward campaign of BR001 that was approved, started and run once. */
    runCampaignId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath} (apt-get install chromium), or KEQUN_CHROMIUM set to its path.`,
    );
  }
  const [server] = await Promise.all([
    startKequnServer({
      store: 'memory:',
      seedCustomers: 2_000,
      asOf: '2026-10-31',
      port: 0,
      auth: { devMode: true },
      options: { cors: { origins: ['*'] }, rateLimit: { enabled: false } },
    }),
    buildComponents(),
  ]);
  // What a catalogue route would send: the definitions of the columns rules can read.
  const table = server.state.model.table;
  const catalogue: AttributeDescription[] = table.attributeIds().map((id) => {
    const definition = table.column(id).definition;
    return {
      id: definition.id,
      type: definition.type,
      label: definition.label,
      ...(definition.values === undefined ? {} : { values: definition.values }),
    };
  });
  project.provide('kequnUrl', server.url);
  project.provide('handoffs', await seedHandoffs(server, 4));
  project.provide('runCampaignId', await seedRunCampaign(server.url));
  project.provide('attributeCatalogue', catalogue);
  return () => server.close();
}

async function clientAs(url: string, principal: Record<string, string>) {
  const response = await fetch(`${url}/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(principal),
  });
  const { token } = (await response.json()) as { token: string };
  return createKequnClient({ baseUrl: url, token });
}

/**
 * A campaign through its whole life over HTTP, as a branch would do it: the operations manager
 * creates and submits it, the branch head (another person: four eyes) approves, the operations
 * manager starts it and runs its due steps, so the funnel element has a report to show.
 */
async function seedRunCampaign(url: string): Promise<string> {
  const maker = await clientAs(url, { role: 'operations_manager', branchId: 'BR001' });
  const checker = await clientAs(url, { role: 'branch_head', branchId: 'BR001' });
  const campaignId = 'browser-threshold-reward';
  const params = { campaignId };
  await maker.call('campaigns.create', {
    body: {
      id: campaignId,
      type: 'threshold-reward',
      name: { 'zh-CN': '五万达标有礼', en: 'Reach 50k reward' },
      parameters: {},
      experiment: { holdout: 0.2 },
      costs: { perContact: { sms: 0.05, phone: 2 }, perConversion: 50 },
    },
  });
  await maker.call('campaigns.act', { params, body: { action: 'submit' } });
  await checker.call('campaigns.act', {
    params,
    body: { action: 'approve', note: 'budget confirmed' },
  });
  await maker.call('campaigns.act', { params, body: { action: 'start' } });
  for await (const event of maker.stream('campaigns.run', { params, body: {} })) {
    if (event.type === 'error')
      throw new Error(
        `seeding the campaign run failed: ${event.problem.detail ?? event.problem.title}`,
      );
  }
  return campaignId;
}
