// Seeded randomness for the synthetic bank. Every customer draws from its own stream keyed by
// (seed, customer index, purpose), so any customer can be rebuilt alone, in any order.
//
// The generator is sfc32 (Chris Doty-Humphrey's "small fast counting" PRNG, from PractRand): four
// 32-bit words, passes PractRand and BigCrush, and runs on plain int32 arithmetic, which keeps a
// million customers within seconds. It is a few lines, so we write it rather than take a dependency.

/** A deterministic source of random numbers. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  integer(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  /** One element, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
}

const TWO_POW_32 = 4_294_967_296;
/** sfc32's authors advise discarding the first outputs so that similar seeds diverge. */
const WARM_UP_ROUNDS = 12;

/** MurmurHash3's finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Folds a seed and any number of stream keys (integers, possibly beyond 32 bits) into one word. */
function hashKeys(seed: number, keys: readonly number[]): number {
  let h = mix32(0x9e3779b9 ^ splitLow(seed));
  h = mix32(h ^ splitHigh(seed));
  for (const key of keys) {
    h = mix32(h ^ mix32(splitLow(key) + 0x7f4a7c15));
    h = mix32(h ^ splitHigh(key));
  }
  return h;
}

function splitLow(value: number): number {
  return Math.trunc(value) >>> 0;
}

function splitHigh(value: number): number {
  return Math.floor(Math.trunc(value) / TWO_POW_32) >>> 0;
}

class Sfc32Random implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller yields normals in pairs; the second waits here. */
  private spareNormal: number | undefined;

  constructor(word: number) {
    this.a = word;
    this.b = mix32(word ^ 0x85ebca6b);
    this.c = mix32(this.b ^ 0xc2b2ae35);
    this.d = 1;
    for (let round = 0; round < WARM_UP_ROUNDS; round++) this.nextWord();
  }

  private nextWord(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextWord() / TWO_POW_32;
  }

  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined)
      throw new RangeError('Random.pick needs a non-empty list of defined items.');
    return item;
  }

  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/**
 * A seeded random stream. Extra `keys` derive independent streams from one seed, e.g.
 * `createRandom(seed, customerIndex)`; the same arguments always give the same sequence.
 */
export function createRandom(seed: number, ...keys: readonly number[]): Random {
  return new Sfc32Random(hashKeys(seed, keys));
}

/** Draws items in proportion to their weights; built once, drawn from many times. */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('A WeightedTable needs at least one entry.');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let running = 0;
    entries.forEach(([, weight], position) => {
      running += weight;
      this.cumulative[position] = running;
    });
    this.total = running;
  }

  draw(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    const item = this.items[low];
    if (item === undefined) throw new RangeError('A WeightedTable entry must not be undefined.');
    return item;
  }
}

/** Standard normal cumulative distribution, Φ (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const density = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const tail =
    density *
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? 1 - tail : tail;
}
