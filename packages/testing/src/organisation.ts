// The bank's own people and places: branches around Hangzhou (city and county), their managers,
// and the companies that pay salaries through the bank (代发单位).
import type { Branch, Manager, ManagerRole } from '@kequn/core';
import { z } from 'zod';
import { drawChineseName } from './people.js';
import { createRandom, type Random } from './random.js';

/** A company or institution with a payroll agreement (代发协议) with the bank. */
export const employerSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  city: z.string().min(1),
  sector: z.enum(['enterprise', 'public_institution']),
  /** Day of the month on which salaries are credited. */
  payday: z.number().int().min(1).max(28),
});
export type Employer = z.infer<typeof employerSchema>;

/** What the generator knows about a branch beyond the public model. */
export interface BranchSite {
  branch: Branch;
  /** Leading six digits of identity numbers issued where the branch is. */
  regionCode: string;
  /** Share of the branch's customers who live in the countryside. */
  ruralShare: number;
}

const URBAN_RURAL_SHARE = 0.06;
const COUNTY_RURAL_SHARE = 0.6;

const knownSites: readonly (readonly [
  name: string,
  city: string,
  regionCode: string,
  county: boolean,
])[] = [
  ['杭州分行营业部', '杭州', '330102', false],
  ['西湖支行', '杭州', '330106', false],
  ['滨江支行', '杭州', '330108', false],
  ['萧山支行', '杭州', '330109', false],
  ['余杭支行', '杭州', '330110', false],
  ['桐庐县支行', '杭州', '330122', true],
  ['拱墅支行', '杭州', '330105', false],
  ['淳安县支行', '杭州', '330127', true],
  ['富阳支行', '杭州', '330111', false],
  ['建德支行', '杭州', '330182', true],
  ['临安支行', '杭州', '330112', true],
  ['上城支行', '杭州', '330102', false],
];

export function createBranchSites(count: number): BranchSite[] {
  const sites: BranchSite[] = [];
  for (let position = 0; position < count; position++) {
    const id = `BR${String(position + 1).padStart(3, '0')}`;
    const known = knownSites[position];
    if (known) {
      const [name, city, regionCode, county] = known;
      sites.push({
        branch: { id, name, city },
        regionCode,
        ruralShare: county ? COUNTY_RURAL_SHARE : URBAN_RURAL_SHARE,
      });
      continue;
    }
    // Beyond the named branches, numbered community sub-branches (社区支行) in the city.
    sites.push({
      branch: { id, name: `杭州第${position + 1}社区支行`, city: '杭州' },
      regionCode: '330102',
      ruralShare: URBAN_RURAL_SHARE,
    });
  }
  return sites;
}

/** Stream keys that keep the organisation's draws apart from every customer's. */
export const ORGANISATION_STREAM = 0x0b4a_0c1e;
const MANAGER_STREAM = 1;
const EMPLOYER_STREAM = 2;

/** How many customers each role can serve well (管户能力), as banks staff them. */
const capacityRanges: Record<ManagerRole, readonly [number, number]> = {
  counter_wealth_manager: [300, 800],
  vip_wealth_manager: [150, 300],
  customer_manager: [200, 500],
  // The branch head and the operations manager allocate and approve; they keep no book of their own.
  operations_manager: [0, 0],
  branch_head: [0, 0],
};

/** Splits a branch's staff: one head, one operations manager, the rest serving customers. */
export function rolesOfBranch(managersPerBranch: number): ManagerRole[] {
  const servingStaff = managersPerBranch - 2;
  const vipCount = Math.max(1, Math.round(servingStaff * 0.25));
  const customerManagerCount = Math.max(1, Math.round(servingStaff * 0.25));
  const counterCount = servingStaff - vipCount - customerManagerCount;
  return [
    'branch_head',
    'operations_manager',
    ...Array.from({ length: counterCount }, (): ManagerRole => 'counter_wealth_manager'),
    ...Array.from({ length: vipCount }, (): ManagerRole => 'vip_wealth_manager'),
    ...Array.from({ length: customerManagerCount }, (): ManagerRole => 'customer_manager'),
  ];
}

export function createManagers(
  seed: number,
  branches: readonly Branch[],
  managersPerBranch: number,
): Manager[] {
  const random = createRandom(seed, ORGANISATION_STREAM, MANAGER_STREAM);
  const roles = rolesOfBranch(managersPerBranch);
  return branches.flatMap((branch) =>
    roles.map((role, position) => drawManager(random, branch, role, position)),
  );
}

function drawManager(random: Random, branch: Branch, role: ManagerRole, position: number): Manager {
  const [lowest, highest] = capacityRanges[role];
  const birthYear = random.integer(1970, 2000);
  return {
    id: `${branch.id}-M${String(position + 1).padStart(2, '0')}`,
    name: drawChineseName(random, random.chance(0.6) ? 'female' : 'male', birthYear),
    role,
    branchId: branch.id,
    capacity: roundToTen(random.integer(lowest, highest)),
  };
}

function roundToTen(value: number): number {
  return Math.round(value / 10) * 10;
}

// prettier-ignore
const brandWords = [
  '恒达', '华泰', '新元', '瑞丰', '中晟', '宏远', '金鼎', '嘉和', '天成', '博源', '鑫盛', '永安',
  '汇通', '明远', '海川', '正泰', '兴业', '安达', '联创', '德润', '信诚', '万象', '东升', '景和',
] as const;
// prettier-ignore
const industries = [
  '机械制造', '电子科技', '纺织', '食品', '物流', '建设工程', '医药', '网络科技', '服装', '化工',
  '汽车零部件', '家居', '教育科技', '餐饮管理', '生物科技', '新材料',
] as const;
const companySuffixes = ['有限公司', '股份有限公司', '集团有限公司'] as const;
// prettier-ignore
const publicInstitutions = [
  '杭州市第一人民医院', '西湖区教育局', '杭州市中医院', '萧山区人民政府', '杭州第二中学',
  '浙江省电力公司杭州供电分公司', '杭州市公安局', '余杭区卫生健康局', '杭州师范大学', '桐庐县人民医院',
] as const;
const paydays = [5, 10, 10, 15, 15, 20, 25] as const;

/** Enough employers that payroll groups have many companies, a few of them public bodies. */
export function employerCountFor(branchCount: number): number {
  return Math.max(24, branchCount * 8);
}

export function createEmployers(seed: number, count: number): Employer[] {
  const random = createRandom(seed, ORGANISATION_STREAM, EMPLOYER_STREAM);
  const publicCount = Math.min(publicInstitutions.length, Math.ceil(count / 8));
  const employers: Employer[] = [];
  for (let position = 0; position < count; position++) {
    const id = `EMP${String(position + 1).padStart(4, '0')}`;
    const payday = random.pick(paydays);
    if (position < publicCount) {
      const name = publicInstitutions[position] ?? `杭州市公共事业单位${position + 1}`;
      employers.push({ id, name, city: '杭州', sector: 'public_institution', payday });
      continue;
    }
    employers.push({
      id,
      name: companyName(random, position - publicCount),
      city: '杭州',
      sector: 'enterprise',
      payday,
    });
  }
  return employers;
}

/**
 * Walks brand × industry so that names do not repeat: each lap over the brands shifts the
 * industry by 25 (mod 16), and since 25 and 16 are coprime every pair comes up before any repeats.
 */
function companyName(random: Random, position: number): string {
  const brand = brandWords[position % brandWords.length] ?? brandWords[0];
  const lap = Math.floor(position / brandWords.length);
  const industry = industries[(position + lap) % industries.length] ?? industries[0];
  const lapSuffix = lap >= industries.length ? String(Math.floor(lap / industries.length) + 1) : '';
  return `杭州${brand}${lapSuffix}${industry}${random.pick(companySuffixes)}`;
}
