/** Device and integration tokens: the secret is shown once, at creation; revoke ends it. */
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Select,
  SimpleGrid,
  Table,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateToken, useRevokeToken, useTokens, useUsers, type Token } from '../../api/admin';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { fieldErrors } from '../../lib/problems';

export default function Tokens() {
  const { t } = useTranslation();
  const format = useFormat();
  const tokens = useTokens();
  const users = useUsers();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [draft, setDraft] = useState({
    kind: 'device' as Token['kind'],
    name: '',
    user_id: null as string | null,
  });
  const [created, setCreated] = useState<Token | null>(null);
  const errors = fieldErrors(t, create.error);
  const userName = (id: string) =>
    users.data?.find((user) => user.id === id)?.username ?? id.slice(0, 8);
  return (
    <>
      <PageHeader title={t('menu.tokens')} />
      {created?.token && (
        <Alert
          color="teal"
          title={t('admin.tokens.secretOnce')}
          mb="md"
          withCloseButton
          onClose={() => setCreated(null)}
        >
          <Code block className="ltr-value" data-testid="token-secret">
            {created.token}
          </Code>
          <CopyButton value={created.token}>
            {({ copied, copy }) => (
              <Button size="xs" mt="xs" onClick={copy} variant="light">
                {copied ? t('admin.tokens.copied') : t('admin.tokens.copy')}
              </Button>
            )}
          </CopyButton>
        </Alert>
      )}
      <CreatePanel
        title={t('admin.tokens.create')}
        pending={create.isPending}
        onSubmit={() =>
          settled(({ onSuccess, onError }) =>
            create.mutate(
              {
                kind: draft.kind,
                name: draft.name.trim(),
                ...(draft.user_id ? { user_id: draft.user_id } : {}),
              },
              {
                onSuccess: (token) => {
                  setCreated(token);
                  onSuccess();
                },
                onError,
              },
            ),
          )
        }
      >
        <ProblemAlert error={create.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('common.type')}
            allowDeselect={false}
            value={draft.kind}
            data={[
              { value: 'device', label: t('admin.tokens.kinds.device') },
              { value: 'integration', label: t('admin.tokens.kinds.integration') },
            ]}
            onChange={(value) => setDraft({ ...draft, kind: (value ?? 'device') as Token['kind'] })}
          />
          <TextInput
            label={t('common.name')}
            required
            value={draft.name}
            error={errors.name}
            description={t('admin.tokens.nameHint')}
            onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
          />
          <Select
            label={t('admin.tokens.user')}
            clearable
            searchable
            value={draft.user_id}
            error={errors.user_id}
            data={(users.data ?? []).map((user) => ({
              value: user.id,
              label: `${user.username} (${t(`roles.${user.role}`)})`,
            }))}
            onChange={(user_id) => setDraft({ ...draft, user_id })}
          />
        </SimpleGrid>
      </CreatePanel>
      <ProblemAlert error={revoke.error} />
      <QueryState isPending={tokens.isPending} error={tokens.error}>
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('common.type')}</Table.Th>
                <Table.Th>{t('admin.tokens.user')}</Table.Th>
                <Table.Th>{t('common.date')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(tokens.data ?? []).map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>{t(`admin.tokens.kinds.${token.kind}`)}</Table.Td>
                  <Table.Td className="ltr-value">{userName(token.user_id)}</Table.Td>
                  <Table.Td>{format.date(token.created_at)}</Table.Td>
                  <Table.Td>
                    {token.revoked_at ? (
                      <Badge color="gray">
                        {t('admin.tokens.revokedOn', { date: format.date(token.revoked_at) })}
                      </Badge>
                    ) : (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="light"
                        loading={revoke.isPending}
                        onClick={() => revoke.mutate(token.id)}
                      >
                        {t('admin.tokens.revoke')}
                      </Button>
                    )}
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
