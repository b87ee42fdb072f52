/** One household: who they are, members, card, entitlements per cycle (what was received) and audit trail. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useHousehold, useReissueCard, useVulnerabilityTags } from '../../api/households';
import { useLabel } from '../../lib/names';
import { useMe } from '../../api/session';
import type { DuplicateHint, Household, Notice } from '../../api/types';
import { AuditTrail } from '../../components/AuditTrail';
import { ProblemAlert, QueryState } from '../../components/Page';
import { mayOpen } from '../../lib/access';
import { useCan } from '../../lib/use-can';
import { useFormat } from '../../lib/format';
import { useSettings } from '../../lib/settings-context';
import { StatusBadge } from './common';
import { HouseholdEntitlements } from './HouseholdLedger';
import { HouseholdRedemptions } from './HouseholdRedemptions';
import { HouseholdHomes, HouseholdProxies } from './HouseholdDesk';

function Field({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value || '—'}</Text>
    </div>
  );
}

function AfterSave({ warnings, duplicates }: { warnings: Notice[]; duplicates: DuplicateHint[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0 && duplicates.length === 0) return null;
  return (
    <Alert color="orange" title={t('households.checkTitle')} data-testid="save-warnings">
      {warnings.length > 0 && (
        <List size="sm">
          {warnings.map((warning, index) => (
            <List.Item key={index}>
              {t(`fieldErrors.${warning.code}`, { defaultValue: warning.message })}
            </List.Item>
          ))}
        </List>
      )}
      {duplicates.length > 0 && (
        <>
          <Text size="sm" mt="xs">
            {t('households.possibleDuplicates')}
          </Text>
          <Group gap="xs" mt="xs">
            {duplicates.map((duplicate) => (
              <Button
                key={duplicate.id}
                size="xs"
                component={Link}
                to={`/households/duplicates/${duplicate.id}`}
              >
                {t('households.duplicates.review')}
              </Button>
            ))}
          </Group>
        </>
      )}
    </Alert>
  );
}

function Identity({ household }: { household: Household }) {
  const tags = useVulnerabilityTags();
  const label = useLabel();
  const { t } = useTranslation();
  const format = useFormat();
  const { settings } = useSettings();
  const area =
    (settings.language === 'ar' ? household.area_name_ar : household.area_name_en) ??
    household.area_pcode;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
      <Field label={t('households.cardNumber')} value={format.digits(household.card_number)} />
      <Field label={t('households.size')} value={format.number(household.household_size)} />
      <Field label={t('common.area')} value={`${area} (${household.area_pcode})`} />
      {household.national_id !== undefined && (
        <Field
          label={t('households.fields.national_id')}
          value={household.national_id && format.digits(household.national_id)}
        />
      )}
      {household.phone !== undefined && (
        <Field
          label={t('households.fields.phone')}
          value={household.phone && format.digits(household.phone)}
        />
      )}
      {household.address !== undefined && (
        <Field label={t('households.fields.address')} value={household.address} />
      )}
      {household.head_name_latin !== undefined && (
        <Field label={t('households.fields.head_name_latin')} value={household.head_name_latin} />
      )}
      {household.tags !== undefined && (
        <div>
          <Text size="xs" c="dimmed">
            {t('households.fields.tags')}
          </Text>
          <Group gap={4}>
            {household.tags.length === 0
              ? '—'
              : household.tags.map((tag) => (
                  <Badge key={tag} variant="outline">
                    {label(
                      tags.data?.items.find((item) => item.code === tag),
                      t(`tags.${tag}`, { defaultValue: tag }),
                    )}
                  </Badge>
                ))}
          </Group>
        </div>
      )}
      {household.status !== 'active' && household.status_reason && (
        <Field label={t('households.fields.status_reason')} value={household.status_reason} />
      )}
      {household.merged_into && (
        <div>
          <Text size="xs" c="dimmed">
            {t('households.mergedInto')}
          </Text>
          <Anchor component={Link} to={`/households/${household.merged_into}`}>
            {t('households.openExisting')}
          </Anchor>
        </div>
      )}
    </SimpleGrid>
  );
}

function Members({ household }: { household: Household }) {
  const { t } = useTranslation();
  const format = useFormat();
  const members = household.members ?? [];
  if (members.length === 0) return <Text c="dimmed">{t('households.noMembers')}</Text>;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('households.member.name')}</Table.Th>
            <Table.Th>{t('households.member.relation')}</Table.Th>
            <Table.Th>{t('households.member.sex')}</Table.Th>
            <Table.Th>{t('households.member.birth_year')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member, index) => (
            <Table.Tr key={index}>
              <Table.Td>{member.name}</Table.Td>
              <Table.Td>
                {member.relation ? t(`households.relations.${member.relation}`) : '—'}
              </Table.Td>
              <Table.Td>{member.sex ? t(`households.sexes.${member.sex}`) : '—'}</Table.Td>
              <Table.Td className="numeric">
                {member.birth_year === null ? '—' : format.digits(String(member.birth_year))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReissueCard({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const reissue = useReissueCard(householdId);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('cards.reissue')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('cards.reissue')} centered>
        <Stack gap="sm">
          <Text size="sm">{t('cards.reissueExplained')}</Text>
          <ProblemAlert error={reissue.error} />
          {reissue.data ? (
            <Alert color="teal" role="status">
              {t('cards.reissued', { number: format.digits(reissue.data.card_number) })}
            </Alert>
          ) : (
            <>
              <TextInput
                label={t('cards.reissueReason')}
                required
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
              />
              <Button
                color="orange"
                disabled={reason.trim() === ''}
                loading={reissue.isPending}
                onClick={() => reissue.mutate(reason.trim())}
              >
                {t('common.confirm')}
              </Button>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}

export default function HouseholdDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const location = useLocation();
  const household = useHousehold(id);
  const me = useMe();
  const role = me.data?.role;
  const saved = (location.state ?? {}) as { warnings?: Notice[]; duplicates?: DuplicateHint[] };
  const mayEdit = useCan('households.write');
  const mayReadDetails = useCan('households.readDetails');

  return (
    <QueryState isPending={household.isPending} error={household.error}>
      {household.data && (
        <>
          <Group justify="space-between" wrap="wrap">
            <div>
              <Title order={2} data-testid="household-name">
                {household.data.head_full_name}
              </Title>
              <Group gap="xs" mt={4}>
                <StatusBadge status={household.data.status} />
              </Group>
            </div>
            <Group gap="xs">
              {mayEdit && (
                <Button
                  component={Link}
                  to={`/households/${household.data.id}/edit`}
                  variant="light"
                >
                  {t('common.edit')}
                </Button>
              )}
              {role && mayOpen(role, 'cards') && (
                <Button
                  component={Link}
                  to={`/cards?household=${household.data.id}`}
                  variant="default"
                >
                  {t('cards.printOne')}
                </Button>
              )}
              {mayEdit && household.data.status !== 'merged' && (
                <ReissueCard householdId={household.data.id} />
              )}
            </Group>
          </Group>
          <AfterSave warnings={saved.warnings ?? []} duplicates={saved.duplicates ?? []} />
          <Card withBorder>
            <Identity household={household.data} />
          </Card>
          <Tabs defaultValue="members" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="members">{t('households.sections.members')}</Tabs.Tab>
              <Tabs.Tab value="entitlements">{t('households.sections.entitlements')}</Tabs.Tab>
              <Tabs.Tab value="redemptions">{t('households.sections.redemptions')}</Tabs.Tab>
              {mayReadDetails && <Tabs.Tab value="proxies">{t('desk.proxies')}</Tabs.Tab>}
              <Tabs.Tab value="homes">{t('desk.homes')}</Tabs.Tab>
              {role && mayOpen(role, 'audit') && (
                <Tabs.Tab value="audit">{t('households.sections.audit')}</Tabs.Tab>
              )}
            </Tabs.List>
            <Tabs.Panel value="members" pt="md">
              <Members household={household.data} />
            </Tabs.Panel>
            <Tabs.Panel value="entitlements" pt="md">
              <HouseholdEntitlements householdId={household.data.id} />
            </Tabs.Panel>
            <Tabs.Panel value="redemptions" pt="md">
              <HouseholdRedemptions household={household.data} />
            </Tabs.Panel>
            {mayReadDetails && (
              <Tabs.Panel value="proxies" pt="md">
                <HouseholdProxies householdId={household.data.id} />
              </Tabs.Panel>
            )}
            <Tabs.Panel value="homes" pt="md">
              <HouseholdHomes householdId={household.data.id} />
            </Tabs.Panel>
            {role && mayOpen(role, 'audit') && (
              <Tabs.Panel value="audit" pt="md">
                <AuditTrail entity="household" entityId={household.data.id} />
              </Tabs.Panel>
            )}
          </Tabs>
        </>
      )}
    </QueryState>
  );
}
