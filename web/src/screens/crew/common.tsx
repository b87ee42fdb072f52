/** What the volunteer screens share: a volunteer's name, a volunteer picker, what a volunteer misses. */
import { Badge, Group, Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVolunteers, type VolunteerView } from '../../api/crew';

export const volunteerName = (volunteer: Pick<VolunteerView, 'given_name' | 'family_name'>) =>
  `${volunteer.given_name} ${volunteer.family_name}`;

/** Choose one active volunteer by name (among those `where` accepts). */
export function VolunteerSelect({
  where = () => true,
  ...props
}: Omit<SelectProps, 'data'> & {
  value: string | null;
  onChange: (id: string | null) => void;
  where?: (volunteer: VolunteerView) => boolean;
}) {
  const volunteers = useVolunteers({ status: 'active' });
  return (
    <Select
      searchable
      data={(volunteers.data ?? []).filter(where).map((volunteer) => ({
        value: volunteer.id,
        label: volunteerName(volunteer),
      }))}
      {...props}
    />
  );
}

/** Badges naming what keeps a volunteer from being dispatched today, or "ready". */
export function Readiness({ volunteer }: { volunteer: VolunteerView }) {
  const { t } = useTranslation();
  const ready = volunteer.missing_trainings.length === 0 && volunteer.has_valid_permit;
  return (
    <Group gap={4} data-testid="readiness">
      {ready && <Badge color="green">{t('crew.ready')}</Badge>}
      {volunteer.missing_trainings.map((code) => (
        <Badge key={code} color="orange" variant="light">
          {t('crew.missingTraining', { code })}
        </Badge>
      ))}
      {!volunteer.has_valid_permit && (
        <Badge color="red" variant="light">
          {t('crew.missingPermit')}
        </Badge>
      )}
    </Group>
  );
}

export const volunteerStatuses = ['active', 'paused', 'left'] as const;
