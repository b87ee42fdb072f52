/** Field devices: enrol a phone for a volunteer (its QR, shown once) and revoke one. */
import { Alert, Button, Image, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useDevices,
  useEnrolDevice,
  useRevokeDevice,
  useVolunteers,
  type EnrolmentView,
} from '../../api/crew';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { fieldErrors } from '../../lib/problems';
import { VolunteerSelect, volunteerName } from './common';

export default function Devices() {
  const { t } = useTranslation();
  const format = useFormat();
  const devices = useDevices();
  const volunteers = useVolunteers({});
  const enrol = useEnrolDevice();
  const revoke = useRevokeDevice();
  const [draft, setDraft] = useState({ volunteer_id: null as string | null, name: '' });
  const [enrolled, setEnrolled] = useState<EnrolmentView | null>(null);
  const errors = fieldErrors(t, enrol.error);
  const names = new Map((volunteers.data ?? []).map((each) => [each.id, volunteerName(each)]));
  return (
    <>
      <PageHeader title={t('menu.devices')} />
      <CreatePanel
        title={t('crew.enrolDevice')}
        pending={enrol.isPending}
        onSubmit={() =>
          settled((callbacks) =>
            enrol.mutate(
              { volunteer_id: draft.volunteer_id ?? '', name: draft.name },
              {
                onSuccess: (enrolment) => {
                  setEnrolled(enrolment);
                  setDraft({ volunteer_id: null, name: '' });
                  callbacks.onSuccess();
                },
                onError: callbacks.onError,
              },
            ),
          )
        }
      >
        <ProblemAlert error={enrol.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <VolunteerSelect
            label={t('crew.volunteer')}
            description={t('crew.linkedOnly')}
            where={(volunteer) => volunteer.user_id !== null}
            required
            value={draft.volunteer_id}
            error={errors.volunteer_id}
            onChange={(volunteer_id) => setDraft({ ...draft, volunteer_id })}
          />
          <TextInput
            label={t('crew.deviceName')}
            required
            value={draft.name}
            error={errors.name}
            onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
          />
        </SimpleGrid>
      </CreatePanel>
      {enrolled && (
        <Alert
          color="blue"
          mb="md"
          title={t('crew.enrolmentQr')}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setEnrolled(null)}
        >
          <Text size="sm" mb="xs">
            {t('crew.enrolmentOnce')}
          </Text>
          <Image
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolled.qr_svg)}`}
            alt={t('crew.enrolmentQr')}
            w={240}
            h={240}
            data-testid="enrolment-qr"
          />
          <Text size="xs" dir="ltr" mt="xs" style={{ wordBreak: 'break-all' }}>
            {enrolled.enrolment_url}
          </Text>
        </Alert>
      )}
      <ProblemAlert error={revoke.error} />
      <QueryState isPending={devices.isPending} error={devices.error}>
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="devices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('crew.deviceName')}</Table.Th>
                <Table.Th>{t('crew.volunteer')}</Table.Th>
                <Table.Th>{t('crew.opsReceived')}</Table.Th>
                <Table.Th>{t('crew.lastSync')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(devices.data ?? []).map((device) => (
                <Table.Tr key={device.id}>
                  <Table.Td>{device.name}</Table.Td>
                  <Table.Td>{names.get(device.volunteer_id) ?? ''}</Table.Td>
                  <Table.Td>{format.number(device.ops_received)}</Table.Td>
                  <Table.Td>
                    {device.last_sync_at ? format.dateTime(device.last_sync_at) : ''}
                  </Table.Td>
                  <Table.Td>
                    {device.revoked_at
                      ? t('crew.revoked')
                      : device.wiped_at
                        ? t('crew.wiped')
                        : t('crew.activeDevice')}
                  </Table.Td>
                  <Table.Td>
                    {!device.revoked_at && (
                      <Button
                        size="compact-sm"
                        color="red"
                        variant="light"
                        loading={revoke.isPending && revoke.variables === device.id}
                        onClick={() => revoke.mutate(device.id)}
                      >
                        {t('crew.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </>
  );
}
