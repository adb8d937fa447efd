// How a customer is stored in a SQL store's `document` column (schema version 5 on): JSON, so that
// SQL can still read `$.profile.phone` and the like, but the three lists that make up most of a
// customer — monthly average balances, consents and holdings — are kept as rows of values rather
// than objects that repeat every key. That takes a third off the document (~2.2 KB → ~1.4 KB of
// UTF-8 for a synthetic customer), and with it off what a bulk import writes per customer and what
// PostgreSQL parses into jsonb.
import type { Consent, Customer, Holding, MonthlyAverage } from '../model/customer.js';

/** `[month, averageDailyBalance]` */
type StoredMonthlyAverage = [string, number];
/** `[channel, purpose, granted, recordedAt, expiresAt?]` */
type StoredConsent = [Consent['channel'], Consent['purpose'], boolean, string] | [Consent['channel'], Consent['purpose'], boolean, string, string];
/** `[productId, productType, amount, openedAt, maturityDate?]` */
type StoredHolding = [string, Holding['productType'], number, string] | [string, Holding['productType'], number, string, string];

/** A customer row of a SQL store: the columns queries use, and the document. */
export interface StoredCustomerRow {
  id: string;
  branchId: string;
  managerId: string | null;
  /**
   * The document's JSON text, as a string or as its UTF-8 bytes. A bulk importer that packs rows
   * on another thread hands over the bytes: SQLite binds them as they are and stores them as text,
   * which spares the writing thread decoding them to a string and the driver encoding them back.
   */
  document: string | Uint8Array;
}

const utf8 = new TextDecoder();

/** The document text of a stored row, whichever way it came. */
export function storedDocumentText(document: string | Uint8Array): string {
  return typeof document === 'string' ? document : utf8.decode(document);
}

function storedMonth(average: MonthlyAverage): StoredMonthlyAverage {
  return [average.month, average.averageDailyBalance];
}

function storedConsent(consent: Consent): StoredConsent {
  const row: StoredConsent = [consent.channel, consent.purpose, consent.granted, consent.recordedAt];
  if (consent.expiresAt !== undefined) row.push(consent.expiresAt);
  return row;
}

function storedHolding(holding: Holding): StoredHolding {
  const row: StoredHolding = [holding.productId, holding.productType, holding.amount, holding.openedAt];
  if (holding.maturityDate !== undefined) row.push(holding.maturityDate);
  return row;
}

/** The document text of a customer. */
export function encodeCustomerDocument(customer: Customer): string {
  return JSON.stringify({
    ...customer,
    assets: { ...customer.assets, monthlyAverages: customer.assets.monthlyAverages.map(storedMonth) },
    holdings: customer.holdings.map(storedHolding),
    consents: customer.consents.map(storedConsent),
  });
}

/** The row a customer is written as; importers build these off the writing thread. */
export function storedCustomerRow(customer: Customer): StoredCustomerRow {
  return { id: customer.id, branchId: customer.branchId, managerId: customer.relationshipManagerId, document: encodeCustomerDocument(customer) };
}

// Decoding accepts an object in any list as it is: documents written before version 5 had them.
function monthOf(stored: unknown): MonthlyAverage {
  if (!Array.isArray(stored)) return stored as MonthlyAverage;
  return { month: stored[0] as string, averageDailyBalance: stored[1] as number };
}

function consentOf(stored: unknown): Consent {
  if (!Array.isArray(stored)) return stored as Consent;
  const consent: Consent = { channel: stored[0] as Consent['channel'], purpose: stored[1] as Consent['purpose'], granted: stored[2] as boolean, recordedAt: stored[3] as string };
  if (stored.length > 4) consent.expiresAt = stored[4] as string;
  return consent;
}

function holdingOf(stored: unknown): Holding {
  if (!Array.isArray(stored)) return stored as Holding;
  const holding: Holding = { productId: stored[0] as string, productType: stored[1] as Holding['productType'], amount: stored[2] as number, openedAt: stored[3] as string };
  if (stored.length > 4) holding.maturityDate = stored[4] as string;
  return holding;
}

/** A customer from its document: text (SQLite) or parsed (PostgreSQL's jsonb). */
export function decodeCustomerDocument(document: unknown): Customer {
  const stored = (typeof document === 'string' ? JSON.parse(document) : document) as Customer;
  stored.assets.monthlyAverages = (stored.assets.monthlyAverages as unknown[]).map(monthOf);
  stored.holdings = (stored.holdings as unknown[]).map(holdingOf);
  stored.consents = (stored.consents as unknown[]).map(consentOf);
  return stored;
}
