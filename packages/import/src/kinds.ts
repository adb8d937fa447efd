// What can be imported: for each kind, the model fields a mapping may target, how their cells are
// read, and the zod schema every row must pass.
import {
  branchSchema,
  customerEventSchema,
  customerSchema,
  holdingSchema,
  managerSchema,
} from '@kequn/core';
import { z } from 'zod';
import type { FieldType } from './values.js';

export const importKindSchema = z.enum(['customers', 'holdings', 'events', 'managers', 'branches']);
export type ImportKind = z.infer<typeof importKindSchema>;

export const customerFields: Readonly<Record<string, FieldType>> = {
  id: 'string',
  branchId: 'string',
  openedAt: 'date',
  'profile.name': 'string',
  'profile.gender': 'string',
  'profile.birthDate': 'date',
  'profile.phone': 'string',
  'profile.idNumber': 'string',
  'profile.email': 'string',
  'profile.occupation': 'string',
  'profile.employerId': 'string',
  'profile.city': 'string',
  'profile.rural': 'boolean',
  'profile.family.maritalStatus': 'string',
  'profile.family.children': 'number',
  'profile.family.dependants': 'number',
  'profile.family.recordedAt': 'date',
  'assets.currentAum': 'amount',
  'assets.monthlyAverages': 'monthlyAverages',
  holdings: 'json',
  'behaviour.lastTransactionAt': 'datetime',
  'behaviour.lastLoginAt': 'datetime',
  'behaviour.mobileBankingActive': 'boolean',
  'behaviour.monthlyTransactions': 'number',
  'behaviour.payroll.employerId': 'string',
  'behaviour.payroll.monthlyAmount': 'amount',
  'behaviour.monthlySettlement': 'amount',
  'behaviour.posMerchant': 'boolean',
  'behaviour.hasBusinessAccount': 'boolean',
  'behaviour.seasonalCredit': 'boolean',
  relationshipManagerId: 'string',
  consents: 'consents',
  doNotContact: 'boolean',
  riskProfile: 'string',
  tags: 'list',
};

/** A holding row names its customer; the rest is core's `Holding`. */
export const holdingRowSchema = holdingSchema.extend({ customerId: z.string().min(1) });
export type HoldingRow = z.infer<typeof holdingRowSchema>;

export const holdingFields: Readonly<Record<string, FieldType>> = {
  customerId: 'string',
  productId: 'string',
  productType: 'string',
  amount: 'amount',
  openedAt: 'date',
  maturityDate: 'date',
};

export const eventFields: Readonly<Record<string, FieldType>> = {
  id: 'string',
  customerId: 'string',
  occurredAt: 'datetime',
  type: 'string',
  amount: 'amount',
  direction: 'string',
  channel: 'string',
  category: 'string',
  managerId: 'string',
  outcome: 'string',
  productId: 'string',
};

export const managerFields: Readonly<Record<string, FieldType>> = {
  id: 'string',
  name: 'string',
  role: 'string',
  branchId: 'string',
  capacity: 'integer',
};

export const branchFields: Readonly<Record<string, FieldType>> = {
  id: 'string',
  name: 'string',
  city: 'string',
  parentId: 'string',
};

export interface KindDefinition {
  fields: Readonly<Record<string, FieldType>>;
  schema: z.ZodType;
  /** The field that identifies a row, for duplicate detection within one file. */
  identity: (record: Record<string, unknown>) => string;
  /** The field named in a duplicate's reject line. */
  identityField: string;
  /** Words for messages: "customer", "event"… */
  noun: string;
}

const idOf = (record: Record<string, unknown>): string => String(record['id']);

export const importKinds: Readonly<Record<ImportKind, KindDefinition>> = {
  customers: {
    fields: customerFields,
    schema: customerSchema,
    identity: idOf,
    identityField: 'id',
    noun: 'customer',
  },
  holdings: {
    fields: holdingFields,
    schema: holdingRowSchema,
    identity: (record) =>
      `${String(record['customerId'])}/${String(record['productId'])}/${String(record['openedAt'])}`,
    identityField: 'productId',
    noun: 'holding',
  },
  events: {
    fields: eventFields,
    schema: customerEventSchema,
    identity: idOf,
    identityField: 'id',
    noun: 'event',
  },
  managers: {
    fields: managerFields,
    schema: managerSchema,
    identity: idOf,
    identityField: 'id',
    noun: 'manager',
  },
  branches: {
    fields: branchFields,
    schema: branchSchema,
    identity: idOf,
    identityField: 'id',
    noun: 'branch',
  },
};
