// Every element class by tag suffix: the one list the define entry points and
// defineKequnElements read.
import { KqCampaignBoard } from './campaign-board.js';
import { KqCampaignFunnel } from './campaign-funnel.js';
import { KqContactPlan } from './contact-plan.js';
import { KqCustomerCard } from './customer-card.js';
import { KqCustomerList } from './customer-list.js';
import { KqProvider } from './provider.js';
import { KqHandoffQueue } from './handoff-queue.js';
import { KqKpiDashboard } from './kpi-dashboard.js';
import { KqSegmentBuilder } from './segment-builder.js';
import { KqTierMigration } from './tier-migration.js';
import { KqTierPyramid } from './tier-pyramid.js';

export const kequnElements = {
  provider: KqProvider,
  'tier-pyramid': KqTierPyramid,
  'customer-list': KqCustomerList,
  'customer-card': KqCustomerCard,
  'segment-builder': KqSegmentBuilder,
  'tier-migration': KqTierMigration,
  'contact-plan': KqContactPlan,
  'handoff-queue': KqHandoffQueue,
  'kpi-dashboard': KqKpiDashboard,
  'campaign-board': KqCampaignBoard,
  'campaign-funnel': KqCampaignFunnel,
} as const;

export type KequnElementName = keyof typeof kequnElements;
