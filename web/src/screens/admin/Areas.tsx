/** Areas: walk down from the governorates; add communities (neighbourhood, town, village, farm) under a subdistrict. */
import {
  Anchor,
  Breadcrumbs,
  Button,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useAreaChildren, useCreateCommunity } from '../../api/admin';
import type { Area } from '../../api/types';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { parseDecimal } from '../../lib/digits';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

const communityKinds = ['neighbourhood', 'town', 'village', 'farm'] as const;

export default function Areas() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [parent, setParent] = useState<string | null>(null);
  const children = useAreaChildren(parent);
  const current = useQuery({
    queryKey: ['areas', parent],
    queryFn: ({ signal }) =>
      api.get<Area>(`/areas/${encodeURIComponent(parent ?? '')}`, undefined, signal),
    enabled: parent !== null,
  });
  const create = useCreateCommunity();
  const [draft, setDraft] = useState({
    pcode: '',
    kind: 'neighbourhood',
    name_ar: '',
    name_en: '',
    latitude: '',
    longitude: '',
  });
  const errors = fieldErrors(t, create.error);
  // The path '/SY/SY06/SY0600/' names every ancestor, for the breadcrumbs.
  const ancestors = current.data ? current.data.path.split('/').filter(Boolean) : [];
  const subdistrict = current.data?.level === 'subdistrict' ? current.data : null;

  return (
    <>
      <PageHeader title={t('menu.areas')} />
      <Breadcrumbs mb="md" separator="›">
        <Anchor component="button" type="button" onClick={() => setParent(null)}>
          {t('admin.areas.top')}
        </Anchor>
        {ancestors.map((pcode) => (
          <Anchor
            key={pcode}
            component="button"
            type="button"
            onClick={() => setParent(pcode)}
            className="ltr-value"
          >
            {pcode === current.data?.pcode ? localName(current.data) : pcode}
          </Anchor>
        ))}
      </Breadcrumbs>
      {subdistrict && (
        <CreatePanel
          title={t('admin.areas.addCommunity', { parent: localName(subdistrict) })}
          pending={create.isPending}
          onSubmit={() =>
            settled((callbacks) =>
              create.mutate(
                {
                  pcode: draft.pcode.trim().toUpperCase(),
                  parent_pcode: subdistrict.pcode,
                  kind: draft.kind,
                  name_ar: draft.name_ar.trim(),
                  name_en: draft.name_en.trim(),
                  ...(parseDecimal(draft.latitude) !== null
                    ? { latitude: parseDecimal(draft.latitude) ?? 0 }
                    : {}),
                  ...(parseDecimal(draft.longitude) !== null
                    ? { longitude: parseDecimal(draft.longitude) ?? 0 }
                    : {}),
                },
                callbacks,
              ),
            )
          }
        >
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('admin.areas.pcode')}
              dir="ltr"
              required
              value={draft.pcode}
              error={errors.pcode}
              description={t('admin.areas.pcodeHint', { parent: subdistrict.pcode })}
              onChange={(event) => setDraft({ ...draft, pcode: event.currentTarget.value })}
            />
            <Select
              label={t('common.type')}
              allowDeselect={false}
              value={draft.kind}
              error={errors.kind}
              data={communityKinds.map((kind) => ({
                value: kind,
                label: t(`communityKinds.${kind}`),
              }))}
              onChange={(value) => setDraft({ ...draft, kind: value ?? 'neighbourhood' })}
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
            <TextInput
              label={t('admin.areas.latitude')}
              dir="ltr"
              inputMode="decimal"
              value={draft.latitude}
              error={errors.latitude}
              onChange={(event) => setDraft({ ...draft, latitude: event.currentTarget.value })}
            />
            <TextInput
              label={t('admin.areas.longitude')}
              dir="ltr"
              inputMode="decimal"
              value={draft.longitude}
              error={errors.longitude}
              onChange={(event) => setDraft({ ...draft, longitude: event.currentTarget.value })}
            />
          </SimpleGrid>
        </CreatePanel>
      )}
      <QueryState isPending={children.isPending} error={children.error}>
        {(children.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('common.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.name')}</Table.Th>
                  <Table.Th>{t('admin.areas.pcode')}</Table.Th>
                  <Table.Th>{t('common.type')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(children.data ?? []).map((area) => (
                  <Table.Tr key={area.pcode}>
                    <Table.Td>
                      {area.level === 'community' ? (
                        localName(area)
                      ) : (
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          onClick={() => setParent(area.pcode)}
                        >
                          {localName(area)}
                        </Button>
                      )}
                    </Table.Td>
                    <Table.Td className="ltr-value">{area.pcode}</Table.Td>
                    <Table.Td>
                      {t(`areaLevels.${area.level}`, { defaultValue: area.level })}
                      {area.kind &&
                        ` — ${t(`communityKinds.${area.kind}`, { defaultValue: area.kind })}`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </>
  );
}
