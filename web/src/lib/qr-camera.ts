/**
 * Reads a QR code with the camera: the browser's BarcodeDetector where it exists, otherwise
 * jsQR on frames drawn to a canvas (loaded only when needed). Shared by the office's scanner
 * and the field app's, which differ only in how they look.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

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

/** Why the camera cannot scan: no camera API, permission refused, or no camera found. */
export type CameraProblem = 'unsupported' | 'denied' | 'noCamera';

/**
 * Starts the back camera into `video` and calls `onResult` once with the first QR text read;
 * stops the camera when the component unmounts.
 */
export function useQrCamera(onResult: (text: string) => void): {
  video: RefObject<HTMLVideoElement | null>;
  canvas: RefObject<HTMLCanvasElement | null>;
  problem: CameraProblem | null;
} {
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const done = useRef(onResult);
  useEffect(() => {
    done.current = onResult;
  });

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem('unsupported');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch (error) {
        setProblem(
          error instanceof DOMException && error.name === 'NotAllowedError' ? 'denied' : 'noCamera',
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
  }, []);

  return { video, canvas, problem };
}
