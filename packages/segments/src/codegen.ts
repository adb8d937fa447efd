// The generated-code back end: the whole plan becomes one JavaScript function with a local per
// node, so V8 sees straight-line typed-array reads — the fast path on Node. The full pass works on
// 32-row words (leaves sharing a column share one loop, leaves on the column's row bitmaps need
// none; connectives are bitwise operations on true/false masks); per-customer evaluation (update,
// explain) works row by row on 0/1/2 truths.
// It follows `leafTruth` (backend.ts) test for test; a property test checks both agree.
import { monthDayOf } from './calendar.js';
import { leafTruth, type CompiledPass } from './backend.js';
import type { Binding } from './bind.js';
import type { Leaf, Plan, PlanNode } from './plan.js';

/** True where `new Function` may run (Node, browsers without a CSP forbidding 'unsafe-eval'). */
export function canGenerateCode(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}

function bitOf(array: string): string {
  return `((${array}[i >>> 5] >>> (i & 31)) & 1) === 1`;
}

function numberTest(k: number, leaf: Extract<Leaf, { kind: 'number' | 'events' }>): string {
  const checks: string[] = [];
  if (leaf.lo !== -Infinity) checks.push(`x${k} ${leaf.loStrict ? '>' : '>='} lo${k}`);
  if (leaf.hi !== Infinity) checks.push(`x${k} ${leaf.hiStrict ? '<' : '<='} hi${k}`);
  const test = checks.length === 0 ? 'true' : checks.join(' && ');
  return `const x${k} = v${k}[i]; const t${k} = ${bitOf(`n${k}`)} ? 1 : (${test} ? 2 : 0);`;
}

/** Unpacking of a leaf's binding into locals, once per pass; names depend on the binding's kind. */
function unpack(k: number, binding: Binding | undefined): string {
  const b = `const b${k} = B[${k}]`;
  switch (binding?.kind) {
    case 'number':
      return `${b}, v${k} = b${k}.values, n${k} = b${k}.nulls, lo${k} = b${k}.lo, hi${k} = b${k}.hi;`;
    case 'date':
      return `${b}, d${k} = b${k}.days, f${k} = b${k}.from, e${k} = b${k}.to;`;
    case 'dateNull':
      return `${b}, d${k} = b${k}.days;`;
    case 'anniversary':
      return `${b}, d${k} = b${k}.days, m${k} = b${k}.monthDays;`;
    case 'codes':
      return `${b}, c${k} = b${k}.codes, tb${k} = b${k}.table, K${k} = H.onlyTrueCode(tb${k}), U${k} = tb${k}[b${k}.nullCode] === 1, z${k} = b${k}.nullCode;`;
    case 'members':
      return `${b}, s${k} = b${k}.bits, sn${k} = b${k}.nulls, sm${k} = b${k}.mask[0] >>> 0, imp${k} = b${k}.impossible, fast${k} = b${k}.words === 1 && !b${k}.impossible;`;
    case 'bits':
      return `${b}, q${k} = b${k}.bits;`;
    case 'rows': {
      const trues = binding.trues.map((_bitmap, j) => `, r${k}_${j} = b${k}.trues[${j}]`).join('');
      return `${b}, ru${k} = b${k}.unknowns${trues};`;
    }
    default:
      return `${b};`;
  }
}

function membersTest(k: number, leaf: Extract<Leaf, { kind: 'members' }>): string {
  const held = `(s${k}[i] & sm${k}) >>> 0`;
  const test = leaf.mode === 'any' ? `${held} !== 0` : leaf.mode === 'all' ? `${held} === sm${k}` : `s${k}[i] === 0`;
  return `const t${k} = fast${k} ? (${bitOf(`sn${k}`)} ? 1 : (${test} ? 2 : 0)) : H.leafTruth(b${k}, i);`;
}

function leafStatement(k: number, leaf: Leaf): string {
  switch (leaf.kind) {
    case 'number':
    case 'events':
      return numberTest(k, leaf);
    case 'date':
      return `const y${k} = d${k}[i]; const t${k} = y${k} === NULL_DAY ? 1 : (y${k} >= f${k} && y${k} <= e${k} ? 2 : 0);`;
    case 'anniversary':
      return `const y${k} = d${k}[i]; const t${k} = y${k} === NULL_DAY ? 1 : m${k}[H.monthDayOf(y${k})];`;
    case 'codes':
    case 'boolean':
      return `const t${k} = tb${k}[c${k}[i]];`;
    case 'custom':
      return `const t${k} = b${k}.kind === 'codes' ? tb${k}[c${k}[i]] : b${k}.test(i);`;
    case 'isNull':
      return `const t${k} = H.leafTruth(b${k}, i);`;
    case 'members':
      return membersTest(k, leaf);
    case 'ids':
      return `const t${k} = ${bitOf(`q${k}`)} ? 2 : 0;`;
    case 'constant':
      return `const t${k} = ${leaf.value};`;
  }
}

/** The TRUE bits of a row-bitmap leaf at word `word`: its bitmaps ORed (ANDed when every one must hold). */
function rowsExpression(k: number, binding: Extract<Binding, { kind: 'rows' }>, word: string): string {
  if (binding.trues.length === 0) return binding.every ? '-1' : '0';
  return binding.trues.map((_bitmap, j) => `(r${k}_${j}[${word}] | 0)`).join(binding.every ? ' & ' : ' | ');
}

function nodeStatement(k: number, node: PlanNode, binding: Binding | undefined): string {
  switch (node.kind) {
    case 'leaf':
      if (binding?.kind === 'rows') {
        return `const t${k} = ${bitOf(`ru${k}`)} ? 1 : ((((${rowsExpression(k, binding, 'i >>> 5')}) >>> (i & 31)) & 1) === 1 ? 2 : 0);`;
      }
      if (binding?.kind === 'bits') return `const t${k} = ${bitOf(`q${k}`)} ? 2 : 0;`;
      return leafStatement(k, node.leaf);
    case 'not':
      return `const t${k} = 2 - t${node.child};`;
    case 'member':
      return `const t${k} = t${node.child} === 2 ? 2 : 0;`;
    case 'and':
    case 'or': {
      const [first, ...rest] = node.children;
      const better = node.kind === 'and' ? '<' : '>';
      const steps = rest.map((child) => `if (t${child} ${better} t${k}) t${k} = t${child};`).join(' ');
      return `let t${k} = t${first ?? 0}; ${steps}`;
    }
  }
}

/** Leaves reading the same column share one loop over each word's 32 rows. */
interface LeafGroup {
  readonly family: 'number' | 'date' | 'codes' | 'set' | 'alone';
  readonly leaves: number[];
}

function groupKey(leaf: Leaf, binding: Binding | undefined): string | undefined {
  const attribute = 'attribute' in leaf ? leaf.attribute : '';
  switch (binding?.kind) {
    case 'number':
      return leaf.kind === 'events' ? `number:events:${JSON.stringify(leaf.aggregate)}` : `number:${attribute}`;
    case 'date':
    case 'dateNull':
    case 'anniversary':
      return `date:${attribute}`;
    case 'codes':
      return `codes:${attribute}`;
    case 'members':
      return binding.words === 1 ? `set:${attribute}` : undefined;
    default:
      return undefined;
  }
}

function leafGroups(plan: Plan, bindings: readonly (Binding | undefined)[]): LeafGroup[] {
  const groups = new Map<string, LeafGroup>();
  const alone: LeafGroup[] = [];
  plan.nodes.forEach((node, k) => {
    if (node.kind !== 'leaf') return;
    const key = groupKey(node.leaf, bindings[k]);
    if (key === undefined) {
      alone.push({ family: 'alone', leaves: [k] });
      return;
    }
    const family = key.slice(0, key.indexOf(':')) as LeafGroup['family'];
    const group = groups.get(key) ?? { family, leaves: [] };
    group.leaves.push(k);
    groups.set(key, group);
  });
  return [...groups.values(), ...alone];
}

function rowLoop(body: string): string {
  return `for (let b = 0; b < 32; b++) { const i = base + b; ${body} }`;
}

/** Calls (plugin operators, slow paths) only for live rows: a row past the table has no value to read. */
function liveRowLoop(body: string): string {
  return rowLoop(`if (((L >>> b) & 1) === 0) continue; ${body}`);
}

/** T (true) and F (false) masks from a leaf's true bits and unknown bits. */
function finish(k: number, unknown: string): string {
  return `T${k} &= ~${unknown} & L; const F${k} = L & ~T${k} & ~${unknown};`;
}

function numberCheck(k: number, leaf: Leaf): string {
  if (leaf.kind !== 'number' && leaf.kind !== 'events') return '0';
  const checks: string[] = [];
  if (leaf.lo !== -Infinity) checks.push(`(x ${leaf.loStrict ? '>' : '>='} lo${k})`);
  if (leaf.hi !== Infinity) checks.push(`(x ${leaf.hiStrict ? '<' : '<='} hi${k})`);
  return checks.length === 0 ? '1' : checks.join(' & ');
}

function setCheck(k: number, leaf: Leaf): string {
  const held = `((s & sm${k}) >>> 0)`;
  if (leaf.kind !== 'members' || leaf.mode === 'empty') return '(s === 0)';
  return leaf.mode === 'any' ? `(${held} !== 0)` : `(${held} === sm${k})`;
}

function groupWord(group: LeafGroup, plan: Plan, bindings: readonly (Binding | undefined)[], g: number): string {
  const [first = 0] = group.leaves;
  const leafOf = (k: number): Leaf => {
    const node = plan.nodes[k];
    return node?.kind === 'leaf' ? node.leaf : { kind: 'constant', value: 1 };
  };
  const declare = group.leaves.map((k) => `let T${k} = 0, u${k} = 0;`).join(' ');
  switch (group.family) {
    case 'number': {
      const tests = group.leaves.map((k) => `T${k} |= (${numberCheck(k, leafOf(k))}) << b;`).join(' ');
      const done = group.leaves.map((k) => finish(k, `g${g}`)).join(' ');
      return `${declare} const g${g} = n${first}[w] | 0; ${rowLoop(`const x = v${first}[i]; ${tests}`)} ${done}`;
    }
    case 'date': {
      const tests = group.leaves
        .map((k) => {
          const kind = bindings[k]?.kind;
          if (kind === 'date') return `T${k} |= ((y >= f${k}) & (y <= e${k})) << b;`;
          if (kind === 'anniversary') return `if (y !== NULL_DAY) T${k} |= (m${k}[H.monthDayOf(y)] >>> 1) << b;`;
          return '';
        })
        .join(' ');
      const done = group.leaves
        .map((k) => (bindings[k]?.kind === 'dateNull' ? `T${k} = g${g} & L; const F${k} = L & ~g${g};` : finish(k, `g${g}`)))
        .join(' ');
      return `${declare} let g${g} = 0; ${rowLoop(`const y = d${first}[i]; g${g} |= (y === NULL_DAY) << b; ${tests}`)} ${done}`;
    }
    case 'codes': {
      // One true code compares directly; lists and prefixes look the code up. Unknown is always the null code.
      const tests = group.leaves
        .map((k) => (hasOneTrueCode(bindings[k]) ? `T${k} |= (c === K${k}) << b;` : `T${k} |= (tb${k}[c] >>> 1) << b;`))
        .join(' ');
      const done = group.leaves.map((k) => `u${k} = U${k} ? g${g} : 0; ${finish(k, `u${k}`)}`).join(' ');
      return `${declare} let g${g} = 0; ${rowLoop(`const c = c${first}[i]; g${g} |= (c === z${first}) << b; ${tests}`)} ${done}`;
    }
    case 'set': {
      const tests = group.leaves.map((k) => `T${k} |= ${setCheck(k, leafOf(k))} << b;`).join(' ');
      const done = group.leaves.map((k) => `if (imp${k}) T${k} = 0; ${finish(k, `g${g}`)}`).join(' ');
      return `${declare} const g${g} = sn${first}[w] | 0; ${rowLoop(`const s = s${first}[i]; ${tests}`)} ${done}`;
    }
    case 'alone':
      return aloneWord(first, leafOf(first), bindings[first]);
  }
}

function aloneWord(k: number, leaf: Leaf, binding: Binding | undefined): string {
  if (binding?.kind === 'rows') return `let T${k} = ${rowsExpression(k, binding, 'w')}; const u${k} = ru${k}[w] | 0; ${finish(k, `u${k}`)}`;
  if (binding?.kind === 'bits') return `let T${k} = q${k}[w] & L; const F${k} = L & ~T${k};`;
  if (leaf.kind === 'constant') return `let T${k} = ${leaf.value === 2 ? -1 : 0}; const u${k} = ${leaf.value === 1 ? -1 : 0}; ${finish(k, `u${k}`)}`;
  return `let T${k} = 0, u${k} = 0; ${liveRowLoop(`const r = H.leafTruth(b${k}, i); T${k} |= (r === 2) << b; u${k} |= (r === 1) << b;`)} ${finish(k, `u${k}`)}`;
}

function nodeWord(k: number, node: PlanNode): string {
  switch (node.kind) {
    case 'leaf':
      return '';
    case 'not':
      return `const T${k} = F${node.child}, F${k} = T${node.child};`;
    case 'member':
      return `const T${k} = T${node.child}, F${k} = L & ~T${node.child};`;
    case 'and':
    case 'or': {
      const trueJoin = node.kind === 'and' ? ' & ' : ' | ';
      const falseJoin = node.kind === 'and' ? ' | ' : ' & ';
      return `const T${k} = ${node.children.map((child) => `T${child}`).join(trueJoin)}, F${k} = ${node.children.map((child) => `F${child}`).join(falseJoin)};`;
    }
  }
}

function source(plan: Plan, outputs: readonly number[], bindings: readonly (Binding | undefined)[]): string {
  const unpacked = plan.nodes.map((node, k) => (node.kind === 'leaf' ? unpack(k, bindings[k]) : '')).join('\n');
  const body = plan.nodes.map((node, k) => nodeStatement(k, node, bindings[k])).join('\n');
  const declareOut = outputs.map((_output, o) => `const o${o} = new Uint32Array(words);`).join(' ');
  const leaves = leafGroups(plan, bindings).map((group, g) => groupWord(group, plan, bindings, g));
  const wordBody = [...leaves, ...plan.nodes.map((node, k) => nodeWord(k, node))].join('\n');
  const storeWords = outputs.map((output, o) => `o${o}[w] = T${output};`).join(' ');
  const record = outputs.map((output, o) => `r${o}[p] = t${output};`).join(' ');
  const declareRows = outputs.map((_output, o) => `const r${o} = new Uint8Array(list.length);`).join(' ');
  const list = (prefix: string) => outputs.map((_output, o) => `${prefix}${o}`).join(', ');
  return `"use strict";
const NULL_DAY = -2147483648;
${unpacked}
return {
  full(live, size) {
    const words = Math.ceil(size / 32);
    ${declareOut}
    for (let w = 0; w < words; w++) {
      const L = live[w] | 0;
      if (L === 0) continue;
      const base = w << 5;
${wordBody}
      ${storeWords}
    }
    return [${list('o')}];
  },
  rows(list) {
    ${declareRows}
    for (let p = 0; p < list.length; p++) {
      const i = list[p];
${body}
      ${record}
    }
    return [${list('r')}];
  },
};`;
}

type Factory = (bindings: readonly (Binding | undefined)[], helpers: object) => {
  full(live: Uint32Array, size: number): Uint32Array[];
  rows(list: readonly number[]): Uint8Array[];
};

/** The code a code table maps to TRUE when there is exactly one (or none: -1); -2 when several. */
function onlyTrueCode(table: Uint8Array): number {
  let found = -1;
  for (let code = 0; code < table.length; code++) {
    if (table[code] !== 2) continue;
    if (found !== -1) return -2;
    found = code;
  }
  return found;
}

function hasOneTrueCode(binding: Binding | undefined): boolean {
  return binding?.kind === 'codes' && onlyTrueCode(binding.table) !== -2;
}

/** The shape of the bindings the generated source depends on (binding kinds, set widths, code tests). */
function shapeOf(bindings: readonly (Binding | undefined)[]): string {
  return bindings
    .map((binding) => {
      if (binding?.kind === 'members') return `members${binding.words}`;
      if (binding?.kind === 'rows') return `rows${binding.trues.length}${binding.every ? 'all' : 'any'}`;
      if (binding?.kind === 'codes') return hasOneTrueCode(binding) ? 'code' : 'codes';
      return binding?.kind ?? '-';
    })
    .join(',');
}

/**
 * Compiles the plan into generated functions, one per binding shape (a set attribute widening past
 * 32 members changes the shape); throws where `new Function` is forbidden.
 */
export function compileGenerated(plan: Plan, outputs: readonly number[]): CompiledPass {
  const factories = new Map<string, Factory>();
  const helpers = { leafTruth, monthDayOf, onlyTrueCode };
  const factoryFor = (bindings: readonly (Binding | undefined)[]): Factory => {
    const shape = shapeOf(bindings);
    let factory = factories.get(shape);
    if (factory === undefined) {
      factory = new Function('B', 'H', source(plan, outputs, bindings)) as Factory;
      factories.set(shape, factory);
    }
    return factory;
  };
  return {
    backend: 'codegen',
    full: (bindings, live, size) => factoryFor(bindings)(bindings, helpers).full(live, size),
    rows: (bindings, rows) => factoryFor(bindings)(bindings, helpers).rows(rows),
  };
}
