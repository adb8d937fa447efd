// What the app learns from the Node side at /playground.json: where the API is, the book's date,
// the demo bank's staff (for the sign-in picker) and the attribute catalogue (for the rule builder).
// Validated here because it crosses a process boundary.
import { z } from 'zod';

const localizedText = z.object({ 'zh-CN': z.string(), en: z.string() });

export const playgroundConfigSchema = z.object({
  apiUrl: z.string().url(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  directory: z.object({
    branches: z.array(z.object({ id: z.string(), name: z.string() })),
    staff: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum([
          'counter_wealth_manager',
          'vip_wealth_manager',
          'customer_manager',
          'operations_manager',
          'branch_head',
        ]),
        branchId: z.string(),
      }),
    ),
  }),
  catalogue: z.array(
    z.object({
      id: z.string(),
      type: z.enum(['number', 'money', 'date', 'enum', 'set', 'boolean', 'string']),
      label: localizedText,
      values: z.array(z.object({ value: z.string(), label: localizedText })).optional(),
    }),
  ),
});
export type PlaygroundConfig = z.infer<typeof playgroundConfigSchema>;

export async function loadPlaygroundConfig(): Promise<PlaygroundConfig> {
  const response = await fetch('/playground.json');
  if (!response.ok)
    throw new Error(
      `The playground configuration (/playground.json) answered ${response.status}; start the playground with \`pnpm start\`.`,
    );
  return playgroundConfigSchema.parse(await response.json());
}
