/** Households: instant search that forgives spelling, filters, and paging by cursor. */
import { Anchor, Button, Group, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { apiBase, withQuery } from '../../api/client';
import { useHouseholdSearch, useVulnerabilityTags } from '../../api/households';
import { AreaSelect } from '../../components/AreaSelect';
import { PageHeader, ProblemAlert, Loading } from '../../components/Page';
import { useDebounced } from '../../lib/debounce';
import { useFormat } from '../../lib/format';
import { useLabel } from '../../lib/names';
import { useSettings } from '../../lib/settings-context';
import { householdStatuses, StatusBadge } from './common';
import { useCan } from '../../lib/use-can';

export default function HouseholdList() {
  const { t } = useTranslation();
  const format = useFormat();
  const label = useLabel();
  const { settings } = useSettings();
  const [q, setQ] = useState('');
  const [area, setArea] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const search = useDebounced(q.trim(), 250);
  const households = useHouseholdSearch({ q: search, area, tag, status });
  const tags = useVulnerabilityTags();
  const rows = households.data?.pages.flatMap((page) => page.items) ?? [];
  const mayRegister = useCan('households.write');

  return (
    <>
      <PageHeader
        title={t('households.title')}
        actions={
          mayRegister && (
            <>
              <Button component={Link} to="/households/duplicates" variant="light">
                {t('households.duplicates.title')}
              </Button>
              <Button
                component="a"
                variant="default"
                href={withQuery(`${apiBase}/exports/households.csv`, {
                  q: search,
                  area,
                  tag,
                  status,
                })}
                download
              >
                {t('households.export')}
              </Button>
              <Button component={Link} to="/households/new">
                {t('households.register')}
              </Button>
            </>
          )
        }
      />
      <TextInput
        label={t('households.search')}
        description={t('households.searchHint')}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        type="search"
        name="q"
        mb="sm"
        data-autofocus
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
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
      </SimpleGrid>
      <ProblemAlert error={households.error} />
      <Text size="sm" c="dimmed" aria-live="polite" mb="xs">
        {households.isFetching
          ? t('app.loading')
          : t('households.shown', { shown: format.number(rows.length) })}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table striped highlightOnHover data-testid="household-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('households.cardNumber')}</Table.Th>
              <Table.Th>{t('households.head')}</Table.Th>
              <Table.Th>{t('households.size')}</Table.Th>
              <Table.Th>{t('common.area')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((household) => (
              <Table.Tr key={household.id}>
                <Table.Td className="numeric">{format.digits(household.card_number)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/households/${household.id}`}>
                    {household.head_full_name}
                  </Anchor>
                </Table.Td>
                <Table.Td className="numeric">{format.number(household.household_size)}</Table.Td>
                <Table.Td>
                  {(settings.language === 'ar' ? household.area_name_ar : household.area_name_en) ??
                    household.area_pcode}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={household.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {households.isPending && <Loading />}
      {!households.isPending && rows.length === 0 && !households.error && (
        <Text c="dimmed" ta="center" py="md">
          {t('common.noResults')}
        </Text>
      )}
      {households.hasNextPage && (
        <Group justify="center" mt="md">
          <Button
            variant="default"
            onClick={() => void households.fetchNextPage()}
            loading={households.isFetchingNextPage}
          >
            {t('common.more')}
          </Button>
        </Group>
      )}
    </>
  );
}
