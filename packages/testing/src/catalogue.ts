// The synthetic bank's product shelf: what a mid-sized Chinese retail bank sells at the counter
// and in its app. Rates are plausible for 2026, not any real bank's.
import type { Product } from '@kequn/core';

function deposit(
  id: string,
  name: string,
  termDays: number,
  minimumAmount: number,
  rate: number,
): Product {
  return {
    id,
    name,
    type: 'time_deposit',
    riskLevel: 'R1',
    termDays,
    minimumAmount,
    expectedAnnualYield: rate,
    principalProtected: true,
  };
}

function wealth(
  id: string,
  name: string,
  riskLevel: Product['riskLevel'],
  termDays: number | undefined,
  rate: number,
): Product {
  const product: Product = {
    id,
    name,
    type: 'wealth',
    riskLevel,
    // Since the 2018 asset-management rules, bank wealth products are sold from 10,000 yuan,
    // except cash-management products, which start at 1 yuan.
    minimumAmount: termDays === undefined ? 1 : 10_000,
    expectedAnnualYield: rate,
    principalProtected: false,
  };
  if (termDays !== undefined) product.termDays = termDays;
  return product;
}

function fund(id: string, name: string, riskLevel: Product['riskLevel'], rate: number): Product {
  return {
    id,
    name,
    type: 'fund',
    riskLevel,
    minimumAmount: 10,
    expectedAnnualYield: rate,
    principalProtected: false,
  };
}

function loan(id: string, name: string, termDays: number, minimumAmount: number): Product {
  return {
    id,
    name,
    type: 'loan',
    riskLevel: 'R1',
    termDays,
    minimumAmount,
    principalProtected: false,
  };
}

export function createProductCatalogue(): Product[] {
  return [
    {
      id: 'DD-SAVINGS',
      name: '活期储蓄',
      type: 'demand_deposit',
      riskLevel: 'R1',
      minimumAmount: 0,
      expectedAnnualYield: 0.001,
      principalProtected: true,
    },
    deposit('TD-3M', '整存整取 3个月', 91, 50, 0.0085),
    deposit('TD-6M', '整存整取 6个月', 182, 50, 0.0105),
    deposit('TD-1Y', '整存整取 1年', 365, 50, 0.0115),
    deposit('TD-2Y', '整存整取 2年', 730, 50, 0.0125),
    deposit('TD-3Y', '整存整取 3年', 1095, 50, 0.0155),
    deposit('TD-5Y', '整存整取 5年', 1825, 50, 0.016),
    deposit('CD-1Y', '大额存单 1年', 365, 200_000, 0.0145),
    deposit('CD-3Y', '大额存单 3年', 1095, 200_000, 0.019),
    {
      id: 'SD-91',
      name: '结构性存款 91天（挂钩黄金）',
      type: 'structured_deposit',
      riskLevel: 'R1',
      termDays: 91,
      minimumAmount: 50_000,
      expectedAnnualYield: 0.022,
      principalProtected: true,
    },
    {
      id: 'SD-182',
      name: '结构性存款 182天（挂钩沪深300）',
      type: 'structured_deposit',
      riskLevel: 'R2',
      termDays: 182,
      minimumAmount: 50_000,
      expectedAnnualYield: 0.025,
      principalProtected: true,
    },
    wealth('WM-CASH', '天天盈 现金管理', 'R1', undefined, 0.0175),
    wealth('WM-R2-90', '稳利宝 90天', 'R2', 90, 0.026),
    wealth('WM-R2-180', '稳利宝 180天', 'R2', 180, 0.028),
    wealth('WM-R2-365', '稳利宝 365天', 'R2', 365, 0.03),
    wealth('WM-R3-365', '汇利增盈 一年定开', 'R3', 365, 0.035),
    wealth('WM-R4-730', '睿选权益增强 两年持有', 'R4', 730, 0.045),
    fund('FD-BOND', '中短债债券基金', 'R2', 0.028),
    fund('FD-MIXED', '稳健平衡混合基金', 'R3', 0.045),
    fund('FD-INDEX', '沪深300指数基金', 'R4', 0.06),
    fund('FD-GROWTH', '科技成长股票基金', 'R5', 0.08),
    {
      id: 'INS-ANNUITY',
      name: '金福年年 年金保险',
      type: 'insurance',
      riskLevel: 'R1',
      termDays: 3650,
      minimumAmount: 10_000,
      expectedAnnualYield: 0.025,
      principalProtected: true,
    },
    {
      id: 'INS-WHOLE-LIFE',
      name: '鑫享终身 增额终身寿险',
      type: 'insurance',
      riskLevel: 'R1',
      minimumAmount: 10_000,
      expectedAnnualYield: 0.025,
      principalProtected: true,
    },
    {
      id: 'PM-GOLD-SAVINGS',
      name: '积存金',
      type: 'precious_metal',
      riskLevel: 'R3',
      minimumAmount: 500,
      principalProtected: false,
    },
    {
      id: 'PM-GOLD-BAR',
      name: '如意金条',
      type: 'precious_metal',
      riskLevel: 'R2',
      minimumAmount: 5_000,
      principalProtected: false,
    },
    loan('LN-MORTGAGE', '个人住房按揭贷款', 10_950, 100_000),
    loan('LN-SALARY', '薪金贷', 1095, 10_000),
    loan('LN-BUSINESS', '个人经营贷', 1095, 50_000),
    loan('LN-AGRI', '惠农贷', 365, 10_000),
  ];
}
