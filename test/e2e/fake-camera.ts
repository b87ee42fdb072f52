/**
 * A fake camera for Chromium: a short Y4M video of a QR code that Chromium loops as the
 * camera's picture (`--use-file-for-fake-video-capture`), written here without ffmpeg.
 */
import { renameSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export const fakeCameraWidth = 640;
export const fakeCameraHeight = 480;
const framesPerSecond = 10;
const frameCount = 5;
/** The blank margin QR readers need around the code, in modules. */
const quietZoneModules = 4;

/**
 * The Y4M bytes of `frameCount` frames showing the QR code of `text` centred, as large as fits:
 * black modules 0..16 and white 235..255 (a little noise, different in every frame), grey
 * chroma (4:2:0, U and V at 128).
 */
export function qrVideo(text: string): Buffer {
  const width = fakeCameraWidth;
  const height = fakeCameraHeight;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const sideModules = modules.size + 2 * quietZoneModules;
  const modulePixels = Math.floor(Math.min(width, height) / sideModules);
  if (modulePixels < 2) throw new Error(`a QR code of ${modules.size} modules does not fit`);
  const left = Math.floor((width - modules.size * modulePixels) / 2);
  const top = Math.floor((height - modules.size * modulePixels) / 2);
  const isDark = (x: number, y: number): boolean => {
    const column = Math.floor((x - left) / modulePixels);
    const row = Math.floor((y - top) / modulePixels);
    if (x < left || y < top || column >= modules.size || row >= modules.size) return false;
    return modules.get(row, column) === 1;
  };

  const header = Buffer.from(
    `YUV4MPEG2 W${width} H${height} F${framesPerSecond}:1 Ip A1:1 C420jpeg\n`,
    'ascii',
  );
  const frameHeader = Buffer.from('FRAME\n', 'ascii');
  const lumaBytes = width * height;
  const chromaBytes = (width / 2) * (height / 2);
  const frameBytes = frameHeader.length + lumaBytes + 2 * chromaBytes;
  const video = Buffer.alloc(header.length + frameCount * frameBytes);
  header.copy(video, 0);
  // A fixed linear congruential sequence: the same file every run, noise that differs by frame.
  let noise = 12345;
  const next = (): number => {
    noise = (noise * 1103515245 + 12345) >>> 0;
    return (noise >>> 16) % 17;
  };
  for (let frame = 0; frame < frameCount; frame += 1) {
    const start = header.length + frame * frameBytes;
    frameHeader.copy(video, start);
    const luma = start + frameHeader.length;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        video[luma + y * width + x] = isDark(x, y) ? 16 - next() : 235 + next();
      }
    }
    video.fill(128, luma + lumaBytes, luma + lumaBytes + 2 * chromaBytes);
  }
  return video;
}

/**
 * Makes the fake camera show the QR code of `text` from the next time a page starts it:
 * Chromium opens the file when capture starts, and the rename swaps it whole.
 */
export function showOnFakeCamera(path: string, text: string): void {
  writeFileSync(`${path}.next`, qrVideo(text));
  renameSync(`${path}.next`, path);
}

/**
 * A script for `context.addInitScript`: the first camera stream the page asks for arrives a
 * second late (time for a person to close the scanner before the camera starts), and the root
 * element says how many streams were given (`data-camera-streams`) and how many of their
 * tracks still run (`data-camera-live`), for the test to read without evaluating code in the
 * page.
 */
export const cameraWatchScript = `(() => {
  const media = navigator.mediaDevices;
  if (!media || !media.getUserMedia) return;
  const getUserMedia = media.getUserMedia.bind(media);
  const tracks = [];
  let streams = 0;
  const report = () => {
    const root = document.documentElement;
    if (!root) return;
    root.setAttribute('data-camera-streams', String(streams));
    root.setAttribute(
      'data-camera-live',
      String(tracks.filter((track) => track.readyState === 'live').length),
    );
  };
  let asked = 0;
  media.getUserMedia = async (constraints) => {
    asked += 1;
    if (asked === 1) await new Promise((resolve) => setTimeout(resolve, 1000));
    const stream = await getUserMedia(constraints);
    streams += 1;
    tracks.push(...stream.getTracks());
    report();
    return stream;
  };
  setInterval(report, 50);
})();`;
