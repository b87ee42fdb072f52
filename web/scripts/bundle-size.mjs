// Measures the office app's initial JavaScript (the entry chunk and the chunks it imports
// statically), gzipped, and fails the build above the budget. Lazy screens are not counted.
// As a vite plugin it runs on every build; `node web/scripts/bundle-size.mjs` re-measures web/dist.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const initialBudget_bytes = 300 * 1024;

/** Sums the gzipped size of the given JS sources. */
function gzippedTotal(sources) {
  return sources.reduce((total, source) => total + gzipSync(source, { level: 9 }).length, 0);
}

function report(files, gzipped_bytes) {
  const kb = (gzipped_bytes / 1024).toFixed(1);
  const budget = (initialBudget_bytes / 1024).toFixed(0);
  return `initial JavaScript: ${kb} KB gzipped in ${files.length} file(s) (budget ${budget} KB)`;
}

/** A Vite plugin that prints the initial JS size and fails the build over budget. */
export function bundleSizePlugin() {
  return {
    name: 'awn-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entries = Object.values(bundle).filter((item) => item.type === 'chunk' && item.isEntry);
      const seen = new Set();
      const queue = entries.map((entry) => entry.fileName);
      while (queue.length > 0) {
        const name = queue.pop();
        if (seen.has(name)) continue;
        seen.add(name);
        const chunk = bundle[name];
        if (chunk && chunk.type === 'chunk') queue.push(...chunk.imports);
      }
      const files = [...seen];
      const total = gzippedTotal(files.map((name) => bundle[name].code));
      if (typeof this.info === 'function') this.info(report(files, total));
      else console.log(report(files, total));
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-size.json',
        source: JSON.stringify(
          { initial_gzipped_bytes: total, budget_bytes: initialBudget_bytes, files },
          null,
          2,
        ),
      });
      if (total > initialBudget_bytes) this.error(`over budget: ${report(files, total)}`);
    },
  };
}

/** Re-measures an existing build from the scripts and module preloads named in index.html. */
function measureDist(distDirectory) {
  const html = readFileSync(join(distDirectory, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
    (match) => match[1],
  );
  const total = gzippedTotal(files.map((file) => readFileSync(join(distDirectory, file))));
  console.log(report(files, total));
  return total <= initialBudget_bytes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  process.exitCode = measureDist(dist) ? 0 : 1;
}
