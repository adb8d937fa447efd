// Health, the OpenAPI document, dev tokens and "who am I".
import { metaRoutes, rolePolicies, routeById, type Principal } from '@kequn/api';
import { ServerError } from '../errors.js';
import { openApiDocument } from '../openapi.js';
import { route, type ServerRoute } from '../route-table.js';
import { describeScope } from '../scope.js';
import type { BankState } from '../state.js';
import { requireScopeClaims } from '../auth.js';

const managerRoles = new Set(['counter_wealth_manager', 'vip_wealth_manager', 'customer_manager']);

/** Fills a dev principal's branch and manager from the store's organisation, so demos need no ids. */
function devPrincipal(
  state: BankState,
  input: {
    role: Principal['role'];
    userId?: string | undefined;
    branchId?: string | undefined;
    managerId?: string | undefined;
  },
): Principal {
  const managers = state.managers;
  const known = (managerId: string) => managers.find((manager) => manager.id === managerId);
  if (input.managerId !== undefined && known(input.managerId) === undefined) {
    throw new ServerError(
      400,
      'KQ_SERVER_INVALID_REQUEST',
      `No manager ${input.managerId} in this store.`,
    );
  }
  if (input.role === 'manager') {
    const manager =
      input.managerId === undefined
        ? managers.find((candidate) => managerRoles.has(candidate.role))
        : known(input.managerId);
    if (manager === undefined)
      throw new ServerError(
        400,
        'KQ_SERVER_INVALID_REQUEST',
        'The store holds no relationship managers to issue a manager token for.',
      );
    return {
      userId: input.userId ?? manager.id,
      role: 'manager',
      managerId: manager.id,
      branchId: manager.branchId,
    };
  }
  if (input.role === 'branch_head' || input.role === 'operations_manager') {
    const branchId = input.branchId ?? managers[0]?.branchId;
    if (branchId === undefined)
      throw new ServerError(
        400,
        'KQ_SERVER_INVALID_REQUEST',
        'The store holds no branches to issue a branch token for.',
      );
    const holder =
      input.managerId === undefined
        ? managers.find(
            (candidate) => candidate.branchId === branchId && candidate.role === input.role,
          )
        : known(input.managerId);
    const userId = input.userId ?? holder?.id ?? `${input.role}-${branchId}`;
    return {
      userId,
      role: input.role,
      branchId,
      ...(holder === undefined ? {} : { managerId: holder.id }),
    };
  }
  return { userId: input.userId ?? `${input.role}-demo`, role: input.role };
}

export const metaServerRoutes: ServerRoute[] = [
  route(routeById(metaRoutes, 'meta.health'), async ({ state }) => ({
    status: 'ok' as const,
    customers: state.model.table.liveCount,
    asOf: state.asOf,
  })),
  route(routeById(metaRoutes, 'meta.openapi'), async ({ routes }) => openApiDocument(routes)),
  route(routeById(metaRoutes, 'auth.devToken'), async ({ auth, state, body }) => {
    if (!auth.devMode)
      throw new ServerError(
        404,
        'KQ_SERVER_DEV_MODE_OFF',
        'Development tokens are off; start the server with --dev to issue them.',
      );
    const principal = requireScopeClaims(devPrincipal(state, body));
    const issued = await auth.issueDevToken(principal);
    return { ...issued, principal };
  }),
  route(routeById(metaRoutes, 'auth.me'), async ({ principal, scope }) => {
    if (principal === undefined)
      throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'No token.');
    const policy = rolePolicies[principal.role];
    return {
      principal,
      permissions: [...policy.permissions],
      scope: describeScope(scope),
      exportLimit: policy.exportLimit,
    };
  }),
];
