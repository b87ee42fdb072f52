/**
 * A programme: shown with its reach, or written (new, or an existing one edited) with a live
 * preview of the households reached and the totals.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Fieldset,
  Grid,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { request } from '../../api/client';
import { plainUnits, useCommodities } from '../../api/commodities';
import { useVulnerabilityTags } from '../../api/households';
import {
  useCreateProgramme,
  useCycles,
  useProgramme,
  useRulesPreview,
  useUpdateProgramme,
} from '../../api/planning';
import type { Preview, Programme, Rules } from '../../api/types';
import { AreaSelect } from '../../components/AreaSelect';
import { Loading, PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useDebounced } from '../../lib/debounce';
import { useFormat } from '../../lib/format';
import { useLabel, useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { useCan } from '../../lib/use-can';
import {
  draftOf,
  emptyDraft,
  householdStatuses,
  newItem,
  rulesInUse,
  rulesOf,
  type Draft,
  type ItemDraft,
  type TierDraft,
} from './programme-draft';
import { RulesSummary } from './RulesSummary';

function PreviewCard({
  preview,
  pending,
  error,
}: {
  preview: Preview | undefined;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  return (
    <Card withBorder aria-live="polite" data-testid="rules-preview">
      <Title order={3} size="h4" mb="xs">
        {t('programmes.preview')}
      </Title>
      <ProblemAlert error={error} />
      {!preview &&
        !error &&
        (pending ? <Loading /> : <Text c="dimmed">{t('programmes.previewIncomplete')}</Text>)}
      {preview && (
        <Stack gap="xs">
          <Text>
            {t('programmes.previewHouseholds')}{' '}
            <Text span fw={700} className="numeric" data-testid="preview-households">
              {format.number(preview.households)}
            </Text>
          </Text>
          <Table>
            <Table.Tbody>
              {preview.totals.map((total) => {
                const commodity = commodities.data?.get(total.commodity);
                return (
                  <Table.Tr key={total.commodity}>
                    <Table.Td>{commodity ? localName(commodity) : total.commodity}</Table.Td>
                    <Table.Td className="numeric">
                      {format.quantity(total.quantity, commodity ?? plainUnits)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Card>
  );
}

function ProgrammeView({ programme }: { programme: Programme }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const mayPlan = useCan('programmes.write');
  const preview = useQuery({
    queryKey: ['programmes', programme.id, 'preview'],
    queryFn: ({ signal }) =>
      request<Preview>('POST', `/programmes/${encodeURIComponent(programme.id)}/preview`, {
        body: {},
        signal,
      }),
    enabled: mayPlan,
  });
  return (
    <>
      <PageHeader
        title={localName(programme)}
        actions={
          mayPlan && (
            <>
              <Button variant="default" component={Link} to={`/programmes/${programme.id}/edit`}>
                {t('programmes.edit')}
              </Button>
              <Button component={Link} to={`/cycles?programme=${programme.id}`}>
                {t('cycles.create')}
              </Button>
            </>
          )
        }
      />
      <Card withBorder>
        <Text size="sm" c="dimmed" className="ltr-value">
          {programme.code}
        </Text>
        <RulesSummary rules={programme.rules} />
      </Card>
      {mayPlan && (
        <PreviewCard preview={preview.data} pending={preview.isPending} error={preview.error} />
      )}
    </>
  );
}

/**
 * Writes a new programme, or edits `programme` (its code stays). An edit sends only the fields
 * that changed, so renaming works while a cycle is open; `rulesLocked` says one is.
 */
function ProgrammeForm({
  programme,
  rulesLocked = false,
}: {
  programme?: Programme;
  rulesLocked?: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const localName = useLocalName();
  const label = useLabel();
  const commodities = useCommodities();
  const tags = useVulnerabilityTags();
  const create = useCreateProgramme();
  const update = useUpdateProgramme(programme?.id ?? '');
  const saving = programme ? update : create;
  // The saved rules as the draft expresses them, so that an untouched draft is no change.
  const [initial] = useState<{ draft: Draft; rules: Rules | null }>(() => {
    if (!programme) return { draft: emptyDraft, rules: null };
    const saved = draftOf(programme, commodities.data);
    return { draft: saved, rules: rulesOf(saved, commodities.data) };
  });
  const [draft, setDraft] = useState<Draft>(initial.draft);
  const [newArea, setNewArea] = useState<string | null>(null);
  const rules = useMemo(() => rulesOf(draft, commodities.data), [draft, commodities.data]);
  const settledRules = useDebounced(rules, 400);
  const preview = useRulesPreview(settledRules, draft.area_pcodes);
  const errors = fieldErrors(t, saving.error);
  const title = programme ? t('programmes.editTitle') : t('programmes.createTitle');

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const setItem = (index: number, change: Partial<ItemDraft>) =>
    setDraft((current) => ({
      ...current,
      items: current.items.map((item, at) => (at === index ? { ...item, ...change } : item)),
    }));
  const tagOptions = (tags.data?.items ?? []).map((tag) => ({
    value: tag.code,
    label: label(tag, tag.code),
  }));
  const commodityOptions = [...(commodities.data?.values() ?? [])].map((commodity) => ({
    value: commodity.code,
    label: localName(commodity),
  }));
  const unitOf = (code: string | null) => {
    const commodity = code ? commodities.data?.get(code) : undefined;
    return commodity
      ? t(`units.${commodity.display_unit}`, { defaultValue: commodity.display_unit })
      : '';
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!rules) return;
    if (programme) {
      const nameAr = draft.name_ar.trim();
      const nameEn = draft.name_en.trim();
      const changes = {
        ...(nameAr !== programme.name_ar ? { name_ar: nameAr } : {}),
        ...(nameEn !== programme.name_en ? { name_en: nameEn } : {}),
        ...(JSON.stringify(rules) !== JSON.stringify(initial.rules) ? { rules } : {}),
      };
      const back = () => navigate(`/programmes/${programme.id}`);
      if (Object.keys(changes).length === 0) back();
      else update.mutate(changes, { onSuccess: back });
      return;
    }
    create.mutate(
      {
        code: draft.code.trim(),
        name_ar: draft.name_ar.trim(),
        name_en: draft.name_en.trim(),
        rules,
      },
      { onSuccess: (programme) => navigate(`/programmes/${programme.id}`) },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={title}>
      <PageHeader title={title} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {rulesLocked && (
              <Alert color="yellow" data-testid="rules-locked">
                {t('programmes.rulesLocked')}
              </Alert>
            )}
            <ProblemAlert error={saving.error} />
            <Fieldset legend={t('programmes.sections.identity')}>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label={t('programmes.fields.code')}
                  description={programme ? t('programmes.codeFixed') : t('programmes.codeHint')}
                  dir="ltr"
                  required
                  readOnly={Boolean(programme)}
                  value={draft.code}
                  onChange={(event) => set('code', event.currentTarget.value)}
                  error={errors.code}
                />
                <TextInput
                  label={t('programmes.fields.name_ar')}
                  required
                  value={draft.name_ar}
                  onChange={(event) => set('name_ar', event.currentTarget.value)}
                  error={errors.name_ar}
                />
                <TextInput
                  label={t('programmes.fields.name_en')}
                  dir="ltr"
                  required
                  value={draft.name_en}
                  onChange={(event) => set('name_en', event.currentTarget.value)}
                  error={errors.name_en}
                />
              </SimpleGrid>
            </Fieldset>
            <Fieldset legend={t('programmes.sections.eligibility')}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <MultiSelect
                  label={t('programmes.fields.statuses')}
                  data={householdStatuses.map((value) => ({
                    value,
                    label: t(`households.statuses.${value}`),
                  }))}
                  value={draft.statuses}
                  onChange={(value) => set('statuses', value)}
                  error={errors['rules.eligibility.statuses']}
                />
                <MultiSelect
                  label={t('programmes.fields.tags_any')}
                  data={tagOptions}
                  value={draft.tags_any}
                  onChange={(value) => set('tags_any', value)}
                  error={errors['rules.eligibility.tags_any']}
                />
                <MultiSelect
                  label={t('programmes.fields.tags_all')}
                  data={tagOptions}
                  value={draft.tags_all}
                  onChange={(value) => set('tags_all', value)}
                  error={errors['rules.eligibility.tags_all']}
                />
                <MultiSelect
                  label={t('programmes.fields.tags_none')}
                  data={tagOptions}
                  value={draft.tags_none}
                  onChange={(value) => set('tags_none', value)}
                  error={errors['rules.eligibility.tags_none']}
                />
              </SimpleGrid>
              <Group align="flex-end" mt="sm">
                <AreaSelect
                  label={t('programmes.fields.area_pcodes')}
                  value={newArea}
                  onChange={setNewArea}
                  style={{ flex: 1 }}
                />
                <Button
                  variant="light"
                  disabled={!newArea}
                  onClick={() => {
                    if (newArea && !draft.area_pcodes.includes(newArea))
                      set('area_pcodes', [...draft.area_pcodes, newArea]);
                    setNewArea(null);
                  }}
                >
                  {t('common.add')}
                </Button>
              </Group>
              <Group gap={4} mt="xs">
                {draft.area_pcodes.map((pcode) => (
                  <Button
                    key={pcode}
                    size="compact-xs"
                    variant="outline"
                    aria-label={t('programmes.removeArea', { pcode })}
                    onClick={() =>
                      set(
                        'area_pcodes',
                        draft.area_pcodes.filter((other) => other !== pcode),
                      )
                    }
                  >
                    {pcode} ×
                  </Button>
                ))}
              </Group>
            </Fieldset>
            <Fieldset legend={t('programmes.sections.items')}>
              <Stack gap="sm">
                {draft.items.map((item, index) => (
                  <Paper key={index} withBorder p="sm">
                    <Group align="flex-end" wrap="wrap">
                      <Select
                        label={t('programmes.fields.commodity')}
                        data={commodityOptions}
                        value={item.commodity}
                        onChange={(value) => setItem(index, { commodity: value })}
                        error={errors[`rules.items.${index}.commodity`]}
                        required
                      />
                      <SegmentedControl
                        aria-label={t('programmes.fields.mode')}
                        value={item.mode}
                        onChange={(value) => setItem(index, { mode: value as ItemDraft['mode'] })}
                        data={[
                          { value: 'per_person', label: t('programmes.modes.per_person') },
                          { value: 'tiers', label: t('programmes.modes.tiers') },
                        ]}
                      />
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('programmes.removeItem', { index: index + 1 })}
                        onClick={() =>
                          set(
                            'items',
                            draft.items.filter((_, at) => at !== index),
                          )
                        }
                        disabled={draft.items.length === 1}
                      >
                        ×
                      </ActionIcon>
                    </Group>
                    {item.mode === 'per_person' ? (
                      <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
                        <TextInput
                          label={t('programmes.fields.per_person', {
                            unit: unitOf(item.commodity),
                          })}
                          inputMode="decimal"
                          required
                          value={item.per_person}
                          onChange={(event) =>
                            setItem(index, { per_person: event.currentTarget.value })
                          }
                          error={errors[`rules.items.${index}.per_person`]}
                        />
                        <TextInput
                          label={t('programmes.fields.min', { unit: unitOf(item.commodity) })}
                          inputMode="decimal"
                          value={item.min}
                          onChange={(event) => setItem(index, { min: event.currentTarget.value })}
                          error={errors[`rules.items.${index}.min`]}
                        />
                        <TextInput
                          label={t('programmes.fields.max', { unit: unitOf(item.commodity) })}
                          inputMode="decimal"
                          value={item.max}
                          onChange={(event) => setItem(index, { max: event.currentTarget.value })}
                          error={errors[`rules.items.${index}.max`]}
                        />
                      </SimpleGrid>
                    ) : (
                      <Stack gap="xs" mt="sm">
                        {item.tiers.map((tier, tierIndex) => {
                          const last = tierIndex === item.tiers.length - 1;
                          const setTier = (change: Partial<TierDraft>) =>
                            setItem(index, {
                              tiers: item.tiers.map((other, at) =>
                                at === tierIndex ? { ...other, ...change } : other,
                              ),
                            });
                          return (
                            <Group key={tierIndex} align="flex-end" wrap="wrap">
                              <TextInput
                                label={
                                  last
                                    ? t('programmes.fields.size_max_last')
                                    : t('programmes.fields.size_max')
                                }
                                inputMode="numeric"
                                value={tier.size_max}
                                onChange={(event) =>
                                  setTier({ size_max: event.currentTarget.value })
                                }
                                error={errors[`rules.items.${index}.tiers.${tierIndex}.size_max`]}
                              />
                              <TextInput
                                label={t('programmes.fields.quantity', {
                                  unit: unitOf(item.commodity),
                                })}
                                inputMode="decimal"
                                value={tier.quantity}
                                onChange={(event) =>
                                  setTier({ quantity: event.currentTarget.value })
                                }
                                error={errors[`rules.items.${index}.tiers.${tierIndex}.quantity`]}
                              />
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={t('programmes.removeTier', { index: tierIndex + 1 })}
                                disabled={item.tiers.length === 1}
                                onClick={() =>
                                  setItem(index, {
                                    tiers: item.tiers.filter((_, at) => at !== tierIndex),
                                  })
                                }
                              >
                                ×
                              </ActionIcon>
                            </Group>
                          );
                        })}
                        <Button
                          variant="subtle"
                          size="xs"
                          onClick={() =>
                            setItem(index, {
                              tiers: [...item.tiers, { size_max: '', quantity: '' }],
                            })
                          }
                        >
                          {t('programmes.addTier')}
                        </Button>
                      </Stack>
                    )}
                  </Paper>
                ))}
                <Button variant="light" onClick={() => set('items', [...draft.items, newItem()])}>
                  {t('programmes.addItem')}
                </Button>
              </Stack>
            </Fieldset>
            {!rules && <Alert color="gray">{t('programmes.previewIncomplete')}</Alert>}
            <Group>
              <Button type="submit" disabled={!rules} loading={saving.isPending}>
                {t('common.save')}
              </Button>
              <Button
                variant="default"
                component={Link}
                to={programme ? `/programmes/${programme.id}` : '/programmes'}
              >
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <PreviewCard
            preview={rules ? preview.data : undefined}
            pending={preview.isFetching}
            error={preview.error}
          />
          {rules && (
            <Card withBorder mt="md">
              <RulesSummary rules={rules} />
            </Card>
          )}
        </Grid.Col>
      </Grid>
    </form>
  );
}

/** An existing programme in the form, once it, the commodities' units and its cycles are known. */
export function ProgrammeEdit() {
  const { id } = useParams();
  const programme = useProgramme(id);
  const commodities = useCommodities();
  const cycles = useCycles({ programme_id: id ?? null });
  const rulesLocked = (cycles.data ?? []).some((cycle) => rulesInUse.includes(cycle.status));
  return (
    <QueryState
      isPending={programme.isPending || commodities.isPending || cycles.isPending}
      error={programme.error ?? commodities.error ?? cycles.error}
    >
      {programme.data && (
        <ProgrammeForm
          key={programme.data.id}
          programme={programme.data}
          rulesLocked={rulesLocked}
        />
      )}
    </QueryState>
  );
}

export default function ProgrammeEditor() {
  const { id } = useParams();
  const programme = useProgramme(id);
  if (!id) return <ProgrammeForm />;
  return (
    <QueryState isPending={programme.isPending} error={programme.error}>
      {programme.data && <ProgrammeView programme={programme.data} />}
    </QueryState>
  );
}
