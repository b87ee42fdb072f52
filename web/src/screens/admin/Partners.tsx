/** Partners: the outside institutions (health directorate, bakeries, municipality…). */
import { Select, SimpleGrid, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { partnerKinds, useCreatePartner, usePartners } from '../../api/admin';
import { AreaSelect } from '../../components/AreaSelect';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

export default function Partners() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const [kind, setKind] = useState<string | null>(null);
  const partners = usePartners(kind);
  const create = useCreatePartner();
  const [draft, setDraft] = useState({
    kind: 'bakery',
    name_ar: '',
    name_en: '',
    area_pcode: null as string | null,
  });
  const errors = fieldErrors(t, create.error);
  const kindOptions = partnerKinds.map((value) => ({
    value,
    label: t(`admin.partners.kinds.${value}`),
  }));
  return (
    <>
      <PageHeader title={t('menu.partners')} />
      <CreatePanel
        title={t('admin.partners.create')}
        pending={create.isPending}
        onSubmit={() =>
          settled((callbacks) =>
            create.mutate({ ...draft, area_pcode: draft.area_pcode ?? '' }, callbacks),
          )
        }
      >
        <ProblemAlert error={create.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('common.type')}
            allowDeselect={false}
            data={kindOptions}
            value={draft.kind}
            error={errors.kind}
            onChange={(value) => setDraft({ ...draft, kind: value ?? 'other' })}
          />
          <AreaSelect
            label={t('common.area')}
            required
            value={draft.area_pcode}
            error={errors.area_pcode}
            onChange={(area_pcode) => setDraft({ ...draft, area_pcode })}
          />
          <TextInput
            label={t('admin.nameAr')}
            required
            value={draft.name_ar}
            error={errors.name_ar}
            onChange={(event) => setDraft({ ...draft, name_ar: event.currentTarget.value })}
          />
          <TextInput
            label={t('admin.nameEn')}
            dir="ltr"
            required
            value={draft.name_en}
            error={errors.name_en}
            onChange={(event) => setDraft({ ...draft, name_en: event.currentTarget.value })}
          />
        </SimpleGrid>
      </CreatePanel>
      <Select
        label={t('common.type')}
        clearable
        data={kindOptions}
        value={kind}
        onChange={setKind}
        maw={300}
        mb="md"
      />
      <QueryState isPending={partners.isPending} error={partners.error}>
        <Table.ScrollContainer minWidth={520}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('common.type')}</Table.Th>
                <Table.Th>{t('common.area')}</Table.Th>
                <Table.Th>{t('common.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(partners.data ?? []).map((partner) => (
                <Table.Tr key={partner.id}>
                  <Table.Td>{localName(partner)}</Table.Td>
                  <Table.Td>
                    {t(`admin.partners.kinds.${partner.kind}`, { defaultValue: partner.kind })}
                  </Table.Td>
                  <Table.Td className="ltr-value">{partner.area_pcode}</Table.Td>
                  <Table.Td>{format.date(partner.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </>
  );
}
