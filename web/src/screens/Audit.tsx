/** The audit log with filters, and "verify" that recomputes the hash chain. */
import { Alert, Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiBase, withQuery } from '../api/client';
import type { AuditEvent, Page } from '../api/types';
import { AuditTable } from '../components/AuditTrail';
import { DateField } from '../components/DateField';
import { i18n } from '../i18n';
import { PageHeader, ProblemAlert, QueryState } from '../components/Page';
import { useCount, useFormat } from '../lib/format';

interface Verification {
  ok: boolean;
  events: number;
  head: string | null;
  first_bad?: { seq: number; reason: string };
}

const filterKeys = ['from', 'to', 'actor_id', 'action', 'entity', 'entity_id'] as const;
type Filters = Partial<Record<(typeof filterKeys)[number], string>>;

interface AuditActor {
  id: string;
  display_name: string;
  role: string;
}

/** Pickers for the day range, the actor, the action and the record. */
function AuditFilters({ onApply }: { onApply: (filters: Filters) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>({});
  const actors = useQuery({
    queryKey: ['audit-actors'],
    queryFn: ({ signal }) => api.get<{ items: AuditActor[] }>('/audit-events/actors', {}, signal),
    staleTime: 60_000,
  });
  const set = (key: keyof Filters) => (value: string | null) =>
    setDraft((current) => ({ ...current, [key]: value ?? '' }));
  const options = (group: 'actions' | 'entities') =>
    Object.keys(i18n.getResourceBundle('ar', 'translation').audit[group] as object)
      .map((key) => ({ value: key, label: t(`audit.${group}.${key}`) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const cleaned: Filters = {};
    for (const key of filterKeys) if (draft[key]?.trim()) cleaned[key] = draft[key]?.trim();
    onApply(cleaned);
  };
  return (
    <form onSubmit={apply} aria-label={t('common.filter')}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} mb="sm">
        <DateField
          label={t('audit.filters.from')}
          value={draft.from ?? ''}
          onChange={set('from')}
          data-testid="audit-from"
        />
        <DateField
          label={t('audit.filters.to')}
          value={draft.to ?? ''}
          onChange={set('to')}
          data-testid="audit-to"
        />
        <Select
          label={t('audit.filters.actor_id')}
          searchable
          clearable
          data={(actors.data?.items ?? []).map((actor) => ({
            value: actor.id,
            label: `${actor.display_name} (${t(`roles.${actor.role}`)})`,
          }))}
          value={draft.actor_id ?? null}
          onChange={set('actor_id')}
        />
        <Select
          label={t('audit.filters.action')}
          searchable
          clearable
          data={options('actions')}
          value={draft.action ?? null}
          onChange={set('action')}
        />
        <Select
          label={t('audit.filters.entity')}
          searchable
          clearable
          data={options('entities')}
          value={draft.entity ?? null}
          onChange={set('entity')}
        />
        <TextInput
          label={t('audit.filters.entity_id')}
          description={t('audit.filters.entity_idHelp')}
          dir="ltr"
          value={draft.entity_id ?? ''}
          onChange={(event) => set('entity_id')(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Group mb="md">
        <Button type="submit" variant="light">
          {t('common.filter')}
        </Button>
        <Button
          variant="subtle"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          {t('common.clear')}
        </Button>
      </Group>
    </form>
  );
}

export default function Audit() {
  const { t } = useTranslation();
  const format = useFormat();
  const count = useCount();
  const [filters, setFilters] = useState<Filters>({});
  const events = useInfiniteQuery({
    queryKey: ['audit-events', 'log', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>(
        '/audit-events',
        { ...filters, limit: 100, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const [recordedHead, setRecordedHead] = useState('');
  const verify = useMutation({
    mutationFn: () => {
      const head = recordedHead.trim();
      return api.post<Verification>(
        `/audit-events/verify${head ? `?head=${encodeURIComponent(head)}` : ''}`,
      );
    },
  });
  return (
    <>
      <PageHeader
        title={t('menu.audit')}
        actions={
          <Group>
            <Button
              component="a"
              variant="default"
              href={withQuery(`${apiBase}/exports/audit-events.csv`, filters)}
              download
              data-testid="export-audit"
            >
              {t('audit.export')}
            </Button>
            <Button
              onClick={() => verify.mutate()}
              loading={verify.isPending}
              data-testid="verify-audit"
            >
              {t('audit.verify')}
            </Button>
          </Group>
        }
      />
      <TextInput
        label={t('audit.recordedHead')}
        description={t('audit.recordedHeadHelp')}
        dir="ltr"
        mb="sm"
        value={recordedHead}
        onChange={(event) => setRecordedHead(event.currentTarget.value)}
        data-testid="recorded-head"
      />
      <ProblemAlert error={verify.error} />
      {verify.data && (
        <Alert
          color={verify.data.ok ? 'teal' : 'red'}
          role="status"
          mb="md"
          data-testid="verify-result"
          title={verify.data.ok ? t('audit.verifyOk') : t('audit.verifyBad')}
        >
          {verify.data.ok ? (
            <>
              {t('audit.verifyOkDetail', { events: count('events', verify.data.events) })}
              {verify.data.head && (
                <>
                  {' '}
                  {t('audit.headToKeep')}{' '}
                  <code dir="ltr" style={{ overflowWrap: 'anywhere' }} data-testid="audit-head">
                    {verify.data.head}
                  </code>
                </>
              )}
            </>
          ) : (
            t('audit.verifyBadDetail', {
              seq: format.number(verify.data.first_bad?.seq ?? 0),
              reason: t(`audit.reasons.${verify.data.first_bad?.reason ?? 'hash-mismatch'}`),
            })
          )}
        </Alert>
      )}
      <AuditFilters onApply={setFilters} />
      <QueryState isPending={events.isPending} error={events.error}>
        <AuditTable events={events.data?.pages.flatMap((page) => page.items) ?? []} />
        {events.hasNextPage && (
          <Group justify="center">
            <Button
              variant="default"
              onClick={() => void events.fetchNextPage()}
              loading={events.isFetchingNextPage}
            >
              {t('common.more')}
            </Button>
          </Group>
        )}
      </QueryState>
    </>
  );
}
