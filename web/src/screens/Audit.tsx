/** The audit log with filters, and "verify" that recomputes the hash chain. */
import { Alert, Button, Group, SimpleGrid, TextInput } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AuditEvent, Page } from '../api/types';
import { AuditTable } from '../components/AuditTrail';
import { PageHeader, ProblemAlert, QueryState } from '../components/Page';
import { useCount, useFormat } from '../lib/format';

interface Verification {
  ok: boolean;
  events: number;
  head: string | null;
  first_bad?: { seq: number; reason: string };
}

const filterKeys = ['entity', 'entity_id', 'actor_id', 'action'] as const;
type Filters = Partial<Record<(typeof filterKeys)[number], string>>;

export default function Audit() {
  const { t } = useTranslation();
  const format = useFormat();
  const count = useCount();
  const [draft, setDraft] = useState<Filters>({});
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
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const cleaned: Filters = {};
    for (const key of filterKeys) if (draft[key]?.trim()) cleaned[key] = draft[key]?.trim();
    setFilters(cleaned);
  };
  return (
    <>
      <PageHeader
        title={t('menu.audit')}
        actions={
          <Button
            onClick={() => verify.mutate()}
            loading={verify.isPending}
            data-testid="verify-audit"
          >
            {t('audit.verify')}
          </Button>
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
      <form onSubmit={apply} aria-label={t('common.filter')}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="sm">
          {filterKeys.map((key) => (
            <TextInput
              key={key}
              label={t(`audit.filters.${key}`)}
              dir={key === 'action' || key === 'entity' ? undefined : 'ltr'}
              value={draft[key] ?? ''}
              onChange={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
            />
          ))}
        </SimpleGrid>
        <Group mb="md">
          <Button type="submit" variant="light">
            {t('common.filter')}
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft({});
              setFilters({});
            }}
          >
            {t('common.clear')}
          </Button>
        </Group>
      </form>
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
