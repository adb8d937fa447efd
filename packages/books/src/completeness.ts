// Profile completeness (建档率, DOMAIN.md §4). A customer file is full when all five sections are
// filled; what "filled" means on the customer model is defined here and in docs/managed-books.md.
import type { Customer } from '@kequn/core';
import { entryOf } from './grouping.js';
import type { BooksSettings } from './settings.js';

export const profileSectionIds = ['basicInfo', 'family', 'assetStructure', 'transactionHistory', 'contactHistory'] as const;
export type ProfileSection = (typeof profileSectionIds)[number];

type CompletenessSettings = BooksSettings['completeness'];

export interface ProfileCompleteness {
  customerId: string;
  sections: Record<ProfileSection, boolean>;
  /** Share of the five sections filled, 0–1. */
  ratio: number;
  full: boolean;
}

/**
 * - basicInfo: gender, occupation (not `other`) and city are known — name, phone, ID number and
 *   birth date are required by the model, so they are always there;
 * - family: the household (`profile.family`: marital status, children, dependants) is recorded;
 * - assetStructure: a risk profile (风险测评) and at least one holding;
 * - transactionHistory: `historyMonths` monthly average balances and a last transaction date;
 * - contactHistory: at least one recorded contact.
 */
export function profileCompleteness(customer: Customer, lastContactAt: string | undefined, settings: CompletenessSettings): ProfileCompleteness {
  const profile = customer.profile;
  const sections: Record<ProfileSection, boolean> = {
    basicInfo: profile.gender !== 'unknown' && profile.occupation !== 'other' && (profile.city ?? '') !== '',
    family: customer.profile.family !== undefined,
    assetStructure: customer.riskProfile !== undefined && customer.holdings.length > 0,
    transactionHistory: customer.assets.monthlyAverages.length >= settings.historyMonths && customer.behaviour.lastTransactionAt !== undefined,
    contactHistory: lastContactAt !== undefined,
  };
  const filled = profileSectionIds.filter((id) => sections[id]).length;
  return { customerId: customer.id, sections, ratio: filled / profileSectionIds.length, full: filled === profileSectionIds.length };
}

export type CompletenessBand = 'high_end' | 'mid';

/** Which completeness target applies to a basis, if any (customers below the mid floor have none). */
export function completenessBand(basis: number, settings: CompletenessSettings): CompletenessBand | undefined {
  if (basis >= settings.highEndFloor) return 'high_end';
  if (basis >= settings.midFloor) return 'mid';
  return undefined;
}

export interface BandFigures {
  customers: number;
  fullFiles: number;
  /** Share of customers with a full file; null with no customers. */
  rate: number | null;
  target: number;
  meetsTarget: boolean;
}

export interface CompletenessFigures {
  high_end: BandFigures;
  mid: BandFigures;
}

export interface CompletenessReport {
  bank: CompletenessFigures;
  /** Share of customers with a target (both bands) whose section is filled: shows what holds files back. */
  sectionRates: Record<ProfileSection, number | null>;
  byBranch: Map<string, CompletenessFigures>;
  byManager: Map<string, CompletenessFigures>;
}

interface Tally {
  high_end: { customers: number; fullFiles: number };
  mid: { customers: number; fullFiles: number };
}

function emptyTally(): Tally {
  return { high_end: { customers: 0, fullFiles: 0 }, mid: { customers: 0, fullFiles: 0 } };
}

function figures(tally: Tally, settings: CompletenessSettings): CompletenessFigures {
  const band = (counts: { customers: number; fullFiles: number }, target: number): BandFigures => {
    const rate = counts.customers === 0 ? null : counts.fullFiles / counts.customers;
    return { ...counts, rate, target, meetsTarget: rate === null || rate >= target };
  };
  return { high_end: band(tally.high_end, settings.highEndTarget), mid: band(tally.mid, settings.midTarget) };
}

/** Accumulates files one customer at a time, so a whole bank streams through in constant memory per group. */
export class CompletenessTally {
  readonly #bank = emptyTally();
  readonly #branches = new Map<string, Tally>();
  readonly #managers = new Map<string, Tally>();
  readonly #sections: Record<ProfileSection, number> = { basicInfo: 0, family: 0, assetStructure: 0, transactionHistory: 0, contactHistory: 0 };
  #banded = 0;

  constructor(private readonly settings: CompletenessSettings) {}

  add(file: ProfileCompleteness, basis: number, branchId: string, managerId: string | null): void {
    const band = completenessBand(basis, this.settings);
    if (band === undefined) return;
    this.#banded += 1;
    for (const section of profileSectionIds) if (file.sections[section]) this.#sections[section] += 1;
    const tallies = [this.#bank, entryOf(this.#branches, branchId, emptyTally)];
    if (managerId !== null) tallies.push(entryOf(this.#managers, managerId, emptyTally));
    for (const tally of tallies) {
      tally[band].customers += 1;
      if (file.full) tally[band].fullFiles += 1;
    }
  }

  report(): CompletenessReport {
    const convert = (map: Map<string, Tally>) => new Map([...map].map(([id, tally]) => [id, figures(tally, this.settings)]));
    const rate = (section: ProfileSection) => (this.#banded === 0 ? null : this.#sections[section] / this.#banded);
    const sectionRates = Object.fromEntries(profileSectionIds.map((section) => [section, rate(section)])) as Record<ProfileSection, number | null>;
    return { bank: figures(this.#bank, this.settings), sectionRates, byBranch: convert(this.#branches), byManager: convert(this.#managers) };
  }
}
