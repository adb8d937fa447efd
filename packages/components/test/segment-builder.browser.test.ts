import { afterEach, describe, expect, inject, it } from 'vitest';
import '../src/define/kq-segment-builder.js';
import type { KqSegmentBuilder } from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(cleanup);

const rule = {
  all: [
    { attribute: 'profile.age', op: 'gte', value: 60 },
    {
      any: [
        { attribute: 'assets.currentAum', op: 'gte', value: 500000 },
        {
          events: {
            type: 'transaction',
            window: { days: 90 },
            measure: 'count',
            op: 'gte',
            value: 3,
          },
        },
      ],
    },
  ],
};

async function builderInForm(
  lang: string,
): Promise<{ form: HTMLFormElement; builder: KqSegmentBuilder }> {
  const form = mount<HTMLFormElement>(
    '<form><kq-segment-builder name="rule" required></kq-segment-builder></form>',
    'form',
    lang,
  );
  const builder = form.querySelector<KqSegmentBuilder>('kq-segment-builder');
  if (builder === null) throw new Error('no builder');
  builder.attributeCatalogue = inject('attributeCatalogue');
  builder.client = await clientFor();
  await builder.updateComplete;
  return { form, builder };
}

describe('kq-segment-builder', () => {
  it('fetches the attribute catalogue from the server when none is set, and checks rules against it (en)', async () => {
    const builder = mount<KqSegmentBuilder>(
      '<kq-segment-builder name="rule"></kq-segment-builder>',
      'kq-segment-builder',
      'en',
    );
    const client = await clientFor('analyst');
    builder.client = client;
    builder.rule = { all: [{ attribute: 'profile.shoeSize', op: 'eq', value: 42 }] };
    const served = await client.call('segments.attributes');
    expect(served.attributes.map((attribute) => attribute.id)).toEqual(
      inject('attributeCatalogue').map((attribute) => attribute.id),
    );
    const options = await until(() => {
      const found = shadow(builder).querySelectorAll('[data-kind="condition"] select option');
      return found.length > served.attributes.length ? found : undefined;
    }, 'the attributes from the server');
    const labels = Array.from(options).map((option) => option.textContent?.trim());
    for (const attribute of served.attributes) expect(labels).toContain(attribute.label.en);
    // Known only now: the attribute is not in the catalogue the server sent.
    const issue = await until(
      () => shadow(builder).querySelector('[data-path="all[0]"] [part="issue"]'),
      'the unknown-attribute issue',
    );
    expect(issue.textContent).toContain('The attribute catalogue has no such attribute');
    expect(builder.checkValidity()).toBe(false);
    expect(await axeViolations(builder)).toEqual([]);
  });

  it('is a form control: required and empty is invalid; a rule submits as JSON with live sizes per node (zh-CN)', async () => {
    const { form, builder } = await builderInForm('zh-CN');
    expect(form.checkValidity()).toBe(false);
    expect(builder.validationMessage).toBe('请至少添加一个条件');

    builder.rule = rule;
    const sizes = await until(() => {
      const shown = shadow(builder).querySelectorAll('[data-size-for]');
      return shown.length >= 5 ? shown : undefined;
    }, 'sizes for every node');
    const preview = await (await clientFor()).call('segments.preview', { body: { rule } });
    const byPath = new Map(
      Array.from(sizes).map((output) => [
        output.getAttribute('data-size-for'),
        output.textContent ?? '',
      ]),
    );
    const expected = (count: number) => `${new Intl.NumberFormat('zh-CN').format(count)} 人`;
    expect(byPath.get('rule')).toBe(expected(preview.sizes.count));
    expect(byPath.get('all[0]')).toBe(expected(preview.sizes.children[0]?.count ?? -1));
    expect(byPath.get('all[1].any[1]')).toBe(
      expected(preview.sizes.children[1]?.children[1]?.count ?? -1),
    );
    expect(shadow(builder).querySelector('[part="total"]')?.textContent).toContain(
      `共 ${new Intl.NumberFormat('zh-CN').format(preview.customers)} 位客户`,
    );
    expect(form.checkValidity()).toBe(true);
    expect(JSON.parse(String(new FormData(form).get('rule')))).toEqual(rule);
    expect(await axeViolations(builder)).toEqual([]);
  });

  it('types operators by attribute, shows validation messages, resets with its form and shows JSON (en)', async () => {
    const { form, builder } = await builderInForm('en');
    builder.rule = { all: [{ attribute: 'profile.age', op: 'gte', value: 60 }] };
    await builder.updateComplete;
    const root = shadow(builder);
    root.querySelector<HTMLButtonElement>('[data-add="condition"]')?.click();
    await builder.updateComplete;
    const conditions = root.querySelectorAll('[data-kind="condition"]');
    const added = conditions[conditions.length - 1];
    const attribute = added?.querySelector<HTMLSelectElement>('select[aria-label="Attribute"]');
    if (attribute === null || attribute === undefined) throw new Error('no attribute select');
    const dateAttribute = inject('attributeCatalogue').find((each) => each.type === 'date');
    attribute.value = dateAttribute?.id ?? '';
    attribute.dispatchEvent(new Event('change'));
    await builder.updateComplete;
    const operators = Array.from(
      added?.querySelectorAll<HTMLOptionElement>('select[aria-label="Operator"] option') ?? [],
    ).map((o) => o.value);
    expect(operators).toContain('withinLast');
    expect(operators).not.toContain('containsAny');

    const amount = added?.querySelector<HTMLInputElement>('input[type="number"]');
    if (amount === null || amount === undefined) throw new Error('no period input');
    amount.value = '0';
    amount.dispatchEvent(new Event('change'));
    await builder.updateComplete;
    expect(builder.checkValidity()).toBe(false);
    expect(root.querySelector('[part="issue"]')?.textContent).toBe(
      'The window must be a positive whole number',
    );
    expect(await axeViolations(builder)).toEqual([]);

    form.reset();
    await builder.updateComplete;
    expect(builder.ruleValue).toEqual({
      all: [{ attribute: 'profile.age', op: 'gte', value: 60 }],
    });
    expect(builder.checkValidity()).toBe(true);

    root.querySelector<HTMLButtonElement>('[part="json-toggle"]')?.click();
    await builder.updateComplete;
    expect(JSON.parse(root.querySelector('[part="json"]')?.textContent ?? '')).toEqual(
      builder.ruleValue,
    );
    expect(await axeViolations(builder)).toEqual([]);
  });

  it('shows the server’s validation issue at the node it concerns', async () => {
    const { builder } = await builderInForm('en');
    builder.attributeCatalogue = [];
    builder.rule = {
      all: [
        { attribute: 'profile.age', op: 'gte', value: 60 },
        { attribute: 'profile.shoeSize', op: 'eq', value: 42 },
      ],
    };
    const issue = await until(
      () => shadow(builder).querySelector('[data-path="all[1]"] [part="issue"]'),
      'the server issue',
    );
    expect(issue.textContent).toMatch(/shoeSize/);
    expect(builder.checkValidity()).toBe(false);
  });
});
