/**
 * Reads a card's QR code with the camera: the browser's BarcodeDetector where it exists,
 * otherwise jsQR on frames drawn to a canvas (loaded only when needed).
 */
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorConstructor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

type Decoder = (video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string | null>;

async function makeDecoder(): Promise<Decoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  if (Detector) {
    const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
    if (formats.includes('qr_code')) {
      const detector = new Detector({ formats: ['qr_code'] });
      return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
    }
  }
  const { default: jsQR } = await import('jsqr');
  return async (video, canvas) => {
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context || canvas.width === 0) return null;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return (
      jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null
    );
  };
}

export function QrScanner({
  onResult,
  onClose,
}: {
  onResult: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const done = useRef(onResult);
  done.current = onResult;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem(t('counter.scan.unsupported'));
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch (error) {
        setProblem(
          error instanceof DOMException && error.name === 'NotAllowedError'
            ? t('counter.scan.denied')
            : t('counter.scan.noCamera'),
        );
        return;
      }
      // Closed while the camera was starting: the cleanup below saw no stream, so stop it here.
      if (stopped || !video.current || !canvas.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const decode = await makeDecoder();
      const tick = async () => {
        if (stopped || !video.current || !canvas.current) return;
        const text =
          video.current.readyState >= 2
            ? await decode(video.current, canvas.current).catch(() => null)
            : null;
        if (stopped) return;
        if (text) {
          done.current(text);
          return;
        }
        timer = setTimeout(() => void tick(), 200);
      };
      void tick();
    };
    void start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [t]);

  return (
    <Stack gap="sm">
      {problem ? (
        <Alert color="orange" role="alert">
          {problem}
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
