// Campaigns: types, list, create from a type, one campaign, audience size, life-cycle actions
// (four eyes on approval), a run of due steps with live progress, and the report. The engine
// writes the audit entries of every create and status change in the same transaction; a campaign
// outside the caller's scope answers 404 exactly like one that does not exist.
import { campaignRoutes, hasPermission, routeById, type Principal } from '@kequn/api';
import { campaignReport, CampaignError, type Campaign } from '@kequn/campaigns';
import { notFound, ServerError } from '../errors.js';
import { route, type ServerRoute } from '../route-table.js';
import type { DataScope } from '../scope.js';
import type { BankState } from '../state.js';
import { campaignActor, campaignVisible, userOfActor } from '../campaigns.js';

function principalOf(principal: Principal | undefined): Principal {
  if (principal === undefined)
    throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'This route needs a bearer token.');
  return principal;
}

async function campaignOr404(
  state: BankState,
  principal: Principal,
  scope: DataScope,
  campaignId: string,
): Promise<Campaign> {
  const campaign = await state.campaigns.engine.campaigns.getCampaign(campaignId);
  if (campaign === undefined || !campaignVisible(principal, scope, campaign))
    throw notFound(`Campaign ${campaignId}`);
  return campaign;
}

/** A branch role creates for its own branch (the default); only the whole bank picks any branch. */
function owningBranch(principal: Principal, scope: DataScope, requested: string | undefined) {
  if (scope.kind === 'all') return requested;
  const own = principal.branchId;
  if (own === undefined)
    throw new ServerError(
      403,
      'KQ_SERVER_FORBIDDEN',
      `The role ${principal.role} creates campaigns for its branch, and the token names none.`,
    );
  if (requested !== undefined && requested !== own)
    throw new ServerError(
      403,
      'KQ_SERVER_FORBIDDEN',
      `A ${principal.role} of ${own} cannot create a campaign for branch ${requested}.`,
    );
  return own;
}

export const campaignServerRoutes: ServerRoute[] = [
  route(routeById(campaignRoutes, 'campaigns.types'), async ({ state }) => ({
    types: state.campaigns.engine.types(),
  })),
  route(routeById(campaignRoutes, 'campaigns.list'), async ({ state, principal, scope, query }) => {
    const caller = principalOf(principal);
    const campaigns = await state.campaigns.engine.list(query.status);
    return { items: campaigns.filter((campaign) => campaignVisible(caller, scope, campaign)) };
  }),
  route(
    routeById(campaignRoutes, 'campaigns.create'),
    async ({ state, principal, scope, body }) => {
      const caller = principalOf(principal);
      const { branchId: requested, ...input } = body;
      const branchId = owningBranch(caller, scope, requested);
      return state.campaigns.engine.create(
        { ...input, ...(branchId === undefined ? {} : { branchId }) },
        { actor: campaignActor(caller) },
      );
    },
  ),
  route(routeById(campaignRoutes, 'campaigns.get'), async ({ state, principal, scope, params }) =>
    campaignOr404(state, principalOf(principal), scope, params.campaignId),
  ),
  route(
    routeById(campaignRoutes, 'campaigns.audience'),
    async ({ state, principal, scope, params }) => {
      const campaign = await campaignOr404(state, principalOf(principal), scope, params.campaignId);
      return {
        campaignId: campaign.id,
        customers: await state.campaigns.engine.audienceSize(campaign.id),
      };
    },
  ),
  route(
    routeById(campaignRoutes, 'campaigns.act'),
    async ({ state, principal, scope, params, body }) => {
      const caller = principalOf(principal);
      const campaign = await campaignOr404(state, caller, scope, params.campaignId);
      const deciding = body.action === 'approve' || body.action === 'reject';
      if (deciding && !hasPermission(caller.role, 'campaigns.approve'))
        throw new ServerError(
          403,
          'KQ_SERVER_FORBIDDEN',
          `The role ${caller.role} lacks the permission campaigns.approve needed to ${body.action}.`,
        );
      // The engine compares whole actors; the same person under another role is still the creator.
      if (body.action === 'approve' && userOfActor(campaign.createdBy) === caller.userId)
        throw new CampaignError(
          'KQ_CAMPAIGN_APPROVER',
          `Campaign "${campaign.id}" was created by ${caller.userId}, who cannot also approve it; another approver must.`,
        );
      return state.campaigns.engine.act(campaign.id, body.action, {
        actor: campaignActor(caller),
        ...(body.note === undefined ? {} : { note: body.note }),
      });
    },
  ),
  route(
    routeById(campaignRoutes, 'campaigns.run'),
    async ({ state, principal, scope, params, signal, audit }) => {
      const campaign = await campaignOr404(state, principalOf(principal), scope, params.campaignId);
      if (campaign.status !== 'running')
        throw new CampaignError(
          'KQ_CAMPAIGN_NOT_RUNNING',
          `Campaign "${campaign.id}" is ${campaign.status}; only a running campaign runs its steps.`,
        );
      await audit('update', `campaign:${campaign.id}`, { action: 'run' });
      return state.campaigns.run(campaign.id, signal);
    },
  ),
  route(
    routeById(campaignRoutes, 'campaigns.report'),
    async ({ state, principal, scope, params, query, now }) => {
      const campaign = await campaignOr404(state, principalOf(principal), scope, params.campaignId);
      return campaignReport(state.campaigns.store, campaign, { asOf: query.asOf ?? now() });
    },
  ),
];
