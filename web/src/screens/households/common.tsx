/** Pieces the household screens share. */
import { Badge } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

export { householdStatuses } from '../../../../src/shared/vocabulary.js';

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'teal' : status === 'merged' ? 'gray' : 'orange';
  return (
    <Badge color={color} variant="light">
      {t(`households.statuses.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** Why two records look alike, in words: "name+size" -> "similar name، same size". */
export function duplicateReason(t: TFunction, reason: string): string {
  return reason
    .split('+')
    .map((part) => t(`households.duplicates.reasons.${part}`, { defaultValue: part }))
    .join(t('common.listSeparator'));
}
