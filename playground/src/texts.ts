// The portal's own words (headings, sign-in, navigation). Everything inside the kq-* elements is
// translated by the elements themselves, following <html lang>.
export type PortalLocale = 'zh-CN' | 'en';

const zh = {
  title: '客群经营演示银行',
  signIn: '登录',
  signOut: '退出',
  role: '角色',
  user: '用户',
  signedInAs: '当前用户',
  locale: '语言',
  theme: '主题',
  themeDefault: '默认',
  themeDark: '深色',
  workbench: '客户经理工作台',
  marketing: '营销管理台',
  lab: '插件实验室',
  myCustomers: '我的客户',
  customerCard: '客户视图',
  contactPlan: '今日联系计划',
  handoffs: '提升移交',
  pyramid: '客户分层',
  tierCustomers: '该层客户',
  segmentBuilder: '客群规则',
  migration: '升降层',
  campaigns: '营销活动',
  funnel: '活动漏斗',
  kpis: '经营指标',
  pickCustomer: '在列表中选择一位客户。',
  pickTier: '点击金字塔中的一层查看其客户。',
  pickCampaign: '在看板中打开一个活动查看其漏斗。',
  notPermitted: '当前角色无权查看：',
  noBook: '当前角色没有自己的管户，联系计划只对客户经理开放。',
  recorderNote: '联系结果暂存于本浏览器标签页（服务端尚无联系记录接口）。',
  signInFirst: '请先选择角色登录。',
  labIntro:
    '编辑一条客群规则（规则构建器或 JSON）或一个小型分群策略（每个分群一条规则），实时查看人数、与现有客群的重叠和入群原因。',
  labRule: '单条规则',
  labStrategy: '分群策略',
  ruleJson: '规则 JSON',
  strategyJson: '策略 JSON（分群 id → 规则）',
  apply: '应用',
  size: '人数',
  overlap: '与现有客群的重叠',
  segment: '客群',
  shared: '共同客户',
  explanation: '入群原因（样本客户）',
  noMembers: '没有客户符合此规则。',
  invalidJson: 'JSON 无法解析：',
  labNeeds: '实验室需要定义客群的权限（总行或分析师）。',
  updating: '更新中…',
  customers: '位客户',
  serverDown: '无法连接 Kequn 服务：',
} as const;

export type TextKey = keyof typeof zh;

const en: Record<TextKey, string> = {
  title: 'Kequn demo bank',
  signIn: 'Sign in',
  signOut: 'Sign out',
  role: 'Role',
  user: 'User',
  signedInAs: 'Signed in as',
  locale: 'Language',
  theme: 'Theme',
  themeDefault: 'Default',
  themeDark: 'Dark',
  workbench: "Relationship manager's workbench",
  marketing: 'Marketing console',
  lab: 'Plugin lab',
  myCustomers: 'My customers',
  customerCard: 'Customer 360',
  contactPlan: "Today's contact plan",
  handoffs: 'Upgrade hand-offs',
  pyramid: 'Customer tiers',
  tierCustomers: 'Customers of the tier',
  segmentBuilder: 'Segment rule',
  migration: 'Tier migration',
  campaigns: 'Campaigns',
  funnel: 'Campaign funnel',
  kpis: 'KPIs',
  pickCustomer: 'Choose a customer in the list.',
  pickTier: 'Click a tier of the pyramid to see its customers.',
  pickCampaign: 'Open a campaign on the board to see its funnel.',
  notPermitted: 'Your role may not see: ',
  noBook: 'This role has no book of its own; the contact plan is for relationship managers.',
  recorderNote:
    'Outcomes are kept in this browser tab (the API has no contact-recording route yet).',
  signInFirst: 'Choose a role and sign in first.',
  labIntro:
    'Edit a segment rule (builder or JSON) or a small segment strategy (one rule per segment) and watch sizes, the overlap with existing groups and the explanations update live.',
  labRule: 'One rule',
  labStrategy: 'Segment strategy',
  ruleJson: 'Rule JSON',
  strategyJson: 'Strategy JSON (segment id → rule)',
  apply: 'Apply',
  size: 'Size',
  overlap: 'Overlap with existing groups',
  segment: 'Segment',
  shared: 'Shared customers',
  explanation: 'Why they are in (a sample customer)',
  noMembers: 'No customer matches this rule.',
  invalidJson: 'The JSON does not parse: ',
  labNeeds: 'The lab needs the permission to define segments (head office or analyst).',
  updating: 'Updating…',
  customers: 'customers',
  serverDown: 'Cannot reach the Kequn server: ',
};

let current: PortalLocale = 'zh-CN';

export function setPortalLocale(locale: PortalLocale): void {
  current = locale;
}

export function portalLocale(): PortalLocale {
  return current;
}

export function t(key: TextKey): string {
  return current === 'zh-CN' ? zh[key] : en[key];
}
