/**
 * Writes the API document (/api/openapi.json) to a file, built over an in-memory database:
 * `npm run lint:openapi` lints it with Redocly's CLI; integrators may generate clients from it.
 */
import { writeFile } from 'node:fs/promises';
import { connect } from '../src/db/connect.js';
import { buildApp } from '../src/server/app.js';

const output = process.argv[2] ?? 'openapi.json';
const storage = await connect(':memory:');
try {
  const app = await buildApp({ storage, logger: false });
  await app.ready();
  await writeFile(output, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
} finally {
  await storage.close();
}
