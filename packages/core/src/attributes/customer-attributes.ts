// The built-in attributes of the Customer model: what rules, lists and the columnar table can use
// without any plugin. PI classes follow JR/T 0171-2020: identity and contact data, and anything that
// shows a customer's financial situation (balances, holdings, transactions, credit) is C2; account
// opening data, internal ids, classifications and preferences are C1. No built-in is C3.
import type {
  ChannelKind,
  Consent,
  Customer,
  Gender,
  Holding,
  MonthlyAverage,
  Occupation,
  ProductType,
} from '../model/customer.js';
import { fromEpochDay, toEpochDay, wholeYearsBetween } from './calendar.js';
import type { AttributeValueOption, LocalizedText } from './definition.js';
import type { AttributeReadContext, AttributeSource, TypedAttributeSource } from './value.js';

function optionsOf<Value extends string>(
  labels: Readonly<Record<Value, LocalizedText>>,
): AttributeValueOption[] {
  return Object.entries<LocalizedText>(labels).map(([value, label]) => ({ value, label }));
}

const genderLabels: Record<Gender, LocalizedText> = {
  female: { 'zh-CN': '女', en: 'Female' },
  male: { 'zh-CN': '男', en: 'Male' },
  unknown: { 'zh-CN': '未知', en: 'Unknown' },
};

const occupationLabels: Record<Occupation, LocalizedText> = {
  executive: { 'zh-CN': '企业高管', en: 'Executive' },
  business_owner: { 'zh-CN': '私营业主', en: 'Business owner' },
  individual_business: { 'zh-CN': '个体工商户', en: 'Individual business' },
  employee: { 'zh-CN': '企业职员', en: 'Employee' },
  civil_servant: { 'zh-CN': '公职人员', en: 'Civil servant' },
  farmer: { 'zh-CN': '农户', en: 'Farmer' },
  merchant: { 'zh-CN': '商户', en: 'Merchant' },
  retired: { 'zh-CN': '离退休人员', en: 'Retired' },
  student: { 'zh-CN': '学生', en: 'Student' },
  freelancer: { 'zh-CN': '自由职业者', en: 'Freelancer' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

const productTypeLabels: Record<ProductType, LocalizedText> = {
  demand_deposit: { 'zh-CN': '活期存款', en: 'Demand deposit' },
  time_deposit: { 'zh-CN': '定期存款', en: 'Time deposit' },
  structured_deposit: { 'zh-CN': '结构性存款', en: 'Structured deposit' },
  wealth: { 'zh-CN': '理财产品', en: 'Wealth management product' },
  fund: { 'zh-CN': '基金', en: 'Fund' },
  insurance: { 'zh-CN': '保险', en: 'Insurance' },
  precious_metal: { 'zh-CN': '贵金属', en: 'Precious metal' },
  loan: { 'zh-CN': '贷款', en: 'Loan' },
  credit_card: { 'zh-CN': '信用卡', en: 'Credit card' },
};

const channelLabels: Record<ChannelKind, LocalizedText> = {
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wecom: { 'zh-CN': '企业微信', en: 'WeCom' },
  email: { 'zh-CN': '电子邮件', en: 'Email' },
  app_push: { 'zh-CN': '手机银行推送', en: 'Mobile banking push' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  branch: { 'zh-CN': '网点', en: 'Branch' },
};

type RiskProfile = NonNullable<Customer['riskProfile']>;

const riskProfileLabels: Record<RiskProfile, LocalizedText> = {
  C1: { 'zh-CN': '保守型', en: 'Conservative' },
  C2: { 'zh-CN': '谨慎型', en: 'Cautious' },
  C3: { 'zh-CN': '稳健型', en: 'Balanced' },
  C4: { 'zh-CN': '积极型', en: 'Growth' },
  C5: { 'zh-CN': '激进型', en: 'Aggressive' },
};

/** Product types counted as investment holdings (理财类资产). */
const investmentProductTypes: ReadonlySet<ProductType> = new Set([
  'wealth',
  'fund',
  'structured_deposit',
]);

const maturityWindowDays = 30;

/** The calendar date an instant was recorded on, in the offset it was recorded with (bank local time). */
function recordedDate(instant: string | undefined): string | undefined {
  return instant?.slice(0, 10);
}

/** Monthly averages up to the month of asOf, so a table computed for a past date ignores later months. */
function monthlyAveragesUpTo(customer: Customer, context: AttributeReadContext): MonthlyAverage[] {
  const lastMonth = context.asOf.slice(0, 7);
  return customer.assets.monthlyAverages.filter((average) => average.month <= lastMonth);
}

function meanOfLatestMonths(
  customer: Customer,
  context: AttributeReadContext,
  months: number,
): number | null {
  const latest = monthlyAveragesUpTo(customer, context).slice(-months);
  if (latest.length === 0) return null;
  const total = latest.reduce((sum, average) => sum + average.averageDailyBalance, 0);
  return total / latest.length;
}

/** Holdings open on asOf: opened on or before it and not matured before it. */
function holdingsHeldAt(customer: Customer, context: AttributeReadContext): Holding[] {
  return customer.holdings.filter(
    (holding) =>
      holding.openedAt <= context.asOf &&
      (holding.maturityDate === undefined || holding.maturityDate >= context.asOf),
  );
}

function sumOfAmounts(holdings: readonly Holding[]): number {
  return holdings.reduce((sum, holding) => sum + holding.amount, 0);
}

function isGrantedAt(consent: Consent, asOf: string): boolean {
  // An expiry on asOf itself counts as expired: a campaign run that day must not rely on it.
  const expiryDate = recordedDate(consent.expiresAt);
  return consent.granted && (expiryDate === undefined || expiryDate > asOf);
}

/** Channels whose latest marketing consent recorded by asOf is granted and unexpired. */
function marketingChannelsAt(customer: Customer, context: AttributeReadContext): ChannelKind[] {
  const latestByChannel = new Map<ChannelKind, Consent>();
  for (const consent of customer.consents) {
    if (consent.purpose !== 'marketing') continue;
    if ((recordedDate(consent.recordedAt) ?? '') > context.asOf) continue;
    const previous = latestByChannel.get(consent.channel);
    if (
      previous === undefined ||
      Date.parse(consent.recordedAt) >= Date.parse(previous.recordedAt)
    ) {
      latestByChannel.set(consent.channel, consent);
    }
  }
  return [...latestByChannel.values()]
    .filter((consent) => isGrantedAt(consent, context.asOf))
    .map((consent) => consent.channel);
}

function ageAt(customer: Customer, context: AttributeReadContext): number | null {
  const age = wholeYearsBetween(customer.profile.birthDate, context.asOf);
  return age >= 0 ? age : null;
}

function nextMaturityDate(customer: Customer, context: AttributeReadContext): string | null {
  let earliest: string | null = null;
  for (const holding of holdingsHeldAt(customer, context)) {
    const maturity = holding.maturityDate;
    if (maturity !== undefined && (earliest === null || maturity < earliest)) earliest = maturity;
  }
  return earliest;
}

function maturingAmountWithin(
  customer: Customer,
  context: AttributeReadContext,
  days: number,
): number {
  const windowEnd = fromEpochDay(toEpochDay(context.asOf) + days);
  const maturing = holdingsHeldAt(customer, context).filter(
    (holding) => holding.maturityDate !== undefined && holding.maturityDate <= windowEnd,
  );
  return sumOfAmounts(maturing);
}

function productTypesHeld(customer: Customer, context: AttributeReadContext): ProductType[] {
  return [...new Set(holdingsHeldAt(customer, context).map((holding) => holding.productType))];
}

const identityAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'customer.id',
    type: 'string',
    label: { 'zh-CN': '客户号', en: 'Customer ID' },
    piClass: 'C1',
    read: (customer) => customer.id,
  },
  {
    id: 'profile.name',
    type: 'string',
    label: { 'zh-CN': '客户姓名', en: 'Name' },
    piClass: 'C2',
    read: (customer) => customer.profile.name,
  },
  {
    id: 'profile.phone',
    type: 'string',
    label: { 'zh-CN': '手机号码', en: 'Mobile number' },
    description: {
      'zh-CN': '展示时须脱敏，如 138****1234',
      en: 'Mask on screen, e.g. 138****1234',
    },
    piClass: 'C2',
    read: (customer) => customer.profile.phone,
  },
  {
    id: 'profile.idNumber',
    type: 'string',
    label: { 'zh-CN': '证件号码', en: 'ID number' },
    description: { 'zh-CN': '展示时须脱敏', en: 'Mask on screen unless the user may unmask it' },
    piClass: 'C2',
    read: (customer) => customer.profile.idNumber,
  },
];

const profileAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'profile.gender',
    type: 'enum',
    label: { 'zh-CN': '性别', en: 'Gender' },
    piClass: 'C1',
    values: optionsOf(genderLabels),
    read: (customer) => customer.profile.gender,
  },
  {
    id: 'profile.age',
    type: 'number',
    storage: 'uint8',
    label: { 'zh-CN': '年龄', en: 'Age' },
    description: { 'zh-CN': '按出生日期计算的周岁', en: 'Whole years from the birth date' },
    piClass: 'C1',
    read: ageAt,
  },
  {
    id: 'profile.occupation',
    type: 'enum',
    label: { 'zh-CN': '职业', en: 'Occupation' },
    piClass: 'C1',
    values: optionsOf(occupationLabels),
    read: (customer) => customer.profile.occupation,
  },
  {
    id: 'profile.city',
    type: 'string',
    label: { 'zh-CN': '所在城市', en: 'City' },
    piClass: 'C1',
    read: (customer) => customer.profile.city,
  },
  {
    id: 'profile.rural',
    type: 'boolean',
    label: { 'zh-CN': '农村客户', en: 'Rural customer' },
    piClass: 'C1',
    read: (customer) => customer.profile.rural,
  },
];

const relationshipAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'branchId',
    type: 'string',
    label: { 'zh-CN': '归属网点', en: 'Branch' },
    piClass: 'C1',
    read: (customer) => customer.branchId,
  },
  {
    id: 'relationshipManagerId',
    type: 'string',
    label: { 'zh-CN': '管户客户经理', en: 'Relationship manager' },
    piClass: 'C1',
    read: (customer) => customer.relationshipManagerId,
  },
  {
    id: 'openedAt',
    type: 'date',
    label: { 'zh-CN': '开户日期', en: 'Account opening date' },
    piClass: 'C1',
    read: (customer) => customer.openedAt,
  },
];

const assetAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'assets.currentAum',
    type: 'money',
    label: { 'zh-CN': '当前在我行资产', en: 'Current AUM' },
    piClass: 'C2',
    read: (customer) => customer.assets.currentAum,
  },
  {
    id: 'assets.averageDailyAum3m',
    type: 'money',
    label: { 'zh-CN': '日均资产(近3月)', en: 'Average daily AUM (last 3 months)' },
    description: {
      'zh-CN': '最近3个月月日均资产的平均值',
      en: 'Mean of the latest three monthly averages',
    },
    piClass: 'C2',
    read: (customer, context) => meanOfLatestMonths(customer, context, 3),
  },
  {
    id: 'assets.averageDailyAum12m',
    type: 'money',
    label: { 'zh-CN': '日均资产(近12月)', en: 'Average daily AUM (last 12 months)' },
    description: {
      'zh-CN': '最近12个月月日均资产的平均值',
      en: 'Mean of the latest twelve monthly averages',
    },
    piClass: 'C2',
    read: (customer, context) => meanOfLatestMonths(customer, context, 12),
  },
  {
    id: 'assets.latestMonthAverage',
    type: 'money',
    label: { 'zh-CN': '最近一月日均资产', en: 'Latest monthly average daily AUM' },
    piClass: 'C2',
    read: (customer, context) => monthlyAveragesUpTo(customer, context).at(-1)?.averageDailyBalance,
  },
];

const holdingAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'holdings.productTypes',
    type: 'set',
    label: { 'zh-CN': '持有产品类型', en: 'Product types held' },
    piClass: 'C2',
    values: optionsOf(productTypeLabels),
    read: productTypesHeld,
  },
  {
    id: 'holdings.count',
    type: 'number',
    storage: 'uint16',
    label: { 'zh-CN': '持有产品数', en: 'Number of holdings' },
    piClass: 'C2',
    read: (customer, context) => holdingsHeldAt(customer, context).length,
  },
  {
    id: 'holdings.wealthAmount',
    type: 'money',
    label: { 'zh-CN': '理财类资产', en: 'Investment holdings' },
    description: {
      'zh-CN': '理财产品、基金与结构性存款合计',
      en: 'Wealth products, funds and structured deposits',
    },
    piClass: 'C2',
    read: (customer, context) =>
      sumOfAmounts(
        holdingsHeldAt(customer, context).filter((holding) =>
          investmentProductTypes.has(holding.productType),
        ),
      ),
  },
  {
    id: 'holdings.nextMaturityDate',
    type: 'date',
    label: { 'zh-CN': '最近到期日', en: 'Next maturity date' },
    piClass: 'C2',
    read: nextMaturityDate,
  },
  {
    id: 'holdings.maturingAmount30d',
    type: 'money',
    label: { 'zh-CN': '30天内到期金额', en: 'Amount maturing within 30 days' },
    piClass: 'C2',
    read: (customer, context) => maturingAmountWithin(customer, context, maturityWindowDays),
  },
];

const behaviourAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'behaviour.lastTransactionDate',
    type: 'date',
    label: { 'zh-CN': '最近交易日期', en: 'Last transaction date' },
    piClass: 'C2',
    read: (customer) => recordedDate(customer.behaviour.lastTransactionAt),
  },
  {
    id: 'behaviour.lastLoginDate',
    type: 'date',
    label: { 'zh-CN': '最近登录日期', en: 'Last login date' },
    piClass: 'C1',
    read: (customer) => recordedDate(customer.behaviour.lastLoginAt),
  },
  {
    id: 'behaviour.mobileBankingActive',
    type: 'boolean',
    label: { 'zh-CN': '手机银行活跃', en: 'Active on mobile banking' },
    piClass: 'C1',
    read: (customer) => customer.behaviour.mobileBankingActive,
  },
  {
    id: 'behaviour.monthlyTransactions',
    type: 'number',
    storage: 'float32',
    label: { 'zh-CN': '月均交易笔数(近3月)', en: 'Transactions per month (last 3 months)' },
    piClass: 'C2',
    read: (customer) => customer.behaviour.monthlyTransactions,
  },
  {
    id: 'behaviour.payrollEmployerId',
    type: 'string',
    label: { 'zh-CN': '代发单位', en: 'Payroll employer' },
    piClass: 'C2',
    read: (customer) => customer.behaviour.payroll?.employerId,
  },
  {
    id: 'behaviour.payrollMonthlyAmount',
    type: 'money',
    label: { 'zh-CN': '月代发金额', en: 'Monthly payroll amount' },
    piClass: 'C2',
    read: (customer) => customer.behaviour.payroll?.monthlyAmount,
  },
  {
    id: 'behaviour.monthlySettlement',
    type: 'money',
    label: { 'zh-CN': '月结算流水', en: 'Monthly settlement volume' },
    piClass: 'C2',
    read: (customer) => customer.behaviour.monthlySettlement,
  },
  {
    id: 'behaviour.posMerchant',
    type: 'boolean',
    label: { 'zh-CN': 'POS商户', en: 'POS merchant' },
    piClass: 'C1',
    read: (customer) => customer.behaviour.posMerchant,
  },
  {
    id: 'behaviour.hasBusinessAccount',
    type: 'boolean',
    label: { 'zh-CN': '持有经营性账户', en: 'Has a business account' },
    piClass: 'C1',
    read: (customer) => customer.behaviour.hasBusinessAccount,
  },
  {
    id: 'behaviour.seasonalCredit',
    type: 'boolean',
    label: { 'zh-CN': '季节性信贷需求', en: 'Seasonal credit need' },
    piClass: 'C2',
    read: (customer) => customer.behaviour.seasonalCredit,
  },
];

const contactAttributes: TypedAttributeSource<Customer>[] = [
  {
    id: 'consent.marketingChannels',
    type: 'set',
    label: { 'zh-CN': '营销授权渠道', en: 'Channels with marketing consent' },
    description: {
      'zh-CN': '截至统计日已授权且未过期的营销渠道；勿扰标识另行判断',
      en: 'Channels with a granted, unexpired marketing consent on the as-of date; do-not-contact is separate',
    },
    piClass: 'C1',
    values: optionsOf(channelLabels),
    read: marketingChannelsAt,
  },
  {
    id: 'doNotContact',
    type: 'boolean',
    label: { 'zh-CN': '勿扰客户', en: 'Do not contact' },
    piClass: 'C1',
    read: (customer) => customer.doNotContact,
  },
  {
    id: 'riskProfile',
    type: 'enum',
    label: { 'zh-CN': '风险承受能力评级', en: 'Risk profile' },
    piClass: 'C1',
    values: optionsOf(riskProfileLabels),
    read: (customer) => customer.riskProfile,
  },
  {
    id: 'tags',
    type: 'set',
    open: true,
    label: { 'zh-CN': '客户标签', en: 'Tags' },
    piClass: 'C1',
    read: (customer) => customer.tags,
  },
];

/** Every built-in attribute of the Customer model, grouped as the model is. */
export const customerAttributes: readonly AttributeSource<Customer>[] = [
  ...identityAttributes,
  ...profileAttributes,
  ...relationshipAttributes,
  ...assetAttributes,
  ...holdingAttributes,
  ...behaviourAttributes,
  ...contactAttributes,
];
