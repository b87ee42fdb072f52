/** Users: roles and scopes; disable, re-enable, set a password. */
import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  SimpleGrid,
  Switch,
  Table,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../../src/shared/roles.js';
import {
  useCreateUser,
  useOrgUnits,
  useServicePoints,
  useSetPassword,
  useUpdateUser,
  useUsers,
  type User,
} from '../../api/admin';
import { CreatePanel, settled } from '../../components/CreatePanel';
import { PageHeader, ProblemAlert, QueryState } from '../../components/Page';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';
import { fieldErrors } from '../../lib/problems';

function useScopeOptions() {
  const units = useOrgUnits();
  const localName = useLocalName();
  return (units.data ?? []).map((unit) => ({
    value: unit.id,
    label: `${'— '.repeat(Math.max(0, unit.path.split('/').filter(Boolean).length - 1))}${localName(unit)}`,
  }));
}

function useServicePointOptions() {
  const points = useServicePoints();
  const localName = useLocalName();
  return (points.data ?? []).map((point) => ({ value: point.id, label: localName(point) }));
}

function PasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const setPassword = useSetPassword();
  const [password, setValue] = useState('');
  const errors = fieldErrors(t, setPassword.error);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('admin.users.setPassword', { username: user.username })}
      centered
    >
      <ProblemAlert error={setPassword.error} />
      <PasswordInput
        label={t('auth.password')}
        value={password}
        onChange={(event) => setValue(event.currentTarget.value)}
        error={errors.password}
        description={t('admin.users.passwordHint')}
        autoComplete="new-password"
        dir="ltr"
      />
      <Group justify="flex-end" mt="md">
        <Button
          onClick={() => setPassword.mutate({ id: user.id, password }, { onSuccess: onClose })}
          loading={setPassword.isPending}
        >
          {t('common.save')}
        </Button>
      </Group>
    </Modal>
  );
}

export default function Users() {
  const { t } = useTranslation();
  const format = useFormat();
  const users = useUsers();
  const create = useCreateUser();
  const update = useUpdateUser();
  const scopeOptions = useScopeOptions();
  const pointOptions = useServicePointOptions();
  const [draft, setDraft] = useState({
    username: '',
    display_name: '',
    role: 'registrar' as Role,
    password: '',
    scope: [] as string[],
    service_points: [] as string[],
  });
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const errors = fieldErrors(t, create.error);
  const unitName = (id: string) =>
    scopeOptions.find((option) => option.value === id)?.label.replace(/^(— )+/u, '') ?? id;

  return (
    <>
      <PageHeader title={t('menu.users')} />
      <CreatePanel
        title={t('admin.users.create')}
        pending={create.isPending}
        onSubmit={() => settled((callbacks) => create.mutate(draft, callbacks))}
      >
        <ProblemAlert error={create.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('auth.username')}
            dir="ltr"
            required
            value={draft.username}
            error={errors.username}
            onChange={(event) => setDraft({ ...draft, username: event.currentTarget.value })}
          />
          <TextInput
            label={t('admin.users.displayName')}
            required
            value={draft.display_name}
            error={errors.display_name}
            onChange={(event) => setDraft({ ...draft, display_name: event.currentTarget.value })}
          />
          <Select
            label={t('admin.users.role')}
            required
            allowDeselect={false}
            value={draft.role}
            error={errors.role}
            data={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            onChange={(value) => setDraft({ ...draft, role: (value ?? 'registrar') as Role })}
          />
          <PasswordInput
            label={t('auth.password')}
            dir="ltr"
            required
            value={draft.password}
            error={errors.password}
            description={t('admin.users.passwordHint')}
            autoComplete="new-password"
            onChange={(event) => setDraft({ ...draft, password: event.currentTarget.value })}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('admin.users.scope')}
          description={t('admin.users.scopeHint')}
          data={scopeOptions}
          value={draft.scope}
          onChange={(scope) => setDraft({ ...draft, scope })}
          searchable
          error={errors.scope}
        />
        <MultiSelect
          label={t('desk.servicePoints')}
          description={t('desk.servicePointsHint')}
          data={pointOptions}
          value={draft.service_points}
          onChange={(servicePoints) => setDraft({ ...draft, service_points: servicePoints })}
          searchable
          error={errors.service_points}
        />
      </CreatePanel>
      <ProblemAlert error={update.error} />
      <QueryState isPending={users.isPending} error={users.error}>
        <Table.ScrollContainer minWidth={920}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('auth.username')}</Table.Th>
                <Table.Th>{t('admin.users.displayName')}</Table.Th>
                <Table.Th>{t('admin.users.role')}</Table.Th>
                <Table.Th>{t('admin.users.scope')}</Table.Th>
                <Table.Th>{t('desk.servicePoints')}</Table.Th>
                <Table.Th>{t('common.date')}</Table.Th>
                <Table.Th>{t('common.enabled')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(users.data ?? []).map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td className="ltr-value">{user.username}</Table.Td>
                  <Table.Td>{user.display_name}</Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      aria-label={t('admin.users.roleOf', { username: user.username })}
                      allowDeselect={false}
                      value={user.role}
                      data={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                      onChange={(value) =>
                        value &&
                        value !== user.role &&
                        update.mutate({ id: user.id, role: value as Role })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    {user.scope.length === 0 ? (
                      <Badge variant="light">{t('admin.users.everywhere')}</Badge>
                    ) : (
                      user.scope.map((entry) => (
                        <Badge key={entry} variant="outline" me={4}>
                          {unitName(entry)}
                        </Badge>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td miw={200}>
                    <MultiSelect
                      size="xs"
                      aria-label={t('desk.servicePointsOf', { username: user.username })}
                      placeholder={t('desk.anyServicePoint')}
                      data={pointOptions}
                      value={user.service_points}
                      onChange={(servicePoints) =>
                        update.mutate({ id: user.id, service_points: servicePoints })
                      }
                      searchable
                    />
                  </Table.Td>
                  <Table.Td>{format.date(user.created_at)}</Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={t('admin.users.enabledOf', { username: user.username })}
                      checked={!user.disabled}
                      onChange={(event) =>
                        update.mutate({ id: user.id, disabled: !event.currentTarget.checked })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => setPasswordFor(user)}>
                      {t('admin.users.password')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
      {passwordFor && <PasswordModal user={passwordFor} onClose={() => setPasswordFor(null)} />}
    </>
  );
}
