// The segment builder's model: an editable tree that converts to and from the rule JSON of
// @kequn/segments, with the operators each attribute type allows and local validation. Kept apart
// from the element so the conversion is testable without a browser.

/** One entry of the server's attribute catalogue (the attribute definitions of @kequn/core). */
export interface AttributeDescription {
  readonly id: string;
  readonly type: 'number' | 'money' | 'date' | 'enum' | 'set' | 'boolean' | 'string';
  readonly label: { readonly 'zh-CN': string; readonly en: string };
  readonly values?: readonly {
    readonly value: string;
    readonly label: { readonly 'zh-CN': string; readonly en: string };
  }[];
}

export type AttributeKind = AttributeDescription['type'];
export type PeriodUnit = 'days' | 'months';
export interface Period {
  amount: number;
  unit: PeriodUnit;
}

export const eventTypes = ['transaction', 'login', 'contact', 'purchase', 'maturity'] as const;
export const eventMeasures = ['count', 'sum', 'avg'] as const;
export const eventComparisons = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'] as const;
export type EventType = (typeof eventTypes)[number];

export type BuilderNode = GroupNode | ConditionNode | EventsNode | NoEventsNode | RawNode;
export interface GroupNode {
  kind: 'group';
  key: number;
  mode: 'all' | 'any';
  negated: boolean;
  children: BuilderNode[];
}
export interface ConditionNode {
  kind: 'condition';
  key: number;
  attribute: string;
  op: string;
  value: unknown;
}
export interface EventsNode {
  kind: 'events';
  key: number;
  type: EventType;
  measure: (typeof eventMeasures)[number];
  op: (typeof eventComparisons)[number];
  value: number | [number, number];
  window: Period;
}
export interface NoEventsNode {
  kind: 'noEvents';
  key: number;
  type: EventType;
  window: Period;
}
/** A node the builder does not edit (segment references, id lists): kept as it came. */
export interface RawNode {
  kind: 'raw';
  key: number;
  rule: unknown;
}

const comparable = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'notIn'];
const nullable = ['isNull', 'isNotNull'];

/** The operators of @kequn/segments each attribute type accepts, most used first. */
export const operatorsByKind: Readonly<Record<AttributeKind, readonly string[]>> = {
  number: [...comparable, ...nullable],
  money: [...comparable, ...nullable],
  date: ['withinLast', 'withinNext', 'anniversaryWithin', ...comparable, ...nullable],
  enum: ['eq', 'ne', 'in', 'notIn', 'startsWith', ...nullable],
  string: ['eq', 'ne', 'startsWith', 'in', 'notIn', ...nullable],
  set: ['contains', 'containsAny', 'containsAll', 'isEmpty', ...nullable],
  boolean: ['eq', 'ne', ...nullable],
};

export const valuelessOperators = new Set(['isNull', 'isNotNull', 'isEmpty']);
export const periodOperators = new Set(['withinLast', 'withinNext', 'anniversaryWithin']);
export const listOperators = new Set(['in', 'notIn', 'containsAny', 'containsAll']);

let nextKey = 1;
export function newKey(): number {
  nextKey += 1;
  return nextKey;
}

export function emptyGroup(mode: 'all' | 'any' = 'all'): GroupNode {
  return { kind: 'group', key: newKey(), mode, negated: false, children: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function periodOf(value: unknown): Period {
  if (isRecord(value) && typeof value['months'] === 'number')
    return { amount: value['months'], unit: 'months' };
  if (isRecord(value) && typeof value['days'] === 'number')
    return { amount: value['days'], unit: 'days' };
  return { amount: 30, unit: 'days' };
}

function periodJson(period: Period): Record<string, number> {
  return { [period.unit]: period.amount };
}

/** Reads a rule into the builder's tree; what it cannot edit becomes a raw node. */
export function nodeOf(rule: unknown): BuilderNode {
  if (!isRecord(rule)) return { kind: 'raw', key: newKey(), rule };
  if (Array.isArray(rule['all']) || Array.isArray(rule['any'])) {
    const mode = Array.isArray(rule['all']) ? 'all' : 'any';
    const children = (rule[mode] as unknown[]).map(nodeOf);
    return { kind: 'group', key: newKey(), mode, negated: false, children };
  }
  if ('not' in rule) {
    const inner = nodeOf(rule['not']);
    if (inner.kind === 'group' && !inner.negated) return { ...inner, negated: true };
    return { kind: 'group', key: newKey(), mode: 'all', negated: true, children: [inner] };
  }
  if (typeof rule['attribute'] === 'string' && typeof rule['op'] === 'string') {
    return {
      kind: 'condition',
      key: newKey(),
      attribute: rule['attribute'],
      op: rule['op'],
      value: rule['value'],
    };
  }
  const events = rule['events'];
  if (isRecord(events)) {
    return {
      kind: 'events',
      key: newKey(),
      type: events['type'] as EventType,
      measure: events['measure'] as EventsNode['measure'],
      op: events['op'] as EventsNode['op'],
      value: events['value'] as EventsNode['value'],
      window: periodOf(events['window']),
    };
  }
  const none = rule['noEvents'];
  if (
    isRecord(none) &&
    JSON.stringify(none['universe']) === '{"all":[]}' &&
    none['where'] === undefined
  ) {
    return {
      kind: 'noEvents',
      key: newKey(),
      type: none['type'] as EventType,
      window: periodOf(none['window']),
    };
  }
  return { kind: 'raw', key: newKey(), rule };
}

/** The rule JSON of a node. */
export function ruleOf(node: BuilderNode): unknown {
  switch (node.kind) {
    case 'group': {
      const group = { [node.mode]: node.children.map(ruleOf) };
      return node.negated ? { not: group } : group;
    }
    case 'condition':
      return valuelessOperators.has(node.op) || node.value === undefined
        ? { attribute: node.attribute, op: node.op }
        : { attribute: node.attribute, op: node.op, value: node.value };
    case 'events':
      return {
        events: {
          type: node.type,
          window: periodJson(node.window),
          measure: node.measure,
          op: node.op,
          value: node.value,
        },
      };
    case 'noEvents':
      return {
        noEvents: { type: node.type, window: periodJson(node.window), universe: { all: [] } },
      };
    case 'raw':
      return node.rule;
  }
}

/** The JSON path of each node as the server reports sizes and issues (`rule`, `all[1].any[0]`). */
export function pathsOf(root: BuilderNode): Map<number, string> {
  const paths = new Map<number, string>();
  const visit = (node: BuilderNode, path: string): void => {
    paths.set(node.key, path === '' ? 'rule' : path);
    if (node.kind !== 'group') return;
    const inner = node.negated ? (path === '' ? 'not' : `${path}.not`) : path;
    node.children.forEach((child, index) =>
      visit(child, `${inner === '' ? '' : `${inner}.`}${node.mode}[${index}]`),
    );
  };
  visit(root, '');
  return paths;
}

/** The node a server issue belongs to: the deepest node whose path starts the issue's path. */
export function nodeForPath(
  paths: ReadonlyMap<number, string>,
  issuePath: string,
): number | undefined {
  let best: { key: number; length: number } | undefined;
  for (const [key, path] of paths) {
    const matches =
      issuePath === path ||
      issuePath.startsWith(`${path}.`) ||
      issuePath.startsWith(`${path}[`) ||
      path === 'rule';
    if (matches && (best === undefined || path.length > best.length))
      best = { key, length: path.length };
  }
  return best?.key;
}

export type LocalIssue =
  | 'attributeMissing'
  | 'attributeUnknown'
  | 'operatorNotAllowed'
  | 'valueMissing'
  | 'rangeReversed'
  | 'periodInvalid'
  | 'groupEmpty';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function scalarMissing(value: unknown): boolean {
  return (
    value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))
  );
}

function conditionIssue(
  node: ConditionNode,
  attributes: ReadonlyMap<string, AttributeDescription>,
): LocalIssue | undefined {
  if (node.attribute === '') return 'attributeMissing';
  const attribute = attributes.get(node.attribute);
  if (attribute === undefined) return attributes.size === 0 ? undefined : 'attributeUnknown';
  if (!operatorsByKind[attribute.type].includes(node.op)) return 'operatorNotAllowed';
  if (valuelessOperators.has(node.op)) return undefined;
  if (periodOperators.has(node.op)) {
    const period = periodOf(node.value);
    return Number.isInteger(period.amount) && period.amount > 0 ? undefined : 'periodInvalid';
  }
  if (node.op === 'between') {
    if (!Array.isArray(node.value) || node.value.length !== 2 || node.value.some(scalarMissing))
      return 'valueMissing';
    const [low, high] = node.value as [number | string, number | string];
    return low > high ? 'rangeReversed' : undefined;
  }
  if (listOperators.has(node.op))
    return Array.isArray(node.value) && node.value.length > 0 ? undefined : 'valueMissing';
  return scalarMissing(node.value) ? 'valueMissing' : undefined;
}

/** Problems the builder can see without the server, by node key. */
export function localIssues(
  root: BuilderNode,
  attributes: ReadonlyMap<string, AttributeDescription>,
): Map<number, LocalIssue> {
  const issues = new Map<number, LocalIssue>();
  const visit = (node: BuilderNode): void => {
    if (node.kind === 'group') {
      if (node.children.length === 0 && node !== root) issues.set(node.key, 'groupEmpty');
      node.children.forEach(visit);
      return;
    }
    if (node.kind === 'condition') {
      const issue = conditionIssue(node, attributes);
      if (issue !== undefined) issues.set(node.key, issue);
      return;
    }
    if (node.kind === 'events' || node.kind === 'noEvents') {
      if (!Number.isInteger(node.window.amount) || node.window.amount <= 0)
        issues.set(node.key, 'periodInvalid');
      else if (node.kind === 'events') {
        const value = node.value;
        if (Array.isArray(value) ? !value.every(isNumber) : !isNumber(value))
          issues.set(node.key, 'valueMissing');
        else if (Array.isArray(value) && value[0] > value[1]) issues.set(node.key, 'rangeReversed');
      }
    }
  };
  visit(root);
  return issues;
}

/** Counts conditions (leaves), for `required`. */
export function leafCount(node: BuilderNode): number {
  return node.kind === 'group'
    ? node.children.reduce((sum, child) => sum + leafCount(child), 0)
    : 1;
}
