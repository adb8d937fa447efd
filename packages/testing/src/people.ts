// Personal details that look real to a bank developer and belong to nobody: Chinese names in their
// natural frequencies, mobile numbers on real carrier prefixes, and resident identity numbers whose
// region, birth date, gender digit and check digit are all consistent.
import type { Gender } from '@kequn/core';
import { WeightedTable, type Random } from './random.js';

/** The commonest surnames with their approximate share of the population (per cent). */
// prettier-ignore
const surnames = new WeightedTable<string>([
  ['王', 7.1], ['李', 7.0], ['张', 6.7], ['刘', 5.4], ['陈', 4.5], ['杨', 3.1], ['黄', 2.2], ['赵', 2.1],
  ['吴', 2.0], ['周', 1.9], ['徐', 1.6], ['孙', 1.5], ['马', 1.4], ['朱', 1.3], ['胡', 1.3], ['郭', 1.1],
  ['何', 1.1], ['高', 1.0], ['林', 1.0], ['罗', 0.9], ['郑', 0.8], ['梁', 0.8], ['谢', 0.8], ['宋', 0.7],
  ['唐', 0.7], ['许', 0.7], ['韩', 0.6], ['冯', 0.6], ['邓', 0.6], ['曹', 0.6], ['彭', 0.6], ['曾', 0.5],
  ['肖', 0.5], ['田', 0.5], ['董', 0.5], ['袁', 0.5], ['潘', 0.4], ['于', 0.4], ['蒋', 0.4], ['蔡', 0.4],
  ['余', 0.4], ['杜', 0.4], ['叶', 0.4], ['程', 0.4], ['苏', 0.4], ['魏', 0.4], ['吕', 0.4], ['丁', 0.4],
  ['任', 0.3], ['沈', 0.3], ['姚', 0.3], ['卢', 0.3], ['姜', 0.3], ['崔', 0.3], ['钟', 0.3], ['谭', 0.3],
  ['陆', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.3], ['石', 0.3], ['廖', 0.3], ['贾', 0.2], ['夏', 0.2],
  ['韦', 0.2], ['方', 0.2], ['白', 0.2], ['邹', 0.2], ['孟', 0.2], ['熊', 0.2], ['秦', 0.2], ['邱', 0.2],
  ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['段', 0.2], ['雷', 0.2], ['侯', 0.2], ['龙', 0.2], ['史', 0.2],
  ['陶', 0.2], ['黎', 0.2], ['贺', 0.2], ['顾', 0.2], ['毛', 0.2], ['郝', 0.2], ['龚', 0.2], ['邵', 0.2],
  ['钱', 0.2], ['应', 0.1], ['楼', 0.1], ['俞', 0.1], ['戴', 0.1], ['孔', 0.1], ['汤', 0.1], ['严', 0.1],
  ['欧阳', 0.05], ['上官', 0.01], ['司马', 0.01], ['诸葛', 0.01],
]);

/** Given-name characters by gender and generation: names follow fashions, so era matters. */
interface GivenNamePool {
  older: readonly string[];
  younger: readonly string[];
}

const givenNameCharacters: Record<'female' | 'male', GivenNamePool> = {
  male: {
    older: [...'伟强磊军勇刚平建国志明华东海峰林斌波庆德福荣生富新春忠良文卫'],
    younger: [...'浩宇轩杰涛鹏鑫博超晨俊凯帆航泽睿子豪铭哲宁毅昊然辰煜阳逸瑞嘉'],
  },
  female: {
    older: [...'芳秀英桂兰玉珍凤丽红霞艳萍华琴梅娟敏静燕美素云莲慧月春亚丹莉'],
    younger: [...'婷雪琳晶颖倩佳欣悦怡梦雨诗思瑶涵蕾萱琪彤可馨若嘉晴雯露薇妍楠'],
  },
};

/** People born before this year mostly carry the older generation's names. */
const NAME_FASHION_BOUNDARY_YEAR = 1980;

export function drawChineseName(random: Random, gender: Gender, birthYear: number): string {
  const nameGender = gender === 'unknown' ? (random.chance(0.5) ? 'female' : 'male') : gender;
  const pool = givenNameCharacters[nameGender];
  const characters = birthYear < NAME_FASHION_BOUNDARY_YEAR ? pool.older : pool.younger;
  const surname = surnames.draw(random);
  // About a quarter of given names have one character; the rest have two.
  if (random.chance(0.25)) return surname + random.pick(characters);
  return surname + random.pick(characters) + random.pick(characters);
}

/** Number segments that the three carriers actually issue. */
// prettier-ignore
const mobilePrefixes = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '166', '173', '176', '177', '180', '181', '182', '183', '184', '185',
  '186', '187', '188', '189', '191', '198', '199',
] as const;

export function drawMobileNumber(random: Random): string {
  const subscriber = random.integer(0, 99_999_999);
  return random.pick(mobilePrefixes) + String(subscriber).padStart(8, '0');
}

const idNumberWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const idCheckCharacters = '10X98765432';

/**
 * The check character of a resident identity number (GB 11643-1999): ISO 7064 MOD 11-2 over
 * the first 17 digits.
 */
export function idNumberCheckCharacter(first17Digits: string): string {
  let sum = 0;
  idNumberWeights.forEach((weight, position) => {
    sum += weight * (first17Digits.charCodeAt(position) - 48);
  });
  return idCheckCharacters.charAt(sum % 11);
}

/**
 * A resident identity number: region code, birth date (`YYYYMMDD`), a three-digit sequence
 * whose last digit is odd for men and even for women, and the check character.
 */
export function drawIdNumber(
  random: Random,
  regionCode: string,
  birthDate: string,
  gender: Gender,
): string {
  const parityWanted = gender === 'male' ? 1 : gender === 'female' ? 0 : random.integer(0, 1);
  const sequence = random.integer(0, 49) * 2 + parityWanted;
  const first17 = regionCode + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + idNumberCheckCharacter(first17);
}

const emailDomains = ['163.com', '126.com', 'sina.com', 'foxmail.com', 'outlook.com'] as const;

/** Chinese customers often use a QQ number as their address; the rest a numbered mailbox. */
export function drawEmail(random: Random): string {
  if (random.chance(0.5)) return `${random.integer(10_000, 3_999_999_999)}@qq.com`;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let local = '';
  const length = random.integer(4, 8);
  for (let position = 0; position < length; position++)
    local += letters.charAt(random.integer(0, 25));
  return `${local}${random.integer(1, 9999)}@${random.pick(emailDomains)}`;
}
