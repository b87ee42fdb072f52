/** Duplicate candidates waiting for review, and the side-by-side review that keeps both or merges. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  useDuplicate,
  useDuplicates,
  useHousehold,
  useResolveDuplicate,
} from '../../api/households';
import type { Household } from '../../api/types';
import { Loading, PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useSettings } from '../../lib/settings-context';
import { duplicateReason } from './common';

export function DuplicateList() {
  const { t } = useTranslation();
  const format = useFormat();
  const duplicates = useDuplicates('open');
  const rows = duplicates.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title={t('households.duplicates.title')} />
      <QueryState isPending={duplicates.isPending} error={duplicates.error}>
        {rows.length === 0 ? (
          <Text c="dimmed">{t('households.duplicates.none')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('households.duplicates.pair')}</Table.Th>
                  <Table.Th>{t('households.duplicates.score')}</Table.Th>
                  <Table.Th>{t('households.duplicates.reason')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((candidate) => (
                  <Table.Tr key={candidate.id}>
                    <Table.Td>
                      {candidate.household?.head_full_name ?? candidate.household_id}
                      {' ⇄ '}
                      {candidate.other_household?.head_full_name ?? candidate.other_household_id}
                    </Table.Td>
                    <Table.Td className="numeric">{format.percent(candidate.score)}</Table.Td>
                    <Table.Td>{duplicateReason(t, candidate.reason)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        component={Link}
                        to={`/households/duplicates/${candidate.id}`}
                      >
                        {t('households.duplicates.review')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {duplicates.hasNextPage && (
          <Button variant="default" onClick={() => void duplicates.fetchNextPage()}>
            {t('common.more')}
          </Button>
        )}
      </QueryState>
    </>
  );
}

const comparedFields = [
  'card_number',
  'head_full_name',
  'head_name_latin',
  'national_id',
  'phone',
  'household_size',
  'area_pcode',
  'address',
  'status',
] as const;

/** One household of a side-by-side comparison (the duplicate review, and the form before saving). */
export function HouseholdSide({
  household,
  title,
  link = true,
}: {
  household: Household | undefined;
  title: string;
  link?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { settings } = useSettings();
  if (!household) return <Loading />;
  const value = (field: (typeof comparedFields)[number]): string => {
    switch (field) {
      case 'household_size':
        return format.number(household.household_size);
      case 'area_pcode':
        return `${(settings.language === 'ar' ? household.area_name_ar : household.area_name_en) ?? ''} ${household.area_pcode}`;
      case 'status':
        return t(`households.statuses.${household.status}`, { defaultValue: household.status });
      case 'card_number':
      case 'national_id':
      case 'phone':
        return household[field] ? format.digits(household[field] ?? '') : '—';
      default:
        return household[field] ?? '—';
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <Stack gap={6}>
        {comparedFields.map((field) => (
          <div key={field}>
            <Text size="xs" c="dimmed">
              {t(`households.fields.${field}`)}
            </Text>
            <Text>{value(field)}</Text>
          </div>
        ))}
        <Text size="xs" c="dimmed">
          {t('households.sections.members')}
        </Text>
        <Text>
          {(household.members ?? []).map((member) => member.name).join(t('common.listSeparator')) ||
            '—'}
        </Text>
        {link && (
          <Anchor component={Link} to={`/households/${household.id}`} size="sm">
            {t('households.openRecord')}
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}

export function DuplicateReview() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const candidate = useDuplicate(id);
  const first = useHousehold(candidate.data?.household_id);
  const second = useHousehold(candidate.data?.other_household_id);
  const resolve = useResolveDuplicate(id ?? '');
  const open = candidate.data?.status === 'open';
  const done = () => navigate('/households/duplicates');

  return (
    <QueryState isPending={candidate.isPending} error={candidate.error}>
      <PageHeader title={t('households.duplicates.reviewTitle')} />
      {candidate.data && (
        <>
          <Group gap="xs">
            <Badge variant="light">{duplicateReason(t, candidate.data.reason)}</Badge>
            {!open && (
              <Badge color="gray">
                {t(`households.duplicates.statuses.${candidate.data.status}`, {
                  defaultValue: candidate.data.status,
                })}
              </Badge>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <HouseholdSide household={first.data} title={t('households.duplicates.first')} />
            <HouseholdSide household={second.data} title={t('households.duplicates.second')} />
          </SimpleGrid>
          <ProblemAlert error={first.error ?? second.error ?? resolve.error} />
          {open && first.data && second.data && (
            <>
              <Alert color="blue">{t('households.duplicates.mergeExplained')}</Alert>
              <Group>
                <Button
                  variant="default"
                  loading={resolve.isPending}
                  onClick={() => resolve.mutate({ action: 'keep_both' }, { onSuccess: done })}
                >
                  {t('households.duplicates.keepBoth')}
                </Button>
                <Button
                  color="orange"
                  loading={resolve.isPending}
                  onClick={() =>
                    resolve.mutate({ action: 'merge', keep: first.data.id }, { onSuccess: done })
                  }
                >
                  {t('households.duplicates.keepFirst')}
                </Button>
                <Button
                  color="orange"
                  loading={resolve.isPending}
                  onClick={() =>
                    resolve.mutate({ action: 'merge', keep: second.data.id }, { onSuccess: done })
                  }
                >
                  {t('households.duplicates.keepSecond')}
                </Button>
              </Group>
            </>
          )}
        </>
      )}
    </QueryState>
  );
}
