/** The field app's camera scanner (loaded only when opened): a QR's text, once. */
import { useQrCamera } from '../lib/qr-camera';
import { t } from './i18n';

export default function Scanner({
  onResult,
  onClose,
}: {
  onResult: (text: string) => void;
  onClose: () => void;
}) {
  const { video, canvas, problem } = useQrCamera(onResult);
  return (
    <div className="scanner">
      <p role={problem ? 'alert' : undefined}>{problem ? t(`scan.${problem}`) : t('scan.aim')}</p>
      <video
        ref={video}
        muted
        playsInline
        aria-label={t('scan.camera')}
        hidden={problem !== null}
      />
      <canvas ref={canvas} hidden />
      <button type="button" onClick={onClose}>
        {t('scan.close')}
      </button>
    </div>
  );
}
