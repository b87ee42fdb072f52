/** The user's language and digits. */
import { Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useCan } from '../lib/use-can';
import { VulnerabilityTagsEditor } from './admin/VulnerabilityTags';

export default function Settings() {
  const { t } = useTranslation();
  const mayConfigure = useCan('households.configure');
  return (
    <>
      <Paper maw={480} p="md" withBorder>
        <Title order={2} mb="md">
          {t('settings.title')}
        </Title>
        <LanguageSwitch withDigits />
      </Paper>
      {mayConfigure && (
        <Paper maw={900} p="md" mt="md" withBorder>
          <VulnerabilityTagsEditor />
        </Paper>
      )}
    </>
  );
}
