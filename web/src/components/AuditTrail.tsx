/** The audit events of one record (field names only, never values), for admins and auditors. */
import { Code, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AuditEvent, Page } from '../api/types';
import { useFormat } from '../lib/format';
import { QueryState } from './Page';

export function useAuditEvents(filters: Record<string, string | undefined>, enabled = true) {
  return useQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ signal }) =>
      api.get<Page<AuditEvent>>('/audit-events', { ...filters, limit: 100 }, signal),
    enabled,
  });
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (events.length === 0) return <Text c="dimmed">{t('common.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.seq')}</Table.Th>
            <Table.Th>{t('audit.at')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.entity')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.fields')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.seq}>
              <Table.Td className="numeric">{format.number(event.seq)}</Table.Td>
              <Table.Td>{format.dateTime(event.at)}</Table.Td>
              <Table.Td>
                {t(`audit.actions.${event.action}`, { defaultValue: event.action })}
              </Table.Td>
              <Table.Td>
                {t(`audit.entities.${event.entity}`, { defaultValue: event.entity })}
                {event.entity_id && (
                  <Code ms={4} className="ltr-value">
                    {event.entity_id.slice(0, 12)}
                  </Code>
                )}
              </Table.Td>
              <Table.Td>
                <Code className="ltr-value">
                  {event.actor_id?.slice(0, 12) ?? t('audit.system')}
                </Code>
              </Table.Td>
              <Table.Td>
                <Text size="xs" className="ltr-value">
                  {event.fields.join(', ')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function AuditTrail({ entity, entityId }: { entity: string; entityId: string }) {
  const events = useAuditEvents({ entity, entity_id: entityId });
  return (
    <QueryState isPending={events.isPending} error={events.error}>
      <AuditTable events={events.data?.items ?? []} />
    </QueryState>
  );
}
