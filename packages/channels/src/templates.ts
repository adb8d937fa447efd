// Message templates: text per locale with `{{variable}}` placeholders, checked against the
// variables a message provides before anything is sent.
import { localizedTextSchema, messageKindSchema, toDisposable, type Disposable, type LocalizedText } from '@kequn/core';
import { z } from 'zod';
import { ChannelsError, TemplateVariableMissingError, describeIssues } from './errors.js';
import type { MessageLocale, TemplateVariableValue } from './payload.js';

export const messageTemplateSchema = z.object({
  id: z.string().min(1),
  /** The kind of message it is written for; the channel's default applies when absent. */
  kind: messageKindSchema.optional(),
  text: localizedTextSchema,
  /** For channels with subjects (e-mail, tasks). */
  subject: localizedTextSchema.optional(),
  /** An HTML body for rich messages (e-mail): variables are HTML-escaped; `text` stays the plain part. */
  html: localizedTextSchema.optional(),
  description: localizedTextSchema.optional(),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

export type TemplateVariables = Readonly<Record<string, TemplateVariableValue>>;

const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** The placeholders of the texts seen lately: a dispatcher renders the same few templates all day. */
const namesByText = new Map<string, readonly string[]>();
const REMEMBERED_TEXTS = 1_000;

function namesIn(text: string): readonly string[] {
  let names = namesByText.get(text);
  if (names === undefined) {
    names = [...text.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
    if (namesByText.size >= REMEMBERED_TEXTS) namesByText.clear();
    namesByText.set(text, names);
  }
  return names;
}

type TemplateTexts = Pick<MessageTemplate, 'text' | 'subject' | 'html'>;

/** Every variable the template uses, in any locale, text, subject or html, in order of first use. */
export function templateVariables(template: TemplateTexts): string[] {
  const texts = [template.text['zh-CN'], template.text.en, template.subject?.['zh-CN'] ?? '', template.subject?.en ?? '', template.html?.['zh-CN'] ?? '', template.html?.en ?? ''];
  return [...new Set(texts.flatMap(namesIn))];
}

/** Building an Intl.NumberFormat costs far more than using one. */
const numberFormats: Record<MessageLocale, Intl.NumberFormat> = { 'zh-CN': new Intl.NumberFormat('zh-CN'), en: new Intl.NumberFormat('en') };

function format(value: TemplateVariableValue, locale: MessageLocale): string {
  if (typeof value === 'number') return numberFormats[locale].format(value);
  if (typeof value === 'boolean') return locale === 'zh-CN' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  return value;
}

const htmlEntities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and attribute positions. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character);
}

function fill(text: string, variables: TemplateVariables, locale: MessageLocale, escape: (value: string) => string = (value) => value): string {
  return text.replace(placeholderPattern, (_placeholder, name: string) => {
    const value = variables[name];
    return value === undefined ? '' : escape(format(value, locale));
  });
}

/** The variables a rendering in `locale` needs that are absent (or empty). */
export function missingVariables(template: TemplateTexts, locale: MessageLocale, variables: TemplateVariables): string[] {
  const needed = [...new Set([...namesIn(template.text[locale]), ...namesIn(template.subject?.[locale] ?? ''), ...namesIn(template.html?.[locale] ?? '')])];
  return needed.filter((name) => {
    const value = variables[name];
    return value === undefined || value === '';
  });
}

export interface RenderedTemplate {
  text: string;
  subject?: string;
  /** When the template has an html body: what the e-mail channel sends as its html part (`data.html`). */
  html?: string;
}

/** Renders one locale; throws `TemplateVariableMissingError` naming every missing variable. */
export function renderTemplate(template: MessageTemplate, locale: MessageLocale, variables: TemplateVariables): RenderedTemplate {
  const missing = missingVariables(template, locale, variables);
  if (missing.length > 0) throw new TemplateVariableMissingError(template.id, locale, missing);
  const text = fill(template.text[locale], variables, locale);
  return {
    text,
    ...(template.subject === undefined ? {} : { subject: fill(template.subject[locale], variables, locale) }),
    ...(template.html === undefined ? {} : { html: fill(template.html[locale], variables, locale, escapeHtml) }),
  };
}

/** The asset tiers of DOMAIN.md §1, for `{{tierLabel}}`. Banks' own tier ids show as written. */
export const tierLabels: Readonly<Record<string, LocalizedText>> = Object.freeze({
  potential: { 'zh-CN': '潜力客户', en: 'potential' },
  effective: { 'zh-CN': '有效客户', en: 'effective' },
  mid: { 'zh-CN': '中端客户', en: 'mid-tier' },
  high_end: { 'zh-CN': '高端客户', en: 'high-end' },
  private: { 'zh-CN': '私行客户', en: 'private banking' },
});

/**
 * The introduction a sending manager's customer receives when a hand-off (提升移交) is approved:
 * @kequn/books queues it with `caseId`, `senderId`, `receiverId` and `toTier`.
 */
export const handoffIntroductionTemplate: MessageTemplate = Object.freeze({
  id: 'handoff.introduction',
  kind: 'text',
  text: {
    'zh-CN':
      '{{name}}您好！为给您提供更专业的{{tierLabel}}服务，您的专属客户经理已由{{senderName}}变更为{{receiverName}}，{{receiverName}}将尽快与您联系。感谢您一直以来的信任！',
    en: 'Dear {{name}}, to serve you better as a {{tierLabel}} customer, your relationship manager is now {{receiverName}} (previously {{senderName}}). {{receiverName}} will contact you shortly. Thank you for your trust.',
  },
  subject: { 'zh-CN': '您的专属客户经理已更换', en: 'Your new relationship manager' },
  description: { 'zh-CN': '提升移交后向客户介绍新客户经理', en: 'Introduces the new manager after an upgrade hand-off' },
});

export const builtInTemplates: readonly MessageTemplate[] = Object.freeze([handoffIntroductionTemplate]);

/** Templates by id. Registration validates the template and returns a disposable. */
export class TemplateRegistry {
  readonly #templates = new Map<string, MessageTemplate>();

  constructor(templates: readonly MessageTemplate[] = builtInTemplates) {
    for (const template of templates) this.register(template);
  }

  register(template: MessageTemplate): Disposable {
    const parsed = messageTemplateSchema.safeParse(template);
    if (!parsed.success) {
      throw new ChannelsError('KQ_TEMPLATE_INVALID', `Template ${JSON.stringify((template as { id?: unknown }).id)} is invalid: ${describeIssues(parsed.error.issues)}.`);
    }
    const { id } = parsed.data;
    if (this.#templates.has(id)) {
      throw new ChannelsError('KQ_TEMPLATE_DUPLICATE', `Template "${id}" is already registered. Dispose the earlier registration first, or choose another id.`, { templateId: id });
    }
    this.#templates.set(id, parsed.data);
    return toDisposable(() => {
      if (this.#templates.get(id) === parsed.data) this.#templates.delete(id);
    });
  }

  has(id: string): boolean {
    return this.#templates.has(id);
  }

  get(id: string): MessageTemplate | undefined {
    return this.#templates.get(id);
  }

  /** Like `get`, but throws `KQ_TEMPLATE_UNKNOWN` listing the registered ids. */
  require(id: string): MessageTemplate {
    const template = this.#templates.get(id);
    if (template !== undefined) return template;
    throw new ChannelsError('KQ_TEMPLATE_UNKNOWN', `No template "${id}" is registered (registered: ${[...this.#templates.keys()].join(', ') || 'none'}).`, { templateId: id });
  }

  list(): MessageTemplate[] {
    return [...this.#templates.values()];
  }
}

export function createTemplateRegistry(templates: readonly MessageTemplate[] = builtInTemplates): TemplateRegistry {
  return new TemplateRegistry(templates);
}
