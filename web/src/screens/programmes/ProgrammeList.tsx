/** Every programme, with its rules in words. */
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useProgrammes } from '../../api/planning';
import { PageHeader, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { RulesSummary } from './RulesSummary';
import { useCan } from '../../lib/use-can';

export default function ProgrammeList() {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const programmes = useProgrammes();
  const mayPlan = useCan('programmes.write');
  return (
    <>
      <PageHeader
        title={t('programmes.title')}
        actions={
          mayPlan && (
            <Button component={Link} to="/programmes/new">
              {t('programmes.create')}
            </Button>
          )
        }
      />
      <QueryState isPending={programmes.isPending} error={programmes.error}>
        {(programmes.data ?? []).length === 0 ? (
          <Text c="dimmed">{t('common.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.name')}</Table.Th>
                  <Table.Th>{t('programmes.rules')}</Table.Th>
                  <Table.Th>{t('common.date')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(programmes.data ?? []).map((programme) => (
                  <Table.Tr key={programme.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/programmes/${programme.id}`}>
                        {localName(programme)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <RulesSummary rules={programme.rules} />
                    </Table.Td>
                    <Table.Td>{format.date(programme.created_at)}</Table.Td>
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
