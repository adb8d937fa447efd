// Hand-built customers for featured-group tests. The baseline customer — a 45-year-old male
// employee with no payroll, settlement, business account or risk-averse profile — is in no group
// by default, so each test changes exactly the signal it is about.
import { customerSchema, type Customer, type CustomerInput } from '@kequn/core';

export const asOf = '2026-10-31';

type Profile = CustomerInput['profile'];
type Behaviour = CustomerInput['behaviour'];

export interface CustomerChanges {
  profile?: Partial<Profile>;
  behaviour?: Partial<Behaviour>;
  holdings?: CustomerInput['holdings'];
  riskProfile?: CustomerInput['riskProfile'];
}

/** The ISO date `years` years and `days` days before `date` (a positive `days` makes the person younger). */
export function bornYearsBefore(date: string, years: number, days = 0): string {
  const [year, month, day] = date.split('-').map(Number);
  const birth = new Date(Date.UTC((year ?? 2026) - years, (month ?? 1) - 1, (day ?? 1) + days));
  return birth.toISOString().slice(0, 10);
}

export function buildCustomer(id: string, changes: CustomerChanges = {}): Customer {
  return customerSchema.parse({
    id,
    branchId: 'BR001',
    openedAt: '2015-03-02',
    profile: {
      name: '测试客户',
      gender: 'male',
      birthDate: bornYearsBefore(asOf, 45),
      phone: '13800001234',
      idNumber: '330102198001010011',
      occupation: 'employee',
      ...changes.profile,
    },
    assets: { currentAum: 80_000, monthlyAverages: [] },
    holdings: changes.holdings ?? [],
    behaviour: {
      mobileBankingActive: true,
      monthlyTransactions: 12,
      ...changes.behaviour,
    },
    riskProfile: 'riskProfile' in changes ? changes.riskProfile : 'C3',
  });
}
