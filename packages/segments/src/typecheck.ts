// Type-checking a parsed rule against the attributes a table offers and the operators an engine
// knows, with each issue at the exact node: `all[2].any[0].value: expected a date`.
import { parseEpochDay, type AttributeDefinition } from '@kequn/core';
import type { Condition, Rule } from './rule.js';
import type { OperandShape, OperatorRegistry } from './operators.js';
import type { RuleIssue } from './errors.js';

/** Where attribute definitions come from: an AttributeRegistry, a table's column definitions, … */
export interface AttributeCatalogue {
  get(attributeId: string): AttributeDefinition | undefined;
}

export interface TypeCheckContext {
  readonly attributes: AttributeCatalogue;
  readonly operators: OperatorRegistry;
  /** Segment ids a `{ segment }` node may reference. */
  readonly segmentIds: ReadonlySet<string>;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && parseEpochDay(value) !== undefined;
}

/** What a scalar of this attribute type looks like, or undefined when the value fits. */
function scalarProblem(type: AttributeDefinition['type'], value: unknown): string | undefined {
  switch (type) {
    case 'number':
    case 'money':
      return isNumber(value) ? undefined : 'expected a number';
    case 'date':
      return isDate(value) ? undefined : 'expected a date (YYYY-MM-DD)';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'enum':
    case 'string':
    case 'set':
      return typeof value === 'string' ? undefined : 'expected a string';
  }
}

function enumProblem(definition: AttributeDefinition, value: unknown): string | undefined {
  if (definition.open === true || definition.values === undefined || typeof value !== 'string') return undefined;
  if (definition.values.some((option) => option.value === value)) return undefined;
  const allowed = definition.values.map((option) => option.value).join(', ');
  return `"${value}" is not a value of ${definition.id}; expected one of ${allowed}`;
}

function listProblem(definition: AttributeDefinition, value: unknown, path: string, issues: RuleIssue[]): void {
  if (!Array.isArray(value)) {
    issues.push({ path, message: 'expected a list of values' });
    return;
  }
  value.forEach((item: unknown, index) => {
    const problem = scalarProblem(definition.type, item) ?? enumProblem(definition, item);
    if (problem !== undefined) issues.push({ path: join(path, index), message: problem });
  });
}

function periodProblem(value: unknown, daysOnly: boolean): string | undefined {
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const keys = record === undefined ? [] : Object.keys(record);
  const unitOk = keys.length === 1 && (keys[0] === 'days' || (!daysOnly && keys[0] === 'months'));
  const amount = record?.[keys[0] ?? ''];
  if (unitOk && Number.isInteger(amount) && isNumber(amount) && amount >= 0) return undefined;
  return daysOnly ? 'expected a period in days, e.g. { "days": 7 }' : 'expected a period, e.g. { "days": 90 } or { "months": 3 }';
}

function checkOperand(shape: OperandShape, definition: AttributeDefinition, value: unknown, path: string, issues: RuleIssue[]): void {
  const problem = (message: string | undefined): void => {
    if (message !== undefined) issues.push({ path, message });
  };
  switch (shape) {
    case 'none':
      problem(value === undefined ? undefined : 'this operator takes no value; remove "value"');
      return;
    case 'scalar':
    case 'orderedScalar':
    case 'member':
      problem(scalarProblem(definition.type, value) ?? enumProblem(definition, value));
      return;
    case 'text':
      problem(typeof value === 'string' ? undefined : 'expected a string');
      return;
    case 'scalarList':
    case 'memberList':
      listProblem(definition, value, path, issues);
      return;
    case 'orderedPair':
      if (!Array.isArray(value) || value.length !== 2) {
        problem(`expected [low, high] (${definition.type === 'date' ? 'dates' : 'numbers'})`);
        return;
      }
      listProblem(definition, value, path, issues);
      return;
    case 'period':
    case 'dayPeriod':
      problem(periodProblem(value, shape === 'dayPeriod'));
      return;
    case 'custom':
      return;
  }
}

function checkCondition(condition: Condition, path: string, context: TypeCheckContext, issues: RuleIssue[]): void {
  const definition = context.attributes.get(condition.attribute);
  if (definition === undefined) {
    issues.push({ path: join(path, 'attribute'), message: `unknown attribute "${condition.attribute}"; register it or pick an existing one` });
    return;
  }
  const operator = context.operators.get(condition.op);
  if (operator === undefined) {
    issues.push({ path: join(path, 'op'), message: `unknown operator "${condition.op}"; known: ${context.operators.ids().join(', ')}` });
    return;
  }
  if (!operator.appliesTo.includes(definition.type)) {
    issues.push({
      path: join(path, 'op'),
      message: `"${condition.op}" does not apply to ${definition.type} attributes like ${definition.id}; use one of ${context.operators.forType(definition.type).join(', ')}`,
    });
    return;
  }
  if (operator.operand === 'custom') return;
  if (operator.operand !== 'none' && condition.value === undefined) {
    issues.push({ path: join(path, 'value'), message: `"${condition.op}" needs a value` });
    return;
  }
  checkOperand(operator.operand, definition, condition.value, join(path, 'value'), issues);
}

function checkNode(rule: Rule, path: string, context: TypeCheckContext, issues: RuleIssue[]): void {
  if ('all' in rule) return rule.all.forEach((child, index) => checkNode(child, join(join(path, 'all'), index), context, issues));
  if ('any' in rule) return rule.any.forEach((child, index) => checkNode(child, join(join(path, 'any'), index), context, issues));
  if ('not' in rule) return checkNode(rule.not, join(path, 'not'), context, issues);
  if ('attribute' in rule) return checkCondition(rule, path, context, issues);
  if ('segment' in rule) {
    if (!context.segmentIds.has(rule.segment)) {
      issues.push({ path: join(path, 'segment'), message: `unknown segment "${rule.segment}"; define it in the same engine` });
    }
    return;
  }
  if ('events' in rule) {
    const { op, value } = rule.events;
    if ((op === 'between') !== Array.isArray(value)) {
      issues.push({ path: join(join(path, 'events'), 'value'), message: op === 'between' ? 'expected [low, high]' : 'expected a number' });
    }
    return;
  }
  if ('noEvents' in rule) checkNode(rule.noEvents.universe, join(join(path, 'noEvents'), 'universe'), context, issues);
}

/** Every type problem in a rule; an empty list means the rule can be compiled. */
export function typeCheckRule(rule: Rule, context: TypeCheckContext): RuleIssue[] {
  const issues: RuleIssue[] = [];
  checkNode(rule, '', context, issues);
  return issues;
}
