/** The user's language and digits. */
import { Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';

export default function Settings() {
  const { t } = useTranslation();
  return (
    <Paper maw={480} p="md" withBorder>
      <Title order={2} mb="md">
        {t('settings.title')}
      </Title>
      <LanguageSwitch withDigits />
    </Paper>
  );
}
