// The two back ends of the fused pass share this contract and the per-leaf semantics in
// `leafTruth`; the generated-code back end inlines the same tests as JavaScript source.
import { NULL_EPOCH_DAY } from '@kequn/core';
import { monthDayOf } from './calendar.js';
import type { Binding } from './bind.js';
import type { Plan, Truth } from './plan.js';

export type BackendName = 'codegen' | 'closure';

/** A plan compiled for a fixed list of outputs (plan node ids). */
export interface CompiledPass {
  readonly backend: BackendName;
  /** One pass over every live row: a bitset (as words) per output, bit set where the output is TRUE. */
  full(bindings: readonly (Binding | undefined)[], live: Uint32Array, size: number): Uint32Array[];
  /** The truth (0/1/2) of every output for each listed row: result[output][position]. */
  rows(bindings: readonly (Binding | undefined)[], rows: readonly number[]): Uint8Array[];
}

function bit(words: Uint32Array, row: number): number {
  return ((words[row >>> 5] ?? 0) >>> (row & 31)) & 1;
}

function inRange(value: number, binding: Extract<Binding, { kind: 'number' }>): boolean {
  const aboveLow = binding.loStrict ? value > binding.lo : value >= binding.lo;
  const belowHigh = binding.hiStrict ? value < binding.hi : value <= binding.hi;
  return aboveLow && belowHigh;
}

function membersTruth(binding: Extract<Binding, { kind: 'members' }>, row: number): Truth {
  if (bit(binding.nulls, row) === 1) return 1;
  if (binding.impossible) return 0;
  const start = row * binding.words;
  let any = false;
  let all = true;
  let empty = true;
  for (let word = 0; word < binding.words; word++) {
    const held = binding.bits[start + word] ?? 0;
    const wanted = binding.mask[word] ?? 0;
    if ((held & wanted) !== 0) any = true;
    if ((held & wanted) !== wanted) all = false;
    if (held !== 0) empty = false;
  }
  if (binding.mode === 'any') return any ? 2 : 0;
  if (binding.mode === 'all') return all ? 2 : 0;
  return empty ? 2 : 0;
}

/** TRUE bits of a row-bitmap leaf for the 32 rows of word `w` (unknown rows not yet removed). */
export function rowsWord(binding: Extract<Binding, { kind: 'rows' }>, w: number): number {
  const { trues } = binding;
  if (binding.every) {
    let word = -1;
    for (let index = 0; index < trues.length; index++) word &= trues[index]?.[w] ?? 0;
    return word;
  }
  let word = 0;
  for (let index = 0; index < trues.length; index++) word |= trues[index]?.[w] ?? 0;
  return word;
}

/** The truth of one leaf for one row: the reference semantics both back ends follow. */
export function leafTruth(binding: Binding, row: number): Truth {
  switch (binding.kind) {
    case 'number': {
      if (bit(binding.nulls, row) === 1) return 1;
      const value = binding.values[row] ?? NaN;
      return inRange(value, binding) ? 2 : 0;
    }
    case 'date': {
      const day = binding.days[row] ?? NULL_EPOCH_DAY;
      if (day === NULL_EPOCH_DAY) return 1;
      return day >= binding.from && day <= binding.to ? 2 : 0;
    }
    case 'codes':
      return (binding.table[binding.codes[row] ?? 0] ?? 0) as Truth;
    case 'members':
      return membersTruth(binding, row);
    case 'rows':
      if (bit(binding.unknowns, row) === 1) return 1;
      return ((rowsWord(binding, row >>> 5) >>> (row & 31)) & 1) === 1 ? 2 : 0;
    case 'bits':
      return bit(binding.bits, row) === 1 ? 2 : 0;
    case 'dateNull':
      return (binding.days[row] ?? NULL_EPOCH_DAY) === NULL_EPOCH_DAY ? 2 : 0;
    case 'anniversary': {
      const day = binding.days[row] ?? NULL_EPOCH_DAY;
      if (day === NULL_EPOCH_DAY) return 1;
      return (binding.monthDays[monthDayOf(day)] ?? 0) as Truth;
    }
    case 'call':
      return binding.test(row);
    case 'constant':
      return binding.value;
  }
}

type NodeEvaluator = (row: number, values: Uint8Array) => number;

function evaluatorOf(plan: Plan, index: number): (bindings: readonly (Binding | undefined)[]) => NodeEvaluator {
  const node = plan.nodes[index];
  if (node === undefined) throw new RangeError(`Plan node ${index} does not exist.`);
  switch (node.kind) {
    case 'leaf':
      return (bindings) => {
        const binding = bindings[index];
        if (binding === undefined) throw new RangeError(`Plan node ${index} has no binding.`);
        return (row) => leafTruth(binding, row);
      };
    case 'not':
      return () => (_row, values) => 2 - (values[node.child] ?? 1);
    case 'member':
      return () => (_row, values) => (values[node.child] === 2 ? 2 : 0);
    case 'and':
    case 'or': {
      const children = node.children;
      const combine = node.kind === 'and' ? Math.min : Math.max;
      return () => (_row, values) => {
        let result = values[children[0] ?? 0] ?? 1;
        for (let child = 1; child < children.length; child++) result = combine(result, values[children[child] ?? 0] ?? 1);
        return result;
      };
    }
  }
}

/** One node's word step: fills masks T[k] (true) and F[k] (false) for 32 rows; unknown is neither. */
type WordStep = (w: number, L: number, T: Int32Array, F: Int32Array) => void;

function setLeafMasks(k: number, T: Int32Array, F: Int32Array, L: number, truths: number, unknowns: number): void {
  T[k] = truths & ~unknowns & L;
  F[k] = L & ~truths & ~unknowns;
}

/** A leaf's word step specialised by binding kind, so each loop stays a tight typed-array scan. */
function leafWordStep(k: number, binding: Binding): WordStep {
  switch (binding.kind) {
    case 'number':
      return (w, L, T, F) => {
        let truths = 0;
        const base = w << 5;
        for (let b = 0; b < 32; b++) if (inRange(binding.values[base + b] ?? NaN, binding)) truths |= 1 << b;
        setLeafMasks(k, T, F, L, truths, binding.nulls[w] ?? 0);
      };
    case 'codes':
      return (w, L, T, F) => {
        let truths = 0;
        let unknowns = 0;
        const base = w << 5;
        for (let b = 0; b < 32; b++) {
          const truth = binding.table[binding.codes[base + b] ?? 0] ?? 0;
          truths |= (truth >>> 1) << b;
          unknowns |= (truth & 1) << b;
        }
        setLeafMasks(k, T, F, L, truths, unknowns);
      };
    case 'date':
      return (w, L, T, F) => {
        let truths = 0;
        let unknowns = 0;
        const base = w << 5;
        for (let b = 0; b < 32; b++) {
          const day = binding.days[base + b] ?? NULL_EPOCH_DAY;
          if (day === NULL_EPOCH_DAY) unknowns |= 1 << b;
          else if (day >= binding.from && day <= binding.to) truths |= 1 << b;
        }
        setLeafMasks(k, T, F, L, truths, unknowns);
      };
    case 'rows':
      return (w, L, T, F) => setLeafMasks(k, T, F, L, rowsWord(binding, w), binding.unknowns[w] ?? 0);
    case 'bits':
      return (w, L, T, F) => setLeafMasks(k, T, F, L, binding.bits[w] ?? 0, 0);
    case 'constant':
      return (_w, L, T, F) => setLeafMasks(k, T, F, L, binding.value === 2 ? -1 : 0, binding.value === 1 ? -1 : 0);
    default:
      return (w, L, T, F) => {
        let truths = 0;
        let unknowns = 0;
        const base = w << 5;
        for (let b = 0; b < 32; b++) {
          if (((L >>> b) & 1) === 0) continue;
          const truth = leafTruth(binding, base + b);
          truths |= (truth >>> 1) << b;
          unknowns |= (truth & 1) << b;
        }
        setLeafMasks(k, T, F, L, truths, unknowns);
      };
  }
}

function connectiveWordStep(k: number, node: Exclude<Plan['nodes'][number], { kind: 'leaf' }>): WordStep {
  switch (node.kind) {
    case 'not':
      return (_w, _L, T, F) => {
        T[k] = F[node.child] ?? 0;
        F[k] = T[node.child] ?? 0;
      };
    case 'member':
      return (_w, L, T, F) => {
        T[k] = T[node.child] ?? 0;
        F[k] = L & ~(T[node.child] ?? 0);
      };
    case 'and':
      return (_w, _L, T, F) => {
        let truths = -1;
        let falses = 0;
        for (const child of node.children) {
          truths &= T[child] ?? 0;
          falses |= F[child] ?? 0;
        }
        T[k] = truths;
        F[k] = falses;
      };
    case 'or':
      return (_w, _L, T, F) => {
        let truths = 0;
        let falses = -1;
        for (const child of node.children) {
          truths |= T[child] ?? 0;
          falses &= F[child] ?? 0;
        }
        T[k] = truths;
        F[k] = falses;
      };
  }
}

function wordSteps(plan: Plan, bindings: readonly (Binding | undefined)[]): WordStep[] {
  return plan.nodes.map((node, k) => {
    if (node.kind !== 'leaf') return connectiveWordStep(k, node);
    const binding = bindings[k];
    if (binding === undefined) throw new RangeError(`Plan node ${k} has no binding.`);
    return leafWordStep(k, binding);
  });
}

/** Closures only: works where `new Function` is forbidden (a strict Content-Security-Policy). */
export function compileClosures(plan: Plan, outputs: readonly number[]): CompiledPass {
  const factories = plan.nodes.map((_node, index) => evaluatorOf(plan, index));
  const instantiate = (bindings: readonly (Binding | undefined)[]): NodeEvaluator[] => factories.map((factory) => factory(bindings));
  const evaluateRow = (evaluators: readonly NodeEvaluator[], values: Uint8Array, row: number): void => {
    for (let node = 0; node < evaluators.length; node++) values[node] = evaluators[node]?.(row, values) ?? 1;
  };
  return {
    backend: 'closure',
    full(bindings, live, size) {
      // 32 rows at a time, as (true, false) mask pairs per node: closures, but few calls per row.
      const steps = wordSteps(plan, bindings);
      const truths = new Int32Array(plan.nodes.length);
      const falses = new Int32Array(plan.nodes.length);
      const words = Math.ceil(size / 32);
      const results = outputs.map(() => new Uint32Array(words));
      for (let word = 0; word < words; word++) {
        const L = live[word] ?? 0;
        if (L === 0) continue;
        for (const step of steps) step(word, L, truths, falses);
        outputs.forEach((output, position) => {
          const target = results[position];
          if (target !== undefined) target[word] = truths[output] ?? 0;
        });
      }
      return results;
    },
    rows(bindings, rows) {
      const evaluators = instantiate(bindings);
      const values = new Uint8Array(plan.nodes.length);
      const results = outputs.map(() => new Uint8Array(rows.length));
      rows.forEach((row, position) => {
        evaluateRow(evaluators, values, row);
        outputs.forEach((output, index) => {
          const target = results[index];
          if (target !== undefined) target[position] = values[output] ?? 1;
        });
      });
      return results;
    },
  };
}
