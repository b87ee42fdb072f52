// Builds web/dist once (when missing or older than web/src) before any end-to-end file runs.
import { existsSync } from 'node:fs';
import { ensureWebBuilt } from '../../src/server/web.js';
import { chromiumPath } from './browser.js';

export default async function setup(): Promise<void> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: apt-get install -y chromium (never npx playwright install)`,
    );
  }
  const outcome = await ensureWebBuilt({ log: (line) => console.log(line) });
  if (outcome === 'unavailable') throw new Error('the web app could not be built (see above)');
}
