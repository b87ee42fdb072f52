/** The office's camera scanner for a card's QR code (the camera work is in lib/qr-camera). */
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQrCamera } from '../lib/qr-camera';

export function QrScanner({
  onResult,
  onClose,
}: {
  onResult: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { video, canvas, problem } = useQrCamera(onResult);

  return (
    <Stack gap="sm">
      {problem ? (
        <Alert color="orange" role="alert">
          {t(`counter.scan.${problem}`)}
        </Alert>
      ) : (
        <Text size="sm">{t('counter.scan.aim')}</Text>
      )}
      <video
        ref={video}
        muted
        playsInline
        aria-label={t('counter.scan.camera')}
        style={{
          width: '100%',
          maxHeight: 320,
          background: '#000',
          borderRadius: 8,
          display: problem ? 'none' : 'block',
        }}
      />
      <canvas ref={canvas} hidden />
      <Button variant="default" onClick={onClose}>
        {t('counter.scan.typeInstead')}
      </Button>
    </Stack>
  );
}
