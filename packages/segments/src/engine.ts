// The segmentation engine: segments compiled into one plan, evaluated in one fused pass over the
// customer table, then kept current row by row, explained node by node, and sized for previews.
import { Bitset, parseEpochDay, type AttributeDefinition, type AttributeValue, type ColumnarTable } from '@kequn/core';
import { compileClosures, type BackendName, type CompiledPass } from './backend.js';
import { bindPlan, type Binding } from './bind.js';
import { canGenerateCode, compileGenerated } from './codegen.js';
import { RuleError, SegmentError, type RuleIssue } from './errors.js';
import type { EventStore, RowMeasure } from './event-store.js';
import { OperatorRegistry } from './operators.js';
import { parseSegmentDefinition } from './parse.js';
import { buildPlan, type LoweredRule, type Plan, type Truth } from './plan.js';
import type { Rule, SegmentDefinition } from './rule.js';
import { typeCheckRule, type AttributeCatalogue } from './typecheck.js';

export interface SegmentEngineOptions {
  /** Segment definitions (validated here), in priority order. */
  segments: readonly unknown[];
  /** Attribute definitions rules are checked against; `tableAttributes(table)` offers the table's. */
  attributes: AttributeCatalogue;
  /** Built-ins plus contributed operators (`await operatorsOf(kernel)`); built-ins only by default. */
  operators?: OperatorRegistry;
  /** 'auto' (default) generates code where `new Function` is allowed and falls back to closures. */
  backend?: BackendName | 'auto';
  /** The events behavioural conditions read; without a store every customer has no events. */
  events?: EventStore;
  /** Deepest JSON nesting accepted for a rule. */
  maxDepth?: number;
}

export interface EvaluateOptions {
  /** The date relative conditions are judged on; the table's asOf by default. */
  asOf?: string;
}

/** Who entered and left one segment in an update. */
export interface MembershipChange {
  readonly segmentId: string;
  readonly entered: readonly string[];
  readonly exited: readonly string[];
}

/** A rule node annotated for one customer: its truth and, for conditions, the value it read. */
export interface ExplainedRule {
  readonly path: string;
  readonly rule: Rule;
  readonly value: boolean | null;
  readonly read?: { readonly attribute: string; readonly value: AttributeValue | null };
  readonly children: readonly ExplainedRule[];
}

/** How many customers each node of a segment's rule selects (a builder's live preview). */
export interface RuleSize {
  readonly path: string;
  readonly rule: Rule;
  readonly count: number;
  readonly children: readonly RuleSize[];
}

/** The attribute definitions of a table's columns, as a catalogue for type-checking. */
export function tableAttributes(table: ColumnarTable<unknown>): AttributeCatalogue {
  return {
    get: (attributeId): AttributeDefinition | undefined => (table.hasColumn(attributeId) ? table.column(attributeId).definition : undefined),
  };
}

function chooseBackend(requested: BackendName | 'auto' | undefined): BackendName {
  if (requested === 'closure') return 'closure';
  const available = canGenerateCode();
  if (requested === 'codegen' && !available) {
    throw new SegmentError('KQ_SEGMENT_BACKEND_UNAVAILABLE', 'Generated code is not allowed here (new Function is blocked, e.g. by a Content-Security-Policy); use backend "closure" or "auto".');
  }
  return available ? 'codegen' : 'closure';
}

function truthToValue(truth: number | undefined): boolean | null {
  if (truth === 2) return true;
  if (truth === 0) return false;
  return null;
}

function flatten(tree: LoweredRule, into: LoweredRule[] = []): LoweredRule[] {
  into.push(tree);
  for (const child of tree.children) flatten(child, into);
  return into;
}

export class SegmentEngine {
  readonly definitions: readonly SegmentDefinition[];
  readonly plan: Plan;
  readonly backend: BackendName;
  readonly #options: SegmentEngineOptions;
  readonly #operators: OperatorRegistry;
  readonly #segmentPass: CompiledPass;
  readonly #segmentNodes: number[];
  readonly #measures = new Map<string, RowMeasure>();
  #allNodesPass: CompiledPass | undefined;
  #memberships: Map<string, Bitset> | undefined;
  #asOf: string | undefined;

  constructor(options: SegmentEngineOptions) {
    this.#options = options;
    this.#operators = options.operators ?? new OperatorRegistry();
    this.definitions = options.segments.map((input, index) =>
      parseSegmentDefinition(input, { where: `segment #${index}`, ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) }),
    );
    this.#checkTypes();
    this.plan = buildPlan(this.definitions, options.attributes, this.#operators);
    this.backend = chooseBackend(options.backend);
    this.#segmentNodes = this.definitions.map((definition) => this.#tree(definition.id).node);
    this.#segmentPass = this.#compile(this.#segmentNodes);
  }

  #checkTypes(): void {
    const ids = new Set<string>();
    for (const definition of this.definitions) {
      if (ids.has(definition.id)) throw new SegmentError('KQ_SEGMENT_DUPLICATE', `The segment id "${definition.id}" is defined twice; give each segment its own id.`);
      ids.add(definition.id);
    }
    for (const definition of this.definitions) {
      const issues: RuleIssue[] = typeCheckRule(definition.rule, { attributes: this.#options.attributes, operators: this.#operators, segmentIds: ids });
      if (issues.length > 0) throw new RuleError(issues.map((issue) => ({ path: issue.path === '' ? 'rule' : issue.path, message: issue.message })), `The rule of segment "${definition.id}"`);
    }
  }

  #compile(outputs: readonly number[]): CompiledPass {
    return this.backend === 'codegen' ? compileGenerated(this.plan, outputs) : compileClosures(this.plan, outputs);
  }

  #tree(segmentId: string): LoweredRule {
    const tree = this.plan.segments.get(segmentId);
    if (tree === undefined) throw new SegmentError('KQ_SEGMENT_UNKNOWN', `No segment "${segmentId}"; known segments: ${this.definitions.map((d) => d.id).join(', ')}.`);
    return tree;
  }

  #bind(table: ColumnarTable<unknown>, asOf: string): (Binding | undefined)[] {
    const asOfDay = parseEpochDay(asOf);
    if (asOfDay === undefined) throw new SegmentError('KQ_SEGMENT_RULE_INVALID', `asOf "${asOf}" is not a date; pass YYYY-MM-DD.`);
    return bindPlan(this.plan, { table, asOfDay, operators: this.#operators, events: this.#options.events, measures: this.#measures });
  }

  /** Evaluates every segment over every live row in one fused pass; remembers the result for update(). */
  evaluate(table: ColumnarTable<unknown>, options: EvaluateOptions = {}): Map<string, Bitset> {
    const asOf = options.asOf ?? table.asOf;
    const words = this.#segmentPass.full(this.#bind(table, asOf), table.live, table.size);
    const memberships = new Map<string, Bitset>();
    this.definitions.forEach((definition, index) => memberships.set(definition.id, new Bitset(table.size, words[index])));
    this.#memberships = memberships;
    this.#asOf = asOf;
    return memberships;
  }

  /** The memberships of the last evaluate() or update(). */
  memberships(): ReadonlyMap<string, Bitset> {
    if (this.#memberships === undefined) throw new SegmentError('KQ_SEGMENT_NOT_EVALUATED', 'Nothing is evaluated yet; call evaluate(table) first.');
    return this.#memberships;
  }

  /**
   * Re-evaluates only the given customers (after upserts or removals) and returns who entered and
   * left each segment. Removed customers leave every segment.
   */
  update(table: ColumnarTable<unknown>, customerIds: Iterable<string>): MembershipChange[] {
    const previous = this.memberships();
    const asOf = this.#asOf ?? table.asOf;
    const grown = new Map<string, Bitset>();
    for (const [id, bitset] of previous) grown.set(id, bitset.size === table.size ? bitset : resized(bitset, table.size));
    const rows: number[] = [];
    const removed: string[] = [];
    for (const id of new Set(customerIds)) {
      const row = table.indexOf(id);
      if (row === undefined) removed.push(id);
      else rows.push(row);
    }
    const truths = this.#segmentPass.rows(this.#bind(table, asOf), rows);
    const changes = this.definitions.map((definition, index) => {
      const bitset = grown.get(definition.id) ?? new Bitset(table.size);
      const entered: string[] = [];
      const exited: string[] = [];
      rows.forEach((row, position) => {
        const member = truths[index]?.[position] === 2;
        if (member === bitset.has(row)) return;
        if (member) {
          bitset.add(row);
          entered.push(table.idAt(row));
        } else {
          bitset.delete(row);
          exited.push(table.idAt(row));
        }
      });
      for (const id of removed) exitRemoved(table, bitset, id, exited);
      return { segmentId: definition.id, entered, exited };
    });
    this.#memberships = grown;
    return changes.filter((change) => change.entered.length > 0 || change.exited.length > 0);
  }

  #allNodes(): CompiledPass {
    this.#allNodesPass ??= this.#compile(this.plan.nodes.map((_node, index) => index));
    return this.#allNodesPass;
  }

  /** Why a customer is or is not in a segment: every rule node with its value for that customer. */
  explain(table: ColumnarTable<unknown>, customerId: string, segmentId: string, options: EvaluateOptions = {}): ExplainedRule {
    const row = table.indexOf(customerId);
    if (row === undefined) throw new SegmentError('KQ_SEGMENT_CUSTOMER_UNKNOWN', `No live customer "${customerId}" in the table; check the id or load the customer first.`);
    const truths = this.#allNodes().rows(this.#bind(table, options.asOf ?? table.asOf), [row]);
    const annotate = (tree: LoweredRule): ExplainedRule => {
      const value = truthToValue(truths[tree.node]?.[0]);
      const base = { path: tree.path === '' ? 'rule' : tree.path, rule: tree.rule, value, children: tree.children.map(annotate) };
      if (!('attribute' in tree.rule)) return base;
      return { ...base, read: { attribute: tree.rule.attribute, value: table.value(row, tree.rule.attribute) } };
    };
    return annotate(this.#tree(segmentId));
  }

  /** How many live customers each node of a segment's rule selects. */
  sizes(table: ColumnarTable<unknown>, segmentId: string, options: EvaluateOptions = {}): RuleSize {
    const tree = this.#tree(segmentId);
    const nodes = [...new Set(flatten(tree).map((lowered) => lowered.node))];
    const words = this.#compile(nodes).full(this.#bind(table, options.asOf ?? table.asOf), table.live, table.size);
    const counts = new Map(nodes.map((node, index) => [node, new Bitset(table.size, words[index]).count()]));
    const measure = (lowered: LoweredRule): RuleSize => ({
      path: lowered.path === '' ? 'rule' : lowered.path,
      rule: lowered.rule,
      count: counts.get(lowered.node) ?? 0,
      children: lowered.children.map(measure),
    });
    return measure(tree);
  }

  /** The truth of one segment for every listed row (0 false, 1 unknown, 2 true); for tests and tools. */
  truths(table: ColumnarTable<unknown>, segmentId: string, rows: readonly number[], options: EvaluateOptions = {}): Truth[] {
    const pass = this.#compile([this.#tree(segmentId).node]);
    const [values] = pass.rows(this.#bind(table, options.asOf ?? table.asOf), rows);
    return [...(values ?? [])].map((value) => (value === 2 ? 2 : value === 0 ? 0 : 1));
  }
}

function resized(bitset: Bitset, size: number): Bitset {
  const words = new Uint32Array(Math.ceil(size / 32));
  words.set(bitset.words.subarray(0, Math.min(words.length, bitset.words.length)));
  return new Bitset(size, words);
}

/** A removed customer's row is no longer found by id, so it is looked up among the row slots. */
function exitRemoved(table: ColumnarTable<unknown>, bitset: Bitset, customerId: string, exited: string[]): void {
  for (let row = 0; row < table.size; row++) {
    if (table.idAt(row) !== customerId || !bitset.has(row)) continue;
    bitset.delete(row);
    exited.push(customerId);
  }
}

export function createSegmentEngine(options: SegmentEngineOptions): SegmentEngine {
  return new SegmentEngine(options);
}
