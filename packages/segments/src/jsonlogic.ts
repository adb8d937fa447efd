// JsonLogic (jsonlogic.com) import and export for the part of the rule language JsonLogic can say:
// and/or/!, comparisons on a `var`, between as a three-argument <=, `in` for lists and set members.
// Behavioural conditions, segment references, id lists and relative dates have no JsonLogic form.
import { SegmentError } from './errors.js';
import { parseRule } from './parse.js';
import type { Condition, Rule, ScalarOperand } from './rule.js';

export type JsonLogic = { readonly [operator: string]: unknown };

const comparisons: Record<string, string> = { eq: '==', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const fromComparison: Record<string, string> = { '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
/** `5 < x` is `x > 5`: the operator when the variable is on the right. */
const mirrored: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

function unsupported(what: string): SegmentError {
  return new SegmentError('KQ_SEGMENT_JSONLOGIC_UNSUPPORTED', `${what} has no JsonLogic form; keep such rules in the Kequn rule JSON.`);
}

function variable(attribute: string): JsonLogic {
  return { var: attribute };
}

function conditionToJsonLogic(condition: Condition): JsonLogic {
  const { attribute, op, value } = condition;
  const symbol = comparisons[op];
  if (symbol !== undefined) return { [symbol]: [variable(attribute), value] };
  switch (op) {
    case 'isNull':
      return { '==': [variable(attribute), null] };
    case 'isNotNull':
      return { '!=': [variable(attribute), null] };
    case 'between':
      return Array.isArray(value) ? { '<=': [value[0], variable(attribute), value[1]] } : { '<=': [value, variable(attribute), value] };
    case 'in':
      return { in: [variable(attribute), value] };
    case 'notIn':
      return { '!': { in: [variable(attribute), value] } };
    case 'contains':
      return { in: [value, variable(attribute)] };
    default:
      throw unsupported(`The operator "${op}"`);
  }
}

/** Exports a rule as JsonLogic; throws KQ_SEGMENT_JSONLOGIC_UNSUPPORTED for parts it cannot express. */
export function toJsonLogic(rule: Rule): JsonLogic {
  if ('all' in rule) return { and: rule.all.map(toJsonLogic) };
  if ('any' in rule) return { or: rule.any.map(toJsonLogic) };
  if ('not' in rule) return { '!': toJsonLogic(rule.not) };
  if ('attribute' in rule) return conditionToJsonLogic(rule);
  if ('segment' in rule) throw unsupported('A segment reference');
  if ('ids' in rule) throw unsupported('A static id list');
  throw unsupported('A behavioural condition');
}

function isVar(value: unknown): value is { var: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { var?: unknown }).var === 'string';
}

function single(logic: unknown): [string, unknown] {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) throw unsupported(`The JsonLogic value ${JSON.stringify(logic)}`);
  const entries = Object.entries(logic);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) throw unsupported(`A JsonLogic object with keys ${Object.keys(logic).join(', ')}`);
  return entry;
}

function comparisonFromJsonLogic(symbol: string, args: unknown[]): Rule {
  const op = fromComparison[symbol] ?? '';
  if (args.length === 3 && (op === 'lte' || op === 'lt') && isVar(args[1])) {
    if (op === 'lt') throw unsupported('A strict three-argument "<"');
    return { attribute: args[1].var, op: 'between', value: [args[0], args[2]] as ScalarOperand[] };
  }
  const [left, right] = args;
  const [attribute, value, effective] = isVar(left) ? [left.var, right, op] : isVar(right) ? [right.var, left, mirrored[op] ?? op] : ['', undefined, op];
  if (attribute === '') throw unsupported(`A comparison without a "var" (${symbol})`);
  if (value === null && (effective === 'eq' || effective === 'ne')) return { attribute, op: effective === 'eq' ? 'isNull' : 'isNotNull' };
  return { attribute, op: effective, value: value as ScalarOperand };
}

function inFromJsonLogic(args: unknown[]): Rule {
  const [needle, haystack] = args;
  if (isVar(needle) && Array.isArray(haystack)) return { attribute: needle.var, op: 'in', value: haystack as ScalarOperand[] };
  if (isVar(haystack) && !isVar(needle)) return { attribute: haystack.var, op: 'contains', value: needle as ScalarOperand };
  throw unsupported('This "in"');
}

function fromLogic(logic: unknown): Rule {
  const [operator, raw] = single(logic);
  const args = Array.isArray(raw) ? raw : [raw];
  if (operator === 'and') return { all: args.map(fromLogic) };
  if (operator === 'or') return { any: args.map(fromLogic) };
  if (operator === '!') return { not: fromLogic(args[0]) };
  if (operator === 'in') return inFromJsonLogic(args);
  if (fromComparison[operator] !== undefined) return comparisonFromJsonLogic(operator, args);
  throw unsupported(`The JsonLogic operator "${operator}"`);
}

/**
 * Imports JsonLogic. Note the semantic differences: JsonLogic's == is JavaScript's loose equality
 * and treats a missing var as null; imported rules follow Kequn's typed, three-valued semantics.
 */
export function fromJsonLogic(logic: unknown): Rule {
  return parseRule(fromLogic(logic), { where: 'The imported JsonLogic rule' });
}
