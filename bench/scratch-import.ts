import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/db/connect.js';
import { systemActor } from '../src/domain/actor.js';
import { csvLine } from '../src/modules/household-files/household-files.formats.js';
import { importHouseholdFile } from '../src/modules/household-files/household-files.service.js';
import { templateFields } from '../src/modules/households/households.validation.js';
import { loadShippedAreasIfEmpty } from '../src/modules/areas/areas.service.js';
import { generateInputs } from './households.generate.js';

const rows = Number(process.env.ROWS ?? 20000);
const storage = await connect(join(mkdtempSync(join(tmpdir(), 'awn-scratch-')), 'a.sqlite'), { backgroundCheckpoints: process.env.BG === '1' });
await loadShippedAreasIfEmpty(storage);
const subdistricts = (await storage.db.selectFrom('areas').select('pcode').where('level', '=', 'subdistrict').where('pcode', 'like', 'SY06%').execute()).map((a) => a.pcode);
const lines = [csvLine(templateFields)];
generateInputs(rows, subdistricts, 31).forEach((h, index) => {
  lines.push(csvLine(['', h.head_given_name, h.head_father_name, h.head_grandfather_name ?? '', h.head_family_name, h.national_id === null ? '' : String(31e9 + index * 7), h.phone ?? '', String(h.household_size), h.area_pcode, '', h.tags.join(';')]));
});
const delay = monitorEventLoopDelay({ resolution: 1 });
const phases: Record<string, number> = {}; const slices: number[] = [];
const started = performance.now();
delay.enable();
const report = await importHouseholdFile(storage, systemActor, { format: 'csv', content: Buffer.from(lines.join('')) }, {
  clock: () => new Date(),
  skipInvalid: true,
  onProgress: (p) => { phases[p.phase] ??= performance.now() - started; if (p.phase === 'writing') slices.push(p.written); },
});
delay.disable();
console.log({ slices: slices.length, sizes: slices.slice(0, 30).map((w, i) => w - (slices[i - 1] ?? 0)).join(' '), seconds: (performance.now() - started) / 1000, accepted: report.accepted, phases, p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 });
await storage.close();
