/** Picks the name in the user's language from records that carry `name_ar` and `name_en`. */
import { useSettings } from './settings-context';

export interface Bilingual {
  name_ar: string;
  name_en: string;
}

export function useLocalName(): (record: Bilingual | null | undefined) => string {
  const { settings } = useSettings();
  return (record) =>
    record ? (settings.language === 'ar' ? record.name_ar : record.name_en) || record.name_ar : '';
}

export function useLabel(): (
  record: { label_ar: string; label_en: string } | undefined,
  fallback: string,
) => string {
  const { settings } = useSettings();
  return (record, fallback) =>
    record
      ? (settings.language === 'ar' ? record.label_ar : record.label_en) || record.label_ar
      : fallback;
}
