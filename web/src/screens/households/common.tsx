/** Pieces the household screens share. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export const householdStatuses = ['active', 'suspended', 'moved', 'deceased', 'merged'] as const;

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'teal' : status === 'merged' ? 'gray' : 'orange';
  return (
    <Badge color={color} variant="light">
      {t(`households.statuses.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** Roles that register and edit households (the API's access on POST/PATCH /households). */
export const registrars: readonly string[] = ['admin', 'coordinator', 'registrar'];
