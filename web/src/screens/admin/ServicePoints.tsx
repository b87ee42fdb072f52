/** Service points: where households redeem (bakery, shop, distribution centre). */
import { Anchor, Select, SimpleGrid, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCreateServicePoint, usePartners, useServicePoints } from '../../api/admin';
import { AreaSelect } from '../../components/AreaSelect';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

export default function ServicePoints() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const points = useServicePoints();
  const partners = usePartners();
  const create = useCreateServicePoint();
  const [draft, setDraft] = useState({
    name_ar: '',
    name_en: '',
    area_pcode: null as string | null,
    partner_id: null as string | null,
  });
  const errors = fieldErrors(t, create.error);
  const partnerName = (id: string | null) => {
    const partner = partners.data?.find((item) => item.id === id);
    return partner ? localName(partner) : '—';
  };
  return (
    <>
      <PageHeader title={t('menu.servicePoints')} />
      <CreatePanel
        title={t('admin.servicePoints.create')}
        pending={create.isPending}
        onSubmit={() =>
          settled((callbacks) =>
            create.mutate({ ...draft, area_pcode: draft.area_pcode ?? '' }, callbacks),
          )
        }
      >
        <ProblemAlert error={create.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
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
          <AreaSelect
            label={t('common.area')}
            required
            value={draft.area_pcode}
            error={errors.area_pcode}
            onChange={(area_pcode) => setDraft({ ...draft, area_pcode })}
          />
          <Select
            label={t('admin.servicePoints.partner')}
            clearable
            value={draft.partner_id}
            error={errors.partner_id}
            data={(partners.data ?? []).map((partner) => ({
              value: partner.id,
              label: localName(partner),
            }))}
            onChange={(partner_id) => setDraft({ ...draft, partner_id })}
          />
        </SimpleGrid>
      </CreatePanel>
      <QueryState isPending={points.isPending} error={points.error}>
        <Table.ScrollContainer minWidth={520}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('admin.servicePoints.partner')}</Table.Th>
                <Table.Th>{t('common.area')}</Table.Th>
                <Table.Th>{t('menu.stock')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(points.data ?? []).map((point) => (
                <Table.Tr key={point.id}>
                  <Table.Td>{localName(point)}</Table.Td>
                  <Table.Td>{partnerName(point.partner_id)}</Table.Td>
                  <Table.Td className="ltr-value">{point.area_pcode}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/stock?service_point=${point.id}`}>
                      {t('admin.servicePoints.stock')}
                    </Anchor>
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
