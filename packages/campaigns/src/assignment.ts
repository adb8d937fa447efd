// Holdouts and A/B/n variants. Assignment is a pure function of (seed, campaign, customer) and, for
// a batch, of the batch's members in each stratum: the same enrolment always lands in the same
// cohort and variant, so a restart recomputes exactly what the crashed run would have stored.
import type { Experiment } from './model.js';
import type { Cohort } from './store/campaign-store.js';

/** A uniform number in [0, 1) from a string: FNV-1a 32-bit followed by a murmur3 finaliser. */
export function uniformHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

export interface Assignment {
  customerId: string;
  cohort: Cohort;
  variant: string;
  stratum: string;
}

export interface AssignOptions {
  campaignId: string;
  experiment: Experiment;
  /** Share of all customers the bank keeps out of every campaign (global holdout), 0 for none. */
  globalHoldout: number;
  /** The bank-wide seed of the global holdout: the same customers stay out of every campaign. */
  globalSeed: string;
}

/** True when the customer belongs to the bank's global holdout. */
export function inGlobalHoldout(customerId: string, share: number, seed: string): boolean {
  return share > 0 && uniformHash(`global|${seed}|${customerId}`) < share;
}

/**
 * The cohort and variant for a position `u` in [0, 1): the first `holdout` share of the line is the
 * control group; the rest is cut into variants by weight.
 */
export function cohortAt(u: number, experiment: Experiment): { cohort: Cohort; variant: string } {
  if (u < experiment.holdout) return { cohort: 'holdout', variant: 'control' };
  const total = experiment.variants.reduce((sum, variant) => sum + variant.weight, 0);
  const position = ((u - experiment.holdout) / (1 - experiment.holdout)) * total;
  let reached = 0;
  for (const variant of experiment.variants) {
    reached += variant.weight;
    if (position < reached) return { cohort: 'treatment', variant: variant.id };
  }
  const last = experiment.variants.at(-1);
  return { cohort: 'treatment', variant: last === undefined ? 'a' : last.id };
}

/**
 * Stratified assignment of a batch. Within each stratum customers are ordered by their hash and
 * spread evenly over the line (rank + start) / n, so every stratum splits in the configured
 * proportions to within one customer. Global-holdout customers are set aside first.
 */
export function assignBatch(customers: ReadonlyArray<{ id: string; stratum: string }>, options: AssignOptions): Assignment[] {
  const { experiment, campaignId } = options;
  const byStratum = new Map<string, Array<{ id: string; u: number }>>();
  const assigned = new Map<string, Assignment>();
  for (const customer of customers) {
    if (inGlobalHoldout(customer.id, options.globalHoldout, options.globalSeed)) {
      assigned.set(customer.id, { customerId: customer.id, cohort: 'global_holdout', variant: 'control', stratum: customer.stratum });
      continue;
    }
    const members = byStratum.get(customer.stratum) ?? [];
    members.push({ id: customer.id, u: uniformHash(`${experiment.seed}|${campaignId}|${customer.id}`) });
    byStratum.set(customer.stratum, members);
  }
  for (const [stratum, members] of byStratum) {
    members.sort((a, b) => a.u - b.u || (a.id < b.id ? -1 : 1));
    // The spread starts at a random point of the first slot rather than its middle: with (rank + ½) / n
    // a batch of fewer than 1 / (2 × holdout) customers — event triggers enrol a few at a time — would
    // never hold anyone out. The start folds the members' hashes, so it is uniform, the same for any
    // input order and recomputed exactly after a restart; a batch of one keeps its own hash.
    const start = members.reduce((sum, member) => (sum + member.u) % 1, 0);
    members.forEach((member, rank) => {
      const u = (rank + start) / members.length;
      assigned.set(member.id, { customerId: member.id, stratum, ...cohortAt(u, experiment) });
    });
  }
  return customers.flatMap((customer) => {
    const assignment = assigned.get(customer.id);
    return assignment === undefined ? [] : [assignment];
  });
}
