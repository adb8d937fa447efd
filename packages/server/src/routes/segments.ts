// Segments: catalogue with counts in scope, custom segments, validation and preview, overlap,
// evaluation progress as server-sent events, and audited export.
import { rolePolicies, routeById, segmentRoutes, type EvaluationEvent } from '@kequn/api';
import { Bitset, isKequnError } from '@kequn/core';
import { RuleError, type RuleSize } from '@kequn/segments';
import type { RuleSizeNode } from '@kequn/api';
import { ServerError, notFound } from '../errors.js';
import { route, type ServerRoute } from '../route-table.js';
import { countInScope, rowsInScope, type DataScope } from '../scope.js';
import { CUSTOM_STRATEGY, type BankState } from '../state.js';
import type { ServerLimits } from '../options.js';
import { summariesOf } from './shared.js';

/** Counts the objects and arrays of a JSON value without recursion, stopping past `limit`. */
function nodeCount(value: unknown, limit: number): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && count <= limit) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') continue;
    count += 1;
    for (const child of Object.values(next)) pending.push(child);
  }
  return count;
}

function guardRuleSize(rule: unknown, limits: ServerLimits): void {
  if (nodeCount(rule, limits.ruleNodes) > limits.ruleNodes) {
    throw new ServerError(
      422,
      'KQ_SERVER_INVALID_REQUEST',
      `The rule has more than ${limits.ruleNodes} nodes; split it into segments that reference each other.`,
    );
  }
}

function issuesOf(error: unknown): { path: string; message: string }[] | undefined {
  if (error instanceof RuleError)
    return error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (isKequnError(error) && error.code.startsWith('KQ_SEGMENT_'))
    return [{ path: 'rule', message: error.message }];
  return undefined;
}

async function strategySummaries(
  state: BankState,
  scope: DataScope,
  strategyIds: readonly string[],
) {
  const strategies = [];
  for (const strategyId of strategyIds) {
    const memberships = await state.memberships(strategyId);
    const segments = (await state.segmentsOf(strategyId)).map((segment) => ({
      ref: `${strategyId}:${segment.id}`,
      strategyId,
      segmentId: segment.id,
      label: { 'zh-CN': segment.label['zh-CN'], en: segment.label.en },
      customers: countInScope(state, scope, memberships.get(segment.id)),
    }));
    strategies.push({ id: strategyId, custom: strategyId === CUSTOM_STRATEGY, segments });
  }
  return strategies;
}

function scopeBitset(state: BankState, scope: DataScope): Bitset | undefined {
  if (scope.kind === 'all') return undefined;
  return Bitset.fromIndexes(state.model.table.size, rowsInScope(state, scope));
}

function toSizeNode(size: RuleSize): RuleSizeNode {
  return {
    path: size.path,
    rule: size.rule,
    count: size.count,
    children: size.children.map(toSizeNode),
  };
}

function requireBankWide(scope: DataScope): void {
  if (scope.kind !== 'all') {
    throw new ServerError(
      403,
      'KQ_SERVER_FORBIDDEN',
      'Rule previews count the whole bank; they need a bank-wide data scope (head office or analyst).',
    );
  }
}

async function* evaluation(
  state: BankState,
  scope: DataScope,
  requested: readonly string[] | undefined,
  signal: AbortSignal,
): AsyncGenerator<EvaluationEvent> {
  const known = state.strategyIds();
  const strategies = requested ?? known;
  const unknown = strategies.filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new ServerError(
      404,
      'KQ_SERVER_NOT_FOUND',
      `No strategy ${unknown.join(', ')}; known: ${known.join(', ')}.`,
    );
  const started = performance.now();
  yield { type: 'started', strategies: [...strategies] };
  let done = 0;
  for (const strategyId of strategies) {
    if (signal.aborted) return;
    await state.reevaluate(strategyId);
    done += 1;
    const [summary] = await strategySummaries(state, scope, [strategyId]);
    yield {
      type: 'progress',
      strategyId,
      done,
      total: strategies.length,
      segments: summary?.segments ?? [],
    };
  }
  yield { type: 'complete', evaluated: done, ms: performance.now() - started };
}

/** Only the two shipped locales: a registry label may carry more keys than the wire admits. */
function twoLocales(text: { 'zh-CN': string; en: string }) {
  return { 'zh-CN': text['zh-CN'], en: text.en };
}

/**
 * The registry's definitions of the columns the table holds — exactly the attributes a rule can
 * read here (an attribute registered but not loaded would fail validation, so it is not offered).
 */
function attributeCatalogue(state: BankState) {
  const table = state.model.table;
  return table.attributeIds().map((id) => {
    const definition = table.column(id).definition;
    return {
      id: definition.id,
      type: definition.type,
      label: twoLocales(definition.label),
      ...(definition.description === undefined
        ? {}
        : { description: twoLocales(definition.description) }),
      piClass: definition.piClass,
      ...(definition.values === undefined
        ? {}
        : {
            values: definition.values.map((option) => ({
              value: option.value,
              label: twoLocales(option.label),
            })),
          }),
      ...(definition.open === undefined ? {} : { open: definition.open }),
    };
  });
}

export const segmentServerRoutes: ServerRoute[] = [
  route(routeById(segmentRoutes, 'segments.attributes'), async ({ state }) => ({
    attributes: attributeCatalogue(state),
  })),
  route(routeById(segmentRoutes, 'segments.list'), async ({ state, scope }) => ({
    strategies: await strategySummaries(state, scope, state.strategyIds()),
  })),
  route(routeById(segmentRoutes, 'segments.validate'), async ({ state, body, limits }) => {
    guardRuleSize(body.rule, limits);
    try {
      state.compileRule(body.rule);
      return { valid: true, issues: [] };
    } catch (error) {
      const issues = issuesOf(error);
      if (issues === undefined) throw error;
      return { valid: false, issues };
    }
  }),
  route(routeById(segmentRoutes, 'segments.preview'), async ({ state, scope, body, limits }) => {
    requireBankWide(scope);
    guardRuleSize(body.rule, limits);
    const engine = state.compileRule(body.rule);
    const sizes = engine.sizes(state.model.table, 'preview');
    return { customers: sizes.count, sizes: toSizeNode(sizes) };
  }),
  route(
    routeById(segmentRoutes, 'segments.define'),
    async ({ state, scope, params, body, limits, audit }) => {
      guardRuleSize(body.rule, limits);
      await state.defineCustomSegment({ id: params.segmentId, label: body.label, rule: body.rule });
      await audit('update', `segment:${CUSTOM_STRATEGY}:${params.segmentId}`, { step: 'define' });
      const members = await state.segment(`${CUSTOM_STRATEGY}:${params.segmentId}`);
      return {
        ref: `${CUSTOM_STRATEGY}:${params.segmentId}`,
        strategyId: CUSTOM_STRATEGY,
        segmentId: params.segmentId,
        label: body.label,
        customers: countInScope(state, scope, members),
      };
    },
  ),
  route(routeById(segmentRoutes, 'segments.remove'), async ({ state, params, audit }) => {
    const removed = await state.removeCustomSegment(params.segmentId);
    if (!removed) throw notFound(`Custom segment ${params.segmentId}`);
    await audit('delete', `segment:${CUSTOM_STRATEGY}:${params.segmentId}`);
    return { removed };
  }),
  route(routeById(segmentRoutes, 'segments.overlap'), async ({ state, scope, body }) => {
    const within = scopeBitset(state, scope);
    const sets: Bitset[] = [];
    for (const ref of body.segments) {
      const members = await state.segment(ref);
      if (members === undefined) throw notFound(`Segment ${ref}`);
      sets.push(within === undefined ? members : members.and(within));
    }
    const counts = sets.map((left) => sets.map((right) => left.and(right).count()));
    return { segments: [...body.segments], counts };
  }),
  route(routeById(segmentRoutes, 'segments.evaluate'), async ({ state, scope, body, signal }) =>
    evaluation(state, scope, body.strategies, signal),
  ),
  route(
    routeById(segmentRoutes, 'segments.export'),
    async ({ state, scope, principal, body, audit, now, limits }) => {
      if (principal === undefined)
        throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'No token.');
      const members = await state.segment(body.segment);
      if (members === undefined) throw notFound(`Segment ${body.segment}`);
      const table = state.model.table;
      const ids: string[] = [];
      for (const row of rowsInScope(state, scope)) if (members.has(row)) ids.push(table.idAt(row));
      const limit = limits.exportLimits[principal.role] ?? rolePolicies[principal.role].exportLimit;
      if (ids.length > limit) {
        await audit('export', `segment:${body.segment}`, {
          refused: true,
          customers: ids.length,
          limit,
          reason: body.reason,
        });
        throw new ServerError(
          403,
          'KQ_SERVER_EXPORT_TOO_LARGE',
          `The export would hold ${ids.length} customers; a ${principal.role} may export at most ${limit}. Narrow the segment first.`,
        );
      }
      const customers = await summariesOf(state, state.store, ids, scope);
      const exportedAt = now();
      await audit('export', `segment:${body.segment}`, {
        customers: customers.length,
        reason: body.reason,
      });
      return { segment: body.segment, exportedAt, customers };
    },
  ),
];
