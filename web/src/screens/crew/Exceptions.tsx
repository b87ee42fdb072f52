/** The exception queue: field reports the books could not take; approve, or reject saying why. */
import { Button, Group, Select, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommodities } from '../../api/commodities';
import { useFieldExceptions, useResolveException, type FieldExceptionView } from '../../api/crew';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';

const statuses = ['open', 'approved', 'rejected'] as const;

function Resolve({ exception }: { exception: FieldExceptionView }) {
  const { t } = useTranslation();
  const resolve = useResolveException();
  const [reason, setReason] = useState('');
  const errors = fieldErrors(t, resolve.error);
  return (
    <>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <Button
          size="compact-sm"
          color="green"
          loading={resolve.isPending && resolve.variables?.reason === undefined}
          onClick={() => resolve.mutate({ id: exception.id })}
        >
          {t('crew.approve')}
        </Button>
        <TextInput
          size="xs"
          aria-label={t('crew.rejectReason')}
          placeholder={t('crew.rejectReason')}
          value={reason}
          error={errors.reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Button
          size="compact-sm"
          color="red"
          variant="light"
          loading={resolve.isPending && resolve.variables?.reason !== undefined}
          onClick={() => resolve.mutate({ id: exception.id, reason })}
        >
          {t('crew.reject')}
        </Button>
      </Group>
      <ProblemAlert error={resolve.error} />
    </>
  );
}

export default function Exceptions() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const mayResolve = useCan('runs.write');
  const [status, setStatus] = useState<string | null>('open');
  const exceptions = useFieldExceptions(status);
  const commodities = useCommodities();
  return (
    <>
      <PageHeader title={t('menu.exceptions')} />
      <Select
        label={t('common.status')}
        clearable
        data={statuses.map((value) => ({ value, label: t(`crew.exceptionStatuses.${value}`) }))}
        value={status}
        onChange={setStatus}
        maw={220}
        mb="md"
      />
      <QueryState isPending={exceptions.isPending} error={exceptions.error}>
        {exceptions.data?.length === 0 ? (
          <p>{t('crew.noExceptions')}</p>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="exceptions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.date')}</Table.Th>
                  <Table.Th>{t('crew.reason')}</Table.Th>
                  <Table.Th>{t('crew.run')}</Table.Th>
                  <Table.Th>{t('crew.items')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  {mayResolve && <Table.Th>{t('common.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(exceptions.data ?? []).map((exception) => (
                  <Table.Tr key={exception.id} data-exception={exception.id}>
                    <Table.Td>{format.dateTime(exception.created_at)}</Table.Td>
                    <Table.Td>
                      {t(`crew.exceptionCodes.${exception.code}`, { defaultValue: exception.code })}
                    </Table.Td>
                    <Table.Td className="ltr-value">{exception.run_id.slice(0, 8)}</Table.Td>
                    <Table.Td>
                      {exception.items
                        .map(
                          (item) =>
                            `${localName(commodities.data?.get(item.commodity)) || item.commodity} ${format.number(item.quantity)}`,
                        )
                        .join(t('common.listSeparator'))}
                    </Table.Td>
                    <Table.Td>
                      {t(`crew.exceptionStatuses.${exception.status}`)}
                      {exception.resolution_reason && ` — ${exception.resolution_reason}`}
                    </Table.Td>
                    {mayResolve && (
                      <Table.Td>
                        {exception.status === 'open' && <Resolve exception={exception} />}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </>
  );
}
