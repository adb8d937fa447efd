// The marketing console: the tier pyramid drilling down to the tier's customers and their card,
// a segment rule with live sizes, the tier migration matrix, campaigns with their funnel, KPIs.
import type {
  KqCampaignFunnel,
  KqCustomerCard,
  KqCustomerList,
  KqKpiDashboard,
  KqSegmentBuilder,
} from '@kequn/components';
import { may } from '../session.js';
import { panel, required } from '../dom.js';
import type { PageContext } from './context.js';

function guarded(allowed: boolean, permission: string, markup: string): string {
  if (allowed) return markup;
  return `<p class="hint"><span data-text="notPermitted"></span><code>${permission}</code></p>`;
}

function monthStart(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

export function renderMarketing({ session, config, container }: PageContext): void {
  const can = (permission: string) => may(session, permission);
  container.innerHTML = `<div class="grid marketing">
    ${panel('pyramid', guarded(can('tiers.read'), 'tiers.read', '<kq-tier-pyramid></kq-tier-pyramid>'))}
    ${panel(
      'tierCustomers',
      guarded(
        can('customers.list'),
        'customers.list',
        '<p class="hint" data-text="pickTier"></p><kq-customer-list page-size="100" hidden></kq-customer-list><kq-customer-card hidden></kq-customer-card>',
      ),
    )}
    ${panel(
      'segmentBuilder',
      guarded(
        can('segments.define'),
        'segments.define',
        '<kq-segment-builder></kq-segment-builder>',
      ),
      'wide',
    )}
    ${panel('migration', guarded(can('tiers.read'), 'tiers.read', '<kq-tier-migration></kq-tier-migration>'))}
    ${panel('kpis', guarded(can('kpis.read'), 'kpis.read', '<kq-kpi-dashboard trend="6"></kq-kpi-dashboard>'))}
    ${panel(
      'campaigns',
      guarded(can('campaigns.read'), 'campaigns.read', '<kq-campaign-board></kq-campaign-board>'),
      'wide',
    )}
    ${panel(
      'funnel',
      guarded(
        can('campaigns.report'),
        'campaigns.report',
        '<p class="hint" data-text="pickCampaign"></p><kq-campaign-funnel hidden></kq-campaign-funnel>',
      ),
      'wide',
    )}
  </div>`;

  const builder = container.querySelector<KqSegmentBuilder>('kq-segment-builder');
  if (builder !== null) {
    builder.attributeCatalogue = config.catalogue;
    builder.rule = { all: [{ attribute: 'assets.currentAum', op: 'gte', value: 500_000 }] };
  }
  const kpis = container.querySelector<KqKpiDashboard>('kq-kpi-dashboard');
  if (kpis !== null) {
    kpis.from = monthStart(config.asOf);
    kpis.to = config.asOf;
  }

  const list = container.querySelector<KqCustomerList>('kq-customer-list');
  const card = container.querySelector<KqCustomerCard>('kq-customer-card');
  if (list !== null && card !== null) {
    container.addEventListener('kq-tier-select', (event) => {
      list.tier = event.detail.tierId;
      list.hidden = false;
      card.hidden = true;
      required<HTMLElement>(list.parentElement ?? container, '.hint').hidden = true;
    });
    list.addEventListener('kq-customer-select', (event) => {
      card.customerId = event.detail.customerId;
      card.explainSegment = list.tier === undefined ? undefined : `tiering:${list.tier}`;
      card.hidden = false;
    });
  }

  const funnel = container.querySelector<KqCampaignFunnel>('kq-campaign-funnel');
  if (funnel !== null) {
    container.addEventListener('kq-campaign-select', (event) => {
      funnel.campaignId = event.detail.campaignId;
      funnel.hidden = false;
      required<HTMLElement>(funnel.parentElement ?? container, '.hint').hidden = true;
    });
  }
}
