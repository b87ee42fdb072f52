/**
 * The field app on a cheap phone's link: the real server (demo data and one dispatched run of
 * the e2e volunteer) and Debian's Chromium at a phone's size, the network emulated through CDP
 * (Network.emulateNetworkConditions: 400 kbit/s each way, 400 ms round trip), empty cache.
 * - First load: from navigation to the sign-in form (a new phone), and to the run list drawn
 *   from a fresh download (a signed-in volunteer, who also fetches /me, the runs and sends).
 *   Target: at most 8 s.
 * - Offline reload: the phone offline, a reload served by the service worker with the run
 *   from IndexedDB, until the run list shows. Target: at most 2 s.
 * - Initial JavaScript of each app, gzipped, from the build (budget 150 KB for the field app).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuilt, defaultWebDist } from '../src/server/web.js';
import { dispatchFieldRun } from '../test/e2e/field-world.js';
import { startServer, type E2eServer } from '../test/e2e/server.js';
import { budgets, measureDist } from '../web/scripts/bundle-size.mjs';
import { markdownTable, quantile, type Benchmark } from './harness.js';

const link = { latency: 400, throughput_bytes_per_second: 400_000 / 8 };
const firstLoadTarget_ms = 8000;
const offlineReloadTarget_ms = 2000;
const rounds = 3;

async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: 'ar-SY',
    timezoneId: 'Asia/Damascus',
  });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: link.latency,
    downloadThroughput: link.throughput_bytes_per_second,
    uploadThroughput: link.throughput_bytes_per_second,
  });
  return { context, page };
}

/** Milliseconds from the start of navigation until `ready` resolves. */
async function timed(navigate: () => Promise<unknown>, ready: () => Promise<unknown>) {
  const start = performance.now();
  await navigate();
  await ready();
  return performance.now() - start;
}

async function signInCookie(server: E2eServer, context: BrowserContext): Promise<void> {
  const { username, password } = server.logins.volunteer;
  const response = await context.request.post(`${server.baseUrl}/api/v1/auth/login`, {
    data: { username, password },
    headers: { origin: server.baseUrl },
  });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
}

async function run(): Promise<string> {
  if ((await ensureWebBuilt({ log: (line) => console.log(line) })) === 'unavailable') {
    throw new Error('the web app could not be built');
  }
  const sizes = measureDist(defaultWebDist);
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const signInForm: number[] = [];
  const runList: number[] = [];
  const offline: number[] = [];
  try {
    await dispatchFieldRun(server);
    const url = `${server.baseUrl}/field/`;
    for (let round = 0; round < rounds; round++) {
      const fresh = await phone(browser);
      signInForm.push(
        await timed(
          () => fresh.page.goto(url, { waitUntil: 'commit' }),
          () => fresh.page.locator('input[name="username"]').waitFor(),
        ),
      );
      await fresh.context.close();

      const volunteer = await phone(browser);
      await signInCookie(server, volunteer.context);
      runList.push(
        await timed(
          () => volunteer.page.goto(url, { waitUntil: 'commit' }),
          () => volunteer.page.getByTestId('run').waitFor(),
        ),
      );
      // The service worker finishes precaching on the slow link, then the phone goes offline.
      await volunteer.page.evaluate('navigator.serviceWorker.ready.then(() => true)');
      await volunteer.context.setOffline(true);
      for (let reload = 0; reload < 3; reload++) {
        offline.push(
          await timed(
            () => volunteer.page.reload({ waitUntil: 'commit' }),
            () => volunteer.page.getByTestId('run').waitFor(),
          ),
        );
      }
      await volunteer.context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const seconds = (samples: number[]) => [
    (quantile(samples, 0.5) / 1000).toFixed(2),
    (Math.max(...samples) / 1000).toFixed(2),
  ];
  const verdict = (samples: number[], target_ms: number) =>
    Math.max(...samples) <= target_ms ? 'yes' : 'no';
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  return [
    '## Field app on a slow link',
    '',
    `The field app served by the real server (demo data, one dispatched run of three stops), in Debian's Chromium at 360×740 with an empty cache, the network emulated through CDP (\`Network.emulateNetworkConditions\`: ${link.throughput_bytes_per_second * 8} bit/s down and up, ${link.latency} ms latency). ${rounds} rounds, each a new browser profile. First load targets at most ${firstLoadTarget_ms / 1000} s; the offline reload (the phone offline, the page from the service worker, the run from IndexedDB) at most ${offlineReloadTarget_ms / 1000} s. The service worker precaches the lazy camera chunks (jsQR) in the background over the same link during the signed-in first load.`,
    '',
    markdownTable(
      ['measure', 'samples', 'median s', 'max s', 'target met'],
      [
        [
          'first load to the sign-in form (new phone)',
          String(signInForm.length),
          ...seconds(signInForm),
          verdict(signInForm, firstLoadTarget_ms),
        ],
        [
          'first load to the run list (signed in: /me, runs download, sync)',
          String(runList.length),
          ...seconds(runList),
          verdict(runList, firstLoadTarget_ms),
        ],
        [
          'offline reload to the run list',
          String(offline.length),
          ...seconds(offline),
          verdict(offline, offlineReloadTarget_ms),
        ],
      ],
    ),
    '',
    markdownTable(
      ['app', 'initial JavaScript gzip KB', 'budget KB', 'files'],
      (['field', 'office'] as const).map((app) => [
        app,
        kb(sizes[app].initial_gzipped_bytes),
        kb(budgets[app].initialBudget_bytes),
        String(sizes[app].files.length),
      ]),
    ),
  ].join('\n');
}

export const fieldAppBenchmark: Benchmark = { name: 'field-app', run };
