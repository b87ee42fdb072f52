/** The audit log as people read it: when, who (name and role), what, which record, which fields. */
import { Anchor, Code, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { AuditEvent, Page } from '../api/types';
import { useFormat } from '../lib/format';
import { useLabel } from '../lib/names';
import { QueryState } from './Page';

export function useAuditEvents(filters: Record<string, string | undefined>, enabled = true) {
  return useQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ signal }) =>
      api.get<Page<AuditEvent>>('/audit-events', { ...filters, limit: 100 }, signal),
    enabled,
  });
}

/** Where a record of each kind is shown in the app, if anywhere. */
const recordPaths: Record<string, (id: string) => string> = {
  household: (id) => `/households/${id}`,
  cycle: (id) => `/cycles/${id}`,
  programme: (id) => `/programmes/${id}`,
};

/** A field's name in plain words: the form's label where there is one, else the name itself. */
export function useFieldName(): (field: string) => string {
  const { t } = useTranslation();
  return (field) =>
    t(`fields.${field}`, { defaultValue: '' }) ||
    t(`households.fields.${field}`, { defaultValue: '' }) ||
    field;
}

function RecordCell({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const label = useLabel();
  const kind = t(`audit.entities.${event.entity}`, { defaultValue: event.entity });
  if (!event.entity_id) return <>{kind}</>;
  const name = event.record ? label(event.record, '') : '';
  const path = recordPaths[event.entity]?.(event.entity_id);
  const shown = name || <Code className="ltr-value">{event.entity_id.slice(0, 8)}</Code>;
  return (
    <>
      {kind}:{' '}
      {path ? (
        <Anchor component={Link} to={path} data-testid="audit-record-link">
          {shown}
        </Anchor>
      ) : (
        shown
      )}
    </>
  );
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const fieldName = useFieldName();
  if (events.length === 0) return <Text c="dimmed">{t('common.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.at')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.entity')}</Table.Th>
            <Table.Th>{t('audit.fields')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.seq} data-seq={event.seq}>
              <Table.Td>{format.dateTime(event.at)}</Table.Td>
              <Table.Td>
                {event.actor ? (
                  <>
                    {event.actor.display_name}
                    <Text size="xs" c="dimmed">
                      {t(`roles.${event.actor.role}`)}
                    </Text>
                  </>
                ) : (
                  t('audit.system')
                )}
              </Table.Td>
              <Table.Td>
                {t(`audit.actions.${event.action}`, { defaultValue: event.action })}
              </Table.Td>
              <Table.Td>
                <RecordCell event={event} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{event.fields.map(fieldName).join('، ')}</Text>
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
