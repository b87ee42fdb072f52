/** Meetings and seminars: the calendar, registrations with the waiting list, check-in and action items. */
import { Badge, Button, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useActionItems,
  useCancelRegistration,
  useCheckIn,
  useMeetings,
  useRegister,
  useRegistrations,
  type MeetingView,
} from '../../api/voice';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useCan } from '../../lib/use-can';

const registrationColors: Record<string, string> = {
  confirmed: 'teal',
  waitlisted: 'yellow',
  cancelled: 'gray',
};

function MeetingDetail({ meeting }: { meeting: MeetingView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const mayRegister = useCan('meetings.register');
  const registrations = useRegistrations(meeting.id);
  const items = useActionItems(meeting.id);
  const register = useRegister(meeting.id);
  const cancel = useCancelRegistration(meeting.id);
  const checkIn = useCheckIn(meeting.id);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate(
      { name, ...(phone.trim() ? { phone } : {}) },
      {
        onSuccess: () => {
          setName('');
          setPhone('');
        },
      },
    );
  };
  return (
    <>
      <Title order={3} size="h4" mt="lg">
        {meeting.title}
      </Title>
      <Text size="sm">
        {t('voice.capacityLine', {
          confirmed: format.number(meeting.confirmed),
          capacity: format.number(meeting.capacity),
          rule: format.number(meeting.m2_per_person),
        })}
      </Text>
      {meeting.minutes && <Text style={{ whiteSpace: 'pre-wrap' }}>{meeting.minutes}</Text>}
      <ProblemAlert error={register.error ?? cancel.error ?? checkIn.error} />
      {mayRegister && (
        <>
          <form onSubmit={submit}>
            <Group align="end">
              <TextInput
                label={t('common.name')}
                required
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
              />
              <TextInput
                label={t('voice.phone')}
                dir="ltr"
                value={phone}
                onChange={(event) => setPhone(event.currentTarget.value)}
              />
              <Button type="submit" loading={register.isPending}>
                {t('voice.register')}
              </Button>
            </Group>
          </form>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              checkIn.mutate(code.trim(), { onSuccess: () => setCode('') });
            }}
          >
            <Group align="end">
              <TextInput
                label={t('voice.checkInCode')}
                description={t('voice.checkInHelp')}
                dir="ltr"
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              <Button type="submit" variant="light" loading={checkIn.isPending}>
                {t('voice.checkIn')}
              </Button>
            </Group>
          </form>
        </>
      )}
      <QueryState isPending={registrations.isPending} error={registrations.error}>
        <Table striped data-testid="registrations" aria-label={t('voice.registrations')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('voice.checkedIn')}</Table.Th>
              {mayRegister && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(registrations.data ?? []).map((registration) => (
              <Table.Tr key={registration.id}>
                <Table.Td>{format.number(registration.position)}</Table.Td>
                <Table.Td>{registration.name}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={registrationColors[registration.status]}>
                    {t(`voice.registration.${registration.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {registration.checked_in_at ? format.dateTime(registration.checked_in_at) : ''}
                </Table.Td>
                {mayRegister && (
                  <Table.Td>
                    {registration.status !== 'cancelled' && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => cancel.mutate(registration.id)}
                      >
                        {t('common.cancel')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      <Title order={4} size="h5" mt="md">
        {t('voice.actionItems')}
      </Title>
      <QueryState isPending={items.isPending} error={items.error}>
        {(items.data ?? []).length === 0 ? (
          <p>{t('common.none')}</p>
        ) : (
          <Table striped aria-label={t('voice.actionItems')}>
            <Table.Tbody>
              {(items.data ?? []).map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{item.title}</Table.Td>
                  <Table.Td>{item.owner_name ?? ''}</Table.Td>
                  <Table.Td>{format.date(item.due_on)}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={item.late ? 'red' : item.status === 'done' ? 'teal' : 'blue'}
                    >
                      {item.late ? t('voice.late') : t(`voice.itemStatus.${item.status}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}

export default function Meetings() {
  const { t } = useTranslation();
  const format = useFormat();
  const meetings = useMeetings();
  const [selected, setSelected] = useState<string | null>(null);
  const meeting = meetings.data?.find((entry) => entry.id === selected);
  return (
    <>
      <PageHeader title={t('menu.meetings')} />
      <QueryState isPending={meetings.isPending} error={meetings.error}>
        <Table striped data-testid="meetings" aria-label={t('menu.meetings')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.date')}</Table.Th>
              <Table.Th>{t('common.type')}</Table.Th>
              <Table.Th>{t('voice.title')}</Table.Th>
              <Table.Th>{t('voice.capacity')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(meetings.data ?? []).map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{format.dateTime(entry.starts_at)}</Table.Td>
                <Table.Td>{t(`voice.kind.${entry.kind}`)}</Table.Td>
                <Table.Td>{entry.title}</Table.Td>
                <Table.Td>{`${format.number(entry.confirmed)} / ${format.number(entry.capacity)}`}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => setSelected(entry.id)}>
                    {t('voice.open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      {meeting && <MeetingDetail meeting={meeting} />}
    </>
  );
}
