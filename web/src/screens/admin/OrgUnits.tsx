/** The organisation's tree (branch > sections > units) and the areas each covers. */
import { Badge, Select, SimpleGrid, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateOrgUnit, useOrgUnits } from '../../api/admin';
import { useCan } from '../../lib/use-can';
import { AreaListInput } from '../../components/AreaListInput';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

const kinds = ['branch', 'section', 'unit'] as const;

export default function OrgUnits() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const units = useOrgUnits();
  const create = useCreateOrgUnit();
  const mayWrite = useCan('orgUnits.write');
  const [draft, setDraft] = useState({
    parent_id: null as string | null,
    kind: 'unit',
    name_ar: '',
    name_en: '',
    area_pcodes: [] as string[],
  });
  const errors = fieldErrors(t, create.error);
  const depth = (path: string) => Math.max(0, path.split('/').filter(Boolean).length - 1);
  return (
    <>
      <PageHeader title={t('menu.orgUnits')} />
      {mayWrite && (
        <CreatePanel
          title={t('admin.orgUnits.create')}
          pending={create.isPending}
          onSubmit={() => settled((callbacks) => create.mutate(draft, callbacks))}
        >
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('admin.orgUnits.parent')}
              clearable
              value={draft.parent_id}
              error={errors.parent_id}
              data={(units.data ?? []).map((unit) => ({
                value: unit.id,
                label: `${'— '.repeat(depth(unit.path))}${localName(unit)}`,
              }))}
              onChange={(value) => setDraft({ ...draft, parent_id: value })}
            />
            <Select
              label={t('common.type')}
              allowDeselect={false}
              value={draft.kind}
              error={errors.kind}
              data={kinds.map((kind) => ({
                value: kind,
                label: t(`admin.orgUnits.kinds.${kind}`),
              }))}
              onChange={(value) => setDraft({ ...draft, kind: value ?? 'unit' })}
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
          <AreaListInput
            label={t('admin.orgUnits.areas')}
            value={draft.area_pcodes}
            error={errors.area_pcodes}
            onChange={(area_pcodes) => setDraft({ ...draft, area_pcodes })}
          />
        </CreatePanel>
      )}
      <QueryState isPending={units.isPending} error={units.error}>
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('common.type')}</Table.Th>
                <Table.Th>{t('admin.orgUnits.areas')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(units.data ?? []).map((unit) => (
                <Table.Tr key={unit.id}>
                  <Table.Td style={{ paddingInlineStart: `${depth(unit.path) * 1.25 + 0.5}rem` }}>
                    {localName(unit)}
                  </Table.Td>
                  <Table.Td>
                    {t(`admin.orgUnits.kinds.${unit.kind}`, { defaultValue: unit.kind })}
                  </Table.Td>
                  <Table.Td>
                    {unit.area_pcodes.map((pcode) => (
                      <Badge key={pcode} variant="outline" me={4} className="ltr-value">
                        {pcode}
                      </Badge>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </>
  );
}
