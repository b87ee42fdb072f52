/** Sign in with username and password; refusals in plain words. */
import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { toMe, useSignIn } from '../api/session';
import type { Role } from '../../../src/shared/roles.js';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { problemMessage } from '../lib/problems';

interface DemoLogin {
  role: Role;
  username: string;
  password: string;
}

export function SignIn({ onSignedIn }: { onSignedIn: (role: Role) => void }) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // /healthz is public: it says whether this server runs the demo before anyone signs in.
  const health = useQuery({
    queryKey: ['healthz'],
    queryFn: async () => (await fetch('/healthz')).json() as Promise<{ demo?: boolean }>,
    staleTime: Infinity,
    retry: false,
  });
  // A demo server lists its accounts (one per role); any other answers none.
  const demoLogins = useQuery({
    queryKey: ['demo-logins'],
    queryFn: () => api.get<{ items: DemoLogin[] }>('/demo/logins'),
    enabled: health.data?.demo === true,
    staleTime: Infinity,
    retry: false,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { username: username.trim(), password },
      { onSuccess: (body) => onSignedIn(toMe(body ?? {}).role) },
    );
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={380} component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2" ta="center" c="teal.9">
              {t('app.name')}
            </Title>
            <Text ta="center" c="dimmed" size="sm">
              {t('app.tagline')}
            </Text>
            <Title order={2} size="h4">
              {t('auth.title')}
            </Title>
            {signIn.isError && (
              <Alert color="red" role="alert">
                {problemMessage(t, signIn.error)}
              </Alert>
            )}
            <TextInput
              label={t('auth.username')}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              dir="ltr"
              required
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('auth.password')}
              name="password"
              autoComplete="current-password"
              dir="ltr"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button type="submit" loading={signIn.isPending}>
              {t('auth.submit')}
            </Button>
            {health.data?.demo && (
              <Alert color="yellow" role="note" data-testid="demo-hint">
                {t('auth.demoHint')}
              </Alert>
            )}
            {(demoLogins.data?.items.length ?? 0) > 0 && (
              <Table fz="sm" data-testid="demo-logins" aria-label={t('auth.demoAccounts')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('auth.demoRole')}</Table.Th>
                    <Table.Th>{t('auth.username')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {demoLogins.data?.items.map((login) => (
                    <Table.Tr key={login.username}>
                      <Table.Td>{t(`roles.${login.role}`)}</Table.Td>
                      <Table.Td>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          dir="ltr"
                          onClick={() => {
                            setUsername(login.username);
                            setPassword(login.password);
                          }}
                        >
                          {login.username}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Caption>
                  {t('auth.demoPassword')}{' '}
                  <bdi dir="ltr">{demoLogins.data?.items[0]?.password}</bdi>
                </Table.Caption>
              </Table>
            )}
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
