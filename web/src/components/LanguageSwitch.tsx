/** Language and digit choice; used on the sign-in page and in Settings. */
import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from '../lib/settings-context';
import type { Digits, Language } from '../lib/settings';

export function LanguageSwitch({ withDigits = false }: { withDigits?: boolean }) {
  const { t } = useTranslation();
  const { settings, update } = useSettings();
  const languageId = useId();
  const digitsId = useId();
  return (
    <Stack gap="xs">
      <Text id={languageId} size="sm" fw={500}>
        {t('settings.language')}
      </Text>
      <SegmentedControl
        aria-labelledby={languageId}
        value={settings.language}
        onChange={(value) => update({ language: value as Language })}
        data={[
          { value: 'ar', label: t('settings.arabic') },
          { value: 'en', label: t('settings.english') },
        ]}
        data-testid="language-switch"
      />
      {withDigits && (
        <>
          <Text id={digitsId} size="sm" fw={500}>
            {t('settings.digits')}
          </Text>
          <SegmentedControl
            aria-labelledby={digitsId}
            value={settings.digits}
            onChange={(value) => update({ digits: value as Digits })}
            data={[
              { value: 'arab', label: t('settings.digitsArab') },
              { value: 'latn', label: t('settings.digitsLatn') },
            ]}
            data-testid="digits-switch"
          />
        </>
      )}
    </Stack>
  );
}
