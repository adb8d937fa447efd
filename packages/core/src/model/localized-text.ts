// Every label the SDK shows a person comes in the two shipped locales.
import { z } from 'zod';

export const localizedTextSchema = z.object({
  'zh-CN': z.string().min(1),
  en: z.string().min(1),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export type Locale = keyof LocalizedText;
