/** Print ration cards: one household's, or a sheet for the households matching the filters. */
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { apiBase, withQuery } from '../api/client';
import { useHousehold, useVulnerabilityTags } from '../api/households';
import { AreaSelect } from '../components/AreaSelect';
import { PageHeader } from '../components/Page';
import { useLabel } from '../lib/names';
import { useSettings } from '../lib/settings-context';
import { householdStatuses } from './households/common';

export default function Cards() {
  const { t } = useTranslation();
  const label = useLabel();
  const { settings } = useSettings();
  const [params] = useSearchParams();
  const householdId = params.get('household');
  const household = useHousehold(householdId ?? undefined);
  const tags = useVulnerabilityTags();
  const frame = useRef<HTMLIFrameElement>(null);
  const [q, setQ] = useState('');
  const [area, setArea] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>('active');
  const [limit, setLimit] = useState<number | string>(100);
  const [sheet, setSheet] = useState<string | null>(
    householdId
      ? withQuery(`${apiBase}/cards/sheet`, { household_id: householdId, digits: settings.digits })
      : null,
  );
  const [loaded, setLoaded] = useState(false);

  const show = (event: FormEvent) => {
    event.preventDefault();
    setLoaded(false);
    setSheet(
      withQuery(`${apiBase}/cards/sheet`, {
        q: q.trim(),
        area,
        tag,
        status,
        limit: Number(limit) || 100,
        digits: settings.digits,
      }),
    );
  };

  return (
    <>
      <PageHeader
        title={t('cards.title')}
        actions={
          sheet && (
            <Button onClick={() => frame.current?.contentWindow?.print()} disabled={!loaded}>
              {t('common.print')}
            </Button>
          )
        }
      />
      {householdId ? (
        <Alert color="blue" mb="md">
          {t('cards.oneHousehold', { name: household.data?.head_full_name ?? '' })}
        </Alert>
      ) : (
        <Paper
          withBorder
          p="md"
          mb="md"
          component="form"
          onSubmit={show}
          className="no-print"
          aria-label={t('cards.filters')}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('cards.filtersHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              <TextInput
                label={t('households.search')}
                value={q}
                onChange={(event) => setQ(event.currentTarget.value)}
              />
              <AreaSelect label={t('common.area')} value={area} onChange={setArea} />
              <Select
                label={t('households.tag')}
                clearable
                value={tag}
                onChange={setTag}
                data={(tags.data?.items ?? []).map((item) => ({
                  value: item.code,
                  label: label(item, item.code),
                }))}
              />
              <Select
                label={t('common.status')}
                clearable
                value={status}
                onChange={setStatus}
                data={householdStatuses.map((value) => ({
                  value,
                  label: t(`households.statuses.${value}`),
                }))}
              />
              <NumberInput
                label={t('cards.limit')}
                min={1}
                max={400}
                value={limit}
                onChange={setLimit}
              />
            </SimpleGrid>
            <Group>
              <Button type="submit">{t('cards.show')}</Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {sheet && (
        <iframe
          ref={frame}
          src={sheet}
          title={t('cards.sheet')}
          onLoad={() => setLoaded(true)}
          style={{
            width: '100%',
            minHeight: '70vh',
            border: '1px solid var(--mantine-color-gray-4)',
            borderRadius: 8,
            background: '#fff',
          }}
          data-testid="card-sheet"
        />
      )}
    </>
  );
}
