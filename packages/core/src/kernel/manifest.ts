// The plugin manifest: the declarative part of a plugin, validated on load and exported as JSON
// Schema so editors can check a manifest as it is typed. `definePlugin` adds the code part.
import { z } from 'zod';
import semver from 'semver';
import { localizedTextSchema } from './contribution-point.js';
import {
  attributesPoint,
  campaignTypesPoint,
  channelsPoint,
  componentsPoint,
  operatorsPoint,
  segmentStrategiesPoint,
  settingDeclarationSchema,
} from './points.js';
import { KequnError } from './errors.js';

export const pluginIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*$/,
    'expected a lower-case plugin id such as "tiering" or "acme.wealth-segments"',
  );

export const activationEventSchema = z
  .string()
  .regex(
    /^(\*|onStartup|on[A-Z][a-zA-Z0-9]*:.+)$/,
    'expected "onStartup", "*" or "onSomething:<id>" (e.g. "onSegmentStrategy:tiering")',
  );

const semverSchema = z.string().refine((value) => semver.valid(value) !== null, {
  message: 'expected a semantic version such as "1.2.0"',
});
const semverRangeSchema = z.string().refine((value) => semver.validRange(value) !== null, {
  message: 'expected a semver range such as "^1"',
});

const uniqueIds = <T extends { id: string }>(items: T[], ctx: z.RefinementCtx): void => {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${item.id}"` });
    }
    seen.add(item.id);
  });
};
const declarations = <T extends { id: string }>(schema: z.ZodType<T>) =>
  z.array(schema).superRefine(uniqueIds).optional();

/** Declarations under a plugin-owned contribution point: checked when that point's owner loads. */
const foreignDeclarationSchema = z.looseObject({ id: z.string().min(1) });

export const contributesSchema = z
  .object({
    segmentStrategies: declarations(segmentStrategiesPoint.declaration),
    campaignTypes: declarations(campaignTypesPoint.declaration),
    channels: declarations(channelsPoint.declaration),
    operators: declarations(operatorsPoint.declaration),
    attributes: declarations(attributesPoint.declaration),
    components: declarations(componentsPoint.declaration),
    settings: z.array(settingDeclarationSchema).optional(),
  })
  .catchall(z.array(foreignDeclarationSchema));
export type Contributes = z.infer<typeof contributesSchema>;

export const pluginManifestSchema = z.object({
  id: pluginIdSchema,
  version: semverSchema,
  displayName: localizedTextSchema.optional(),
  description: localizedTextSchema.optional(),
  publisher: z.string().optional(),
  engines: z.object({ kequn: semverRangeSchema }),
  dependsOn: z.array(pluginIdSchema).default([]),
  optionalDependsOn: z.array(pluginIdSchema).default([]),
  /** Extra activation events; those of the contributions are derived and need not be listed. */
  activationEvents: z.array(activationEventSchema).default([]),
  contributes: contributesSchema.default({}),
  /** `abort`: the kernel's start fails when this plugin fails to activate. `continue`: it is isolated. */
  onActivationFailure: z.enum(['abort', 'continue']).default('continue'),
  /** How long deactivation may take before the kernel stops waiting and reports it. */
  disposeTimeoutMs: z.number().int().positive().max(600_000).default(5_000),
});
export type PluginManifest = z.infer<typeof pluginManifestSchema>;
export type PluginManifestInput = z.input<typeof pluginManifestSchema>;

/** The manifest schema as JSON Schema (draft 2020-12), for editors and CI checks of `kequn.plugin.json`. */
export function pluginManifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(pluginManifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    )
    .join('; ');
}

/** Parses a manifest; the error names the plugin (when its id is readable) and every bad field. */
export function parsePluginManifest(input: unknown): PluginManifest {
  const result = pluginManifestSchema.safeParse(input);
  if (result.success) return result.data;
  const id = (input as { id?: unknown } | null)?.id;
  const who = typeof id === 'string' ? `Plugin "${id}"` : 'A plugin';
  throw new KequnError(
    'KQ_MANIFEST_INVALID',
    `${who} has an invalid manifest: ${formatZodIssues(result.error)}.`,
    typeof id === 'string' ? { pluginId: id } : {},
  );
}
