/** `awn areas import FILE`: load another country's (or more of this one's) areas, all or nothing. */
import { readFile } from 'node:fs/promises';
import type { Storage } from '../db/connect.js';
import { systemActor } from '../domain/actor.js';
import { importAreas } from '../modules/areas/areas.service.js';
import { systemClock } from '../shared/clock.js';

export async function importAreasCommand(storage: Storage, file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  const result = await importAreas(
    storage,
    systemActor,
    { text, format: file.toLowerCase().endsWith('.json') ? 'json' : 'csv' },
    systemClock,
  );
  console.log(`Imported ${result.created} areas (${result.existing} already present).`);
  return 0;
}
