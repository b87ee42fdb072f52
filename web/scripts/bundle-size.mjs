// Measures each app's initial JavaScript (its entry chunk and the chunks it imports
// statically), gzipped, and fails the build above the app's budget. Lazy chunks are not counted.
// As a vite plugin it runs on every build; `node web/scripts/bundle-size.mjs` re-measures web/dist.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Budgets per app, by the HTML page that loads it (relative to web/). */
export const budgets = {
  office: { html: 'index.html', initialBudget_bytes: 300 * 1024 },
  field: { html: 'field/index.html', initialBudget_bytes: 150 * 1024 },
};

/** Sums the gzipped size of the given JS sources. */
function gzippedTotal(sources) {
  return sources.reduce((total, source) => total + gzipSync(source, { level: 9 }).length, 0);
}

function report(app, files, gzipped_bytes) {
  const kb = (gzipped_bytes / 1024).toFixed(1);
  const budget = (budgets[app].initialBudget_bytes / 1024).toFixed(0);
  return `${app} initial JavaScript: ${kb} KB gzipped in ${files.length} file(s) (budget ${budget} KB)`;
}

/** The app an entry chunk belongs to, from the HTML page it was built from. */
function appOf(chunk) {
  const id = (chunk.facadeModuleId ?? '').replaceAll('\\', '/');
  return id.endsWith('/field/index.html') ? 'field' : 'office';
}

/** A Vite plugin that prints each app's initial JS size and fails the build over budget. */
export function bundleSizePlugin() {
  return {
    name: 'awn-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const measured = {};
      const entries = Object.values(bundle).filter((item) => item.type === 'chunk' && item.isEntry);
      for (const entry of entries) {
        const app = appOf(entry);
        const seen = new Set();
        const queue = [entry.fileName];
        while (queue.length > 0) {
          const name = queue.pop();
          if (seen.has(name)) continue;
          seen.add(name);
          const chunk = bundle[name];
          if (chunk && chunk.type === 'chunk') queue.push(...chunk.imports);
        }
        const files = [...seen];
        const total = gzippedTotal(files.map((name) => bundle[name].code));
        if (typeof this.info === 'function') this.info(report(app, files, total));
        else console.log(report(app, files, total));
        measured[app] = {
          initial_gzipped_bytes: total,
          budget_bytes: budgets[app].initialBudget_bytes,
          files,
        };
        if (total > budgets[app].initialBudget_bytes) {
          this.error(`over budget: ${report(app, files, total)}`);
        }
      }
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-size.json',
        source: JSON.stringify(measured, null, 2),
      });
    },
  };
}

/**
 * Re-measures an existing build from the scripts and module preloads each app's HTML names;
 * answers the gzipped bytes per app.
 */
export function measureDist(distDirectory) {
  const measured = {};
  for (const [app, { html }] of Object.entries(budgets)) {
    const page = readFileSync(join(distDirectory, html), 'utf8');
    const files = [...page.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
      (match) => match[1],
    );
    const total = gzippedTotal(files.map((file) => readFileSync(join(distDirectory, file))));
    console.log(report(app, files, total));
    measured[app] = { initial_gzipped_bytes: total, files };
  }
  return measured;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const measured = measureDist(dist);
  process.exitCode = Object.entries(measured).every(
    ([app, { initial_gzipped_bytes }]) => initial_gzipped_bytes <= budgets[app].initialBudget_bytes,
  )
    ? 0
    : 1;
}
