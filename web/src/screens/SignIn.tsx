/** Sign in with username and password; refusals in plain words. */
import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toMe, useSignIn } from '../api/session';
import type { Role } from '../../../src/shared/roles.js';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { problemMessage } from '../lib/problems';

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
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
