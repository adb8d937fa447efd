// The Node side of the playground: what the browser app needs to know about the demo bank (who
// can sign in, which attributes a rule may read) and the Vite dev server that serves the app with
// that knowledge at /playground.json. `pnpm start` and the end-to-end test both start it from here.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { devTokenRequestSchema } from '@kequn/api';
import { createKequnClient } from '@kequn/client';
import { createMemoryStore } from '@kequn/core';
import { BankState } from '@kequn/server';
import { createSyntheticBank } from '@kequn/testing';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import type { z } from 'zod';
import type { PlaygroundConfig } from '../src/config.js';

type DevTokenRequest = z.input<typeof devTokenRequestSchema>;

export const playgroundRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The route the app reads its configuration from. */
export const PLAYGROUND_CONFIG_PATH = '/playground.json';

/**
 * Who works at the demo bank: the synthetic bank's branches and staff for this seed. Only the
 * organisation is drawn (no customers), so this is instant; it is the same organisation
 * `kequn serve --seed` writes into the store.
 */
export function demoBankDirectory(seed: number, asOf: string): PlaygroundConfig['directory'] {
  const bank = createSyntheticBank({ seed, customers: 0, asOf });
  return {
    branches: bank.branches.map(({ id, name }) => ({ id, name })),
    staff: bank.managers.map(({ id, name, role, branchId }) => ({ id, name, role, branchId })),
  };
}

/**
 * The attributes a segment rule may read — the columns of the server's own kernel (tiering,
 * featured groups, ABCD, dormant), read from a bank state over an empty store so that the
 * catalogue is exactly what `POST /segments/validate` accepts.
 */
export async function attributeCatalogue(asOf: string): Promise<PlaygroundConfig['catalogue']> {
  const store = createMemoryStore();
  const state = await BankState.open({ store, asOf });
  try {
    const table = state.model.table;
    return table.attributeIds().map((id) => {
      const { definition } = table.column(id);
      return {
        id: definition.id,
        type: definition.type,
        label: definition.label,
        ...(definition.values === undefined ? {} : { values: definition.values }),
      };
    });
  } finally {
    await state.close();
    await store.close();
  }
}

function configPlugin(config: () => PlaygroundConfig): Plugin {
  return {
    name: 'kequn-playground-config',
    configureServer(server) {
      server.middlewares.use(PLAYGROUND_CONFIG_PATH, (_request, response) => {
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.setHeader('cache-control', 'no-store');
        response.end(JSON.stringify(config()));
      });
    },
  };
}

export interface PlaygroundAppOptions {
  /** Port of the app; 0 picks a free one. */
  port: number;
  host?: string;
  /** Read on every request, so the API URL may be filled in after the app is listening. */
  config: () => PlaygroundConfig;
}

export interface RunningPlaygroundApp {
  readonly vite: ViteDevServer;
  readonly port: number;
  /** The app's URL as printed (localhost). */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the Vite dev server of the app (playground/vite.config.ts plus the config route). */
export async function startPlaygroundApp(
  options: PlaygroundAppOptions,
): Promise<RunningPlaygroundApp> {
  const vite = await createServer({
    root: playgroundRoot,
    configFile: resolve(playgroundRoot, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    plugins: [configPlugin(options.config)],
    server: { port: options.port, strictPort: false, host: options.host ?? 'localhost' },
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') {
    await vite.close();
    throw new Error('The playground app did not report the port it listens on.');
  }
  return {
    vite,
    port: address.port,
    url: `http://localhost:${address.port}`,
    close: () => vite.close(),
  };
}

/** Origins the browser may call the API from when the app is on this port. */
export function appOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

async function clientAs(apiUrl: string, principal: DevTokenRequest) {
  const issued = await createKequnClient({ baseUrl: apiUrl }).call('auth.devToken', {
    body: principal,
  });
  return createKequnClient({ baseUrl: apiUrl, token: issued.token });
}

/** The demo campaign's id; its presence means the store was given one already. */
export const DEMO_CAMPAIGN_ID = 'playground-threshold-reward';

/**
 * Gives a fresh demo bank one campaign that has been through its life cycle, so the campaign
 * board and funnel show something: a branch's operations manager creates and submits it, the
 * branch head (another person: four eyes) approves, and it is started and run once — all through
 * the public API, as a portal would. Returns whether it created the campaign.
 */
export async function seedDemoCampaign(apiUrl: string, branchId: string): Promise<boolean> {
  const headOffice = await clientAs(apiUrl, { role: 'head_office' });
  const existing = await headOffice.call('campaigns.list', { query: {} });
  if (existing.items.some((campaign) => campaign.id === DEMO_CAMPAIGN_ID)) return false;
  const maker = await clientAs(apiUrl, { role: 'operations_manager', branchId });
  const checker = await clientAs(apiUrl, { role: 'branch_head', branchId });
  const params = { campaignId: DEMO_CAMPAIGN_ID };
  await maker.call('campaigns.create', {
    body: {
      id: DEMO_CAMPAIGN_ID,
      type: 'threshold-reward',
      name: { 'zh-CN': '五万达标有礼', en: 'Reach 50k reward' },
      parameters: {},
      experiment: { holdout: 0.2 },
      costs: { perContact: { sms: 0.05, phone: 2 }, perConversion: 50 },
    },
  });
  await maker.call('campaigns.act', { params, body: { action: 'submit' } });
  await checker.call('campaigns.act', { params, body: { action: 'approve', note: '预算已确认' } });
  await maker.call('campaigns.act', { params, body: { action: 'start' } });
  for await (const event of maker.stream('campaigns.run', { params, body: {} })) {
    if (event.type === 'error')
      throw new Error(
        `The demo campaign's first run failed: ${event.problem.detail ?? event.problem.title}`,
      );
  }
  return true;
}
