// How much a synthetic customer holds, how it moved over the year, and in which products.
// Amounts are computed in fen (1/100 yuan) as integers so that holdings add up to the AUM exactly.
import type { Holding, Product, ProductType } from '@kequn/core';
import { formatDay } from './calendar.js';
import type { Random } from './random.js';

/** Default tier bars of DOMAIN.md (CNY); the generator shapes its population around them. */
export const EFFECTIVE_FLOOR = 10_000;
export const MID_FLOOR = 50_000;
export const HIGH_END_FLOOR = 500_000;
export const PRIVATE_FLOOR = 6_000_000;

/**
 * Knots of the AUM quantile function: (z, AUM) where z = Φ⁻¹(p) for the population share p below
 * that AUM. Between knots log(AUM) is linear in z, i.e. a spliced log-normal. A single log-normal
 * cannot give both the tier mix banks report (about half the book under 10k, a few per cent above
 * 500k) and the 20/80 rule; splicing keeps each segment log-normal while matching both.
 */
const aumQuantileKnots: readonly (readonly [z: number, aum: number])[] = [
  [-3.719, 30], // p = 0.0001
  [-1.2816, 1_200], // p = 0.10
  [-0.5244, 5_000], // p = 0.30
  [0.0502, 10_000], // p = 0.52: potential customers are just over half the book
  [0.6433, 50_000], // p = 0.74
  [1.2816, 150_000], // p = 0.90
  [1.8522, 500_000], // p = 0.968: about 3% are high-end or private
  [2.5121, 1_000_000], // p = 0.994
  [3.0902, 6_000_000], // p = 0.999: about one customer in a thousand is private-banking
  [4.2649, 18_000_000], // p = 0.99999
];

const logKnots = aumQuantileKnots.map(([z, aum]) => [z, Math.log(aum)] as const);

/** The AUM level of a customer whose wealth sits at standard-normal score `z`. */
export function aumAtScore(z: number): number {
  let segment = 0;
  while (segment < logKnots.length - 2 && z > (logKnots[segment + 1]?.[0] ?? Infinity)) segment++;
  const [z0, log0] = logKnots[segment] ?? [0, 0];
  const [z1, log1] = logKnots[segment + 1] ?? [1, 0];
  return Math.exp(log0 + ((log1 - log0) * (z - z0)) / (z1 - z0));
}

export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function toYuan(fen: number): number {
  return fen / 100;
}

export interface BalanceWalk {
  /** The level of the latest month, in yuan; positive. */
  latestLevel: number;
  months: number;
  /** Position (0-based) of the month the account was opened in, or 0 if opened before the window. */
  openingPosition: number;
  /** Share of the opening month during which the account existed. */
  openingMonthShare: number;
  /** Typical month-on-month change of log balance. */
  volatility: number;
  /** Average monthly growth of log balance; positive means the customer has been growing. */
  drift: number;
  /** Chance per month of a large one-off move (a maturity, a house purchase, an inheritance). */
  jumpChance: number;
}

/** Typical size of a one-off move in log balance: about ±45%. */
const JUMP_SIZE = 0.45;

/**
 * Monthly average balances as a random walk that ends at the customer's current level: walking
 * backwards from the latest month keeps the latest month (the basis of tiering) on the calibrated
 * distribution, while earlier months wander, so some customers cross a tier bar during the year.
 */
export function walkMonthlyAverages(random: Random, walk: BalanceWalk): number[] {
  const averagesFen = new Array<number>(walk.months).fill(0);
  let logLevel = Math.log(walk.latestLevel);
  for (let position = walk.months - 1; position >= walk.openingPosition; position--) {
    const share = position === walk.openingPosition ? walk.openingMonthShare : 1;
    averagesFen[position] = toFen(Math.exp(logLevel) * share);
    logLevel -= walk.drift + walk.volatility * random.normal();
    if (random.chance(walk.jumpChance)) logLevel += JUMP_SIZE * random.normal();
  }
  return averagesFen;
}

/** Kinds of asset a customer may spread AUM over, and which share each usually takes. */
type AssetClass =
  'time_deposit' | 'structured_deposit' | 'wealth' | 'fund' | 'insurance' | 'precious_metal';

interface AssetClassHabit {
  assetClass: AssetClass;
  /** Chance that a customer of this band holds the class at all. */
  chance: number;
  /** Relative weight range against the demand deposit's. */
  weight: readonly [number, number];
}

/** Typical asset structure by AUM band: the richer, the more diversified (资产配置). */
const habitsByBand: readonly (readonly [floor: number, habits: readonly AssetClassHabit[]])[] = [
  [
    HIGH_END_FLOOR,
    [
      { assetClass: 'time_deposit', chance: 0.75, weight: [0.5, 2] },
      { assetClass: 'structured_deposit', chance: 0.4, weight: [0.3, 1.5] },
      { assetClass: 'wealth', chance: 0.75, weight: [0.8, 2.5] },
      { assetClass: 'fund', chance: 0.45, weight: [0.2, 1.2] },
      { assetClass: 'insurance', chance: 0.35, weight: [0.2, 0.8] },
      { assetClass: 'precious_metal', chance: 0.15, weight: [0.05, 0.3] },
    ],
  ],
  [
    MID_FLOOR,
    [
      { assetClass: 'time_deposit', chance: 0.7, weight: [0.5, 2.5] },
      { assetClass: 'structured_deposit', chance: 0.2, weight: [0.3, 1.5] },
      { assetClass: 'wealth', chance: 0.5, weight: [0.5, 2] },
      { assetClass: 'fund', chance: 0.25, weight: [0.1, 0.8] },
      { assetClass: 'insurance', chance: 0.15, weight: [0.2, 0.6] },
      { assetClass: 'precious_metal', chance: 0.05, weight: [0.05, 0.2] },
    ],
  ],
  [
    EFFECTIVE_FLOOR,
    [
      { assetClass: 'time_deposit', chance: 0.5, weight: [0.3, 1.5] },
      { assetClass: 'wealth', chance: 0.25, weight: [0.3, 1.2] },
      { assetClass: 'fund', chance: 0.12, weight: [0.05, 0.4] },
    ],
  ],
  [1_000, [{ assetClass: 'time_deposit', chance: 0.15, weight: [0.3, 1.5] }]],
];

export type RiskProfile = 'C1' | 'C2' | 'C3' | 'C4' | 'C5';

export interface HoldingContext {
  aumFen: number;
  riskProfile: RiskProfile | undefined;
  /** Older customers lean to principal-protected products. */
  age: number;
  customerOpenedDay: number;
  asOfDay: number;
  shelf: ProductShelf;
}

/** Products grouped the way the allocator asks for them. */
export class ProductShelf {
  readonly demandDeposit: Product;
  private readonly byType = new Map<ProductType, Product[]>();

  constructor(products: readonly Product[]) {
    for (const product of products) {
      const ofType = this.byType.get(product.type) ?? [];
      ofType.push(product);
      this.byType.set(product.type, ofType);
    }
    const demandDeposit = this.byType.get('demand_deposit')?.[0];
    if (!demandDeposit) throw new Error('The synthetic catalogue needs a demand deposit product.');
    this.demandDeposit = demandDeposit;
  }

  /** Products of a type that this customer may buy with this amount. */
  eligible(type: ProductType, riskProfile: RiskProfile | undefined, amountFen: number): Product[] {
    const allowedRisk = riskProfile ? Number(riskProfile.slice(1)) : 1;
    return (this.byType.get(type) ?? []).filter(
      (product) =>
        Number(product.riskLevel.slice(1)) <= allowedRisk &&
        toFen(product.minimumAmount) <= amountFen,
    );
  }

  byId(type: ProductType, id: string): Product | undefined {
    return this.byType.get(type)?.find((product) => product.id === id);
  }
}

/** Wealth products, funds and gold savings may only be sold after a risk assessment (风险测评). */
const needsRiskAssessment: ReadonlySet<AssetClass> = new Set(['wealth', 'fund', 'precious_metal']);

/**
 * Spreads the AUM over products. Every fen lands somewhere: what a product's minimum does not
 * allow stays in the demand deposit, so the holdings always add up to the AUM.
 */
export function allocateHoldings(random: Random, context: HoldingContext): Holding[] {
  const habits = habitsByBand.find(([floor]) => toYuan(context.aumFen) >= floor)?.[1] ?? [];
  const chosen = habits.filter(
    (habit) =>
      (context.riskProfile || !needsRiskAssessment.has(habit.assetClass)) &&
      random.chance(habitChance(habit, context)),
  );
  const demandWeight = 0.3 + random.next() * 0.7;
  const weights = chosen.map(
    (habit) => habit.weight[0] + random.next() * (habit.weight[1] - habit.weight[0]),
  );
  const totalWeight = weights.reduce((sum, weight) => sum + weight, demandWeight);

  const holdings: Holding[] = [];
  let placedFen = 0;
  chosen.forEach((habit, position) => {
    const shareFen = Math.floor((context.aumFen * (weights[position] ?? 0)) / totalWeight);
    const holding = holdingOf(random, habit.assetClass, shareFen, context);
    if (!holding) return;
    holdings.push(holding);
    placedFen += shareFen;
  });
  holdings.unshift({
    productId: context.shelf.demandDeposit.id,
    productType: 'demand_deposit',
    amount: toYuan(context.aumFen - placedFen),
    openedAt: formatDay(context.customerOpenedDay),
  });
  return holdings;
}

/** Older, careful customers are the structured-deposit seekers (结构性存款特定客群). */
function habitChance(habit: AssetClassHabit, context: HoldingContext): number {
  if (habit.assetClass === 'structured_deposit' && context.age >= 50)
    return Math.min(1, habit.chance * 1.8);
  if (habit.assetClass === 'fund' && context.age >= 65) return habit.chance * 0.4;
  return habit.chance;
}

function holdingOf(
  random: Random,
  assetClass: AssetClass,
  amountFen: number,
  context: HoldingContext,
): Holding | undefined {
  const candidates = context.shelf.eligible(assetClass, context.riskProfile, amountFen);
  if (candidates.length === 0) return undefined;
  const product = random.pick(candidates);
  return termHolding(random, product, amountFen, context);
}

/**
 * Dates a holding: a term product was bought at most one term ago and has not matured yet, so its
 * maturity date falls within one term after `asOf` (a 90-day product matures within 30 days a
 * third of the time); open-ended products were bought any time since the account opened.
 */
export function termHolding(
  random: Random,
  product: Product,
  amountFen: number,
  context: HoldingContext,
): Holding {
  const holding: Holding = {
    productId: product.id,
    productType: product.type,
    amount: toYuan(amountFen),
    openedAt: '',
  };
  if (product.termDays === undefined) {
    holding.openedAt = formatDay(random.integer(context.customerOpenedDay, context.asOfDay));
    return holding;
  }
  const earliest = Math.max(context.customerOpenedDay, context.asOfDay - product.termDays + 1);
  const openedDay = random.integer(earliest, context.asOfDay);
  holding.openedAt = formatDay(openedDay);
  holding.maturityDate = formatDay(openedDay + product.termDays);
  return holding;
}
