/** Register or edit a household; the API's field errors appear in plain words beside each field. */
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  editableStatuses,
  memberRelations as relations,
  memberSexes as sexes,
} from '../../../../src/shared/vocabulary.js';
import { ApiError } from '../../api/client';
import { useHousehold, useSaveHousehold, useVulnerabilityTags } from '../../api/households';
import type { Household, Member } from '../../api/types';
import { AreaSelect } from '../../components/AreaSelect';
import { Loading, PageHeader, ProblemAlert } from '../../components/Page';
import { toWesternDigits } from '../../lib/digits';
import { useLabel } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';
import { duplicateReason } from './common';
import { HouseholdSide } from './Duplicates';

interface LikelyDuplicate {
  score: number;
  reason: string;
  household: Household;
}

/** The similar households of a 409 `likely-duplicate`, shown before saving. */
function likelyDuplicates(error: unknown): LikelyDuplicate[] {
  if (!(error instanceof ApiError) || error.code !== 'likely-duplicate') return [];
  return Array.isArray(error.body.candidates) ? (error.body.candidates as LikelyDuplicate[]) : [];
}

/** The draft as a household, for the comparison beside a registered one. */
function draftHousehold(draft: Draft, like: Household): Household {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const names = [
    draft.head_given_name,
    draft.head_father_name,
    draft.head_grandfather_name,
    draft.head_family_name,
  ];
  const size = Number(toWesternDigits(draft.household_size.trim()));
  return {
    ...like,
    id: '',
    card_number: toWesternDigits(draft.card_number.trim()),
    head_given_name: draft.head_given_name,
    head_father_name: draft.head_father_name,
    head_grandfather_name: text(draft.head_grandfather_name),
    head_family_name: draft.head_family_name,
    head_full_name: names
      .map((name) => name.trim())
      .filter(Boolean)
      .join(' '),
    head_name_latin: text(draft.head_name_latin),
    national_id: text(toWesternDigits(draft.national_id)),
    phone: text(draft.phone),
    household_size: Number.isInteger(size) && size > 0 ? size : draft.members.length + 1,
    area_pcode: draft.area_pcode ?? '',
    area_name_ar: draft.area_pcode === like.area_pcode ? like.area_name_ar : '',
    area_name_en: draft.area_pcode === like.area_pcode ? like.area_name_en : '',
    address: text(draft.address),
    members: draft.members.map((member) => ({
      name: member.name,
      sex: member.sex as Member['sex'],
      birth_year: null,
      relation: member.relation,
    })),
    status: 'active',
  };
}

interface MemberDraft {
  name: string;
  sex: string | null;
  birth_year: string;
  relation: Member['relation'];
}

interface Draft {
  card_number: string;
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string;
  head_family_name: string;
  head_name_latin: string;
  national_id: string;
  phone: string;
  household_size: string;
  area_pcode: string | null;
  address: string;
  tags: string[];
  members: MemberDraft[];
  consent_date: string;
  status: string;
  status_reason: string;
}

const emptyDraft: Draft = {
  card_number: '',
  head_given_name: '',
  head_father_name: '',
  head_grandfather_name: '',
  head_family_name: '',
  head_name_latin: '',
  national_id: '',
  phone: '',
  household_size: '',
  area_pcode: null,
  address: '',
  tags: [],
  members: [],
  consent_date: '',
  status: 'active',
  status_reason: '',
};

function draftOf(household: Household): Draft {
  return {
    card_number: household.card_number,
    head_given_name: household.head_given_name,
    head_father_name: household.head_father_name,
    head_grandfather_name: household.head_grandfather_name ?? '',
    head_family_name: household.head_family_name,
    head_name_latin: household.head_name_latin ?? '',
    national_id: household.national_id ?? '',
    phone: household.phone ?? '',
    household_size: String(household.household_size),
    area_pcode: household.area_pcode,
    address: household.address ?? '',
    tags: household.tags ?? [],
    members: (household.members ?? []).map((member: Member) => ({
      name: member.name,
      sex: member.sex,
      birth_year: member.birth_year === null ? '' : String(member.birth_year),
      relation: member.relation,
    })),
    consent_date: household.consent_date ?? '',
    status: household.status,
    status_reason: '',
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
/** Digits as a number when they are one; otherwise the text, for the API to name the problem. */
const number = (text: string) => {
  const western = toWesternDigits(text.trim());
  if (western === '') return null;
  return /^\d+$/u.test(western) ? Number(western) : western;
};

function bodyOf(draft: Draft, original: Household | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {
    head_given_name: draft.head_given_name.trim(),
    head_father_name: draft.head_father_name.trim(),
    head_grandfather_name: orNull(draft.head_grandfather_name),
    head_family_name: draft.head_family_name.trim(),
    head_name_latin: orNull(draft.head_name_latin),
    national_id: orNull(toWesternDigits(draft.national_id)),
    phone: orNull(toWesternDigits(draft.phone)),
    area_pcode: draft.area_pcode ?? '',
    address: orNull(draft.address),
    tags: draft.tags,
    members: draft.members.map((member) => ({
      name: member.name.trim(),
      sex: member.sex,
      birth_year: number(member.birth_year),
      relation: member.relation,
    })),
    consent_date: orNull(toWesternDigits(draft.consent_date)),
  };
  // Left empty, the size is not sent: the server counts the head and the listed members.
  const size = number(draft.household_size);
  if (size !== null) body.household_size = size;
  if (!original) {
    body.card_number = orNull(toWesternDigits(draft.card_number));
  } else if (draft.status !== original.status) {
    body.status = draft.status;
    body.status_reason = draft.status_reason.trim();
  }
  return body;
}

export default function HouseholdForm() {
  const { id } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const existing = useHousehold(id);
  const tags = useVulnerabilityTags();
  const save = useSaveHousehold(id);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [savedAnywayReason, setSavedAnywayReason] = useState('');

  useEffect(() => {
    if (existing.data) setDraft(draftOf(existing.data));
  }, [existing.data]);

  if (id && existing.isPending) return <Loading />;
  if (id && existing.error) return <ProblemAlert error={existing.error} />;

  const errors = fieldErrors(t, save.error);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const setMember = (index: number, change: Partial<MemberDraft>) =>
    setDraft((current) => ({
      ...current,
      members: current.members.map((member, at) =>
        at === index ? { ...member, ...change } : member,
      ),
    }));
  const text = (
    key: keyof Draft,
    props: { required?: boolean; dir?: 'ltr'; inputMode?: 'numeric' | 'tel' } = {},
  ) => ({
    label: t(`households.fields.${key}`),
    name: key,
    value: draft[key] as string,
    onChange: (event: { currentTarget: { value: string } }) =>
      set(key, event.currentTarget.value as never),
    error: errors[key],
    required: props.required,
    dir: props.dir,
    inputMode: props.inputMode,
  });

  const submit = (event: FormEvent | null, saveAnyway = false) => {
    event?.preventDefault();
    const body = bodyOf(draft, existing.data);
    if (saveAnyway) {
      body.confirm_not_duplicate = true;
      body.duplicate_reason = savedAnywayReason.trim();
    }
    save.mutate(body, {
      onSuccess: (saved) =>
        navigate(`/households/${saved.id}`, {
          state: { warnings: saved.warnings ?? [], duplicates: saved.duplicate_candidates ?? [] },
        }),
    });
  };

  const conflictHousehold =
    save.error instanceof ApiError && typeof save.error.body.household_id === 'string'
      ? save.error.body.household_id
      : null;
  const likely = likelyDuplicates(save.error);

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={id ? t('households.editTitle') : t('households.registerTitle')}
    >
      <PageHeader title={id ? t('households.editTitle') : t('households.registerTitle')} />
      <Stack gap="md" maw={900}>
        {likely.length === 0 && <ProblemAlert error={save.error} />}
        {likely.length > 0 && (
          <Paper withBorder p="md" role="region" aria-label={t('households.likely.title')}>
            <Stack gap="sm">
              <Alert color="orange" title={t('households.likely.title')}>
                {t('households.likely.explained')}
              </Alert>
              {likely.map((candidate) => (
                <SimpleGrid key={candidate.household.id} cols={{ base: 1, sm: 2 }}>
                  <HouseholdSide
                    household={draftHousehold(draft, candidate.household)}
                    title={t('households.likely.entered')}
                    link={false}
                  />
                  <HouseholdSide
                    household={candidate.household}
                    title={`${t('households.likely.registered')} (${duplicateReason(t, candidate.reason)})`}
                  />
                </SimpleGrid>
              ))}
              <Textarea
                label={t('households.likely.reason')}
                description={t('households.likely.reasonHint')}
                value={savedAnywayReason}
                onChange={(event) => setSavedAnywayReason(event.currentTarget.value)}
                required
                autosize
                minRows={2}
              />
              <Group>
                <Button
                  color="orange"
                  disabled={savedAnywayReason.trim() === ''}
                  loading={save.isPending}
                  onClick={() => submit(null, true)}
                >
                  {t('households.likely.saveAnyway')}
                </Button>
                <Button variant="default" component={Link} to="/households">
                  {t('households.likely.dontSave')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        )}
        {conflictHousehold && (
          <Alert color="orange">
            <Anchor component={Link} to={`/households/${conflictHousehold}`}>
              {t('households.openExisting')}
            </Anchor>
          </Alert>
        )}
        <Fieldset legend={t('households.sections.head')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput {...text('head_given_name', { required: true })} />
            <TextInput {...text('head_father_name', { required: true })} />
            <TextInput {...text('head_grandfather_name')} />
            <TextInput {...text('head_family_name', { required: true })} />
            <TextInput {...text('head_name_latin', { dir: 'ltr' })} />
            <TextInput {...text('national_id', { dir: 'ltr', inputMode: 'numeric' })} />
            <TextInput {...text('phone', { dir: 'ltr', inputMode: 'tel' })} type="tel" />
            {!id && (
              <TextInput
                {...text('card_number', { dir: 'ltr', inputMode: 'numeric' })}
                description={t('households.cardNumberHint')}
              />
            )}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={t('households.sections.place')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <AreaSelect
              label={t('households.fields.area_pcode')}
              required
              value={draft.area_pcode}
              onChange={(pcode) => set('area_pcode', pcode)}
              levels={['community', 'subdistrict']}
              error={errors.area_pcode}
              name="area_pcode"
            />
            <TextInput
              {...text('household_size', { inputMode: 'numeric' })}
              description={t('households.sizeHint')}
            />
          </SimpleGrid>
          <Textarea mt="sm" autosize minRows={2} {...text('address')} />
          <MultiSelect
            mt="sm"
            label={t('households.fields.tags')}
            data={(tags.data?.items ?? []).map((item) => ({
              value: item.code,
              label: label(item, item.code),
            }))}
            value={draft.tags}
            onChange={(value) => set('tags', value)}
            error={errors.tags}
            searchable
            clearable
          />
          <TextInput
            mt="sm"
            {...text('consent_date', { dir: 'ltr' })}
            type="date"
            description={t('households.consentHint')}
          />
        </Fieldset>
        <Fieldset legend={t('households.sections.members')}>
          <Stack gap="sm">
            {draft.members.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('households.noMembers')}
              </Text>
            )}
            {draft.members.map((member, index) => (
              <Paper key={index} withBorder p="sm">
                <SimpleGrid cols={{ base: 1, sm: 4 }}>
                  <TextInput
                    label={t('households.member.name')}
                    value={member.name}
                    onChange={(event) => setMember(index, { name: event.currentTarget.value })}
                    error={errors[`members.${index}.name`] ?? errors[`members.${index}`]}
                    required
                  />
                  <Select
                    label={t('households.member.sex')}
                    value={member.sex}
                    onChange={(value) => setMember(index, { sex: value })}
                    data={sexes.map((value) => ({ value, label: t(`households.sexes.${value}`) }))}
                    error={errors[`members.${index}.sex`]}
                    clearable
                  />
                  <TextInput
                    label={t('households.member.birth_year')}
                    value={member.birth_year}
                    inputMode="numeric"
                    onChange={(event) =>
                      setMember(index, { birth_year: event.currentTarget.value })
                    }
                    error={errors[`members.${index}.birth_year`]}
                  />
                  <Select
                    label={t('households.member.relation')}
                    value={member.relation}
                    onChange={(value) => setMember(index, { relation: value })}
                    data={relations.map((value) => ({
                      value,
                      label: t(`households.relations.${value}`),
                    }))}
                    error={errors[`members.${index}.relation`]}
                    clearable
                  />
                </SimpleGrid>
                <Group justify="flex-end" mt="xs">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('households.member.remove', { index: index + 1 })}
                    onClick={() =>
                      setDraft((current) => ({
                        ...current,
                        members: current.members.filter((_, at) => at !== index),
                      }))
                    }
                  >
                    ×
                  </ActionIcon>
                </Group>
              </Paper>
            ))}
            <Button
              variant="light"
              onClick={() =>
                setDraft((current) => ({
                  ...current,
                  members: [
                    ...current.members,
                    { name: '', sex: null, birth_year: '', relation: null },
                  ],
                }))
              }
            >
              {t('households.member.add')}
            </Button>
            {errors.members && (
              <Text c="red" size="sm" role="alert">
                {errors.members}
              </Text>
            )}
          </Stack>
        </Fieldset>
        {id && existing.data && (
          <Fieldset legend={t('common.status')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('common.status')}
                value={draft.status}
                onChange={(value) => set('status', value ?? existing.data.status)}
                data={editableStatuses.map((value) => ({
                  value,
                  label: t(`households.statuses.${value}`),
                }))}
                error={errors.status}
                allowDeselect={false}
              />
              {draft.status !== existing.data.status && (
                <TextInput {...text('status_reason', { required: true })} />
              )}
            </SimpleGrid>
          </Fieldset>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {id ? t('common.save') : t('households.register')}
          </Button>
          <Button variant="default" component={Link} to={id ? `/households/${id}` : '/households'}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
