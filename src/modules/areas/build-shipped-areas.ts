/**
 * Builds data/areas/syria-admin1-3.json, the areas Awn ships (Syria's 14 governorates,
 * 62 districts and 272 subdistricts with OCHA p-codes), from the OpenSyria data-geography
 * snapshot (CC BY 4.0; see data/areas/SOURCE.md for the attribution that must travel with it).
 *
 *   npx tsx src/modules/areas/build-shipped-areas.ts [SOURCE_DIR] [OUTPUT_FILE]
 *
 * SOURCE_DIR defaults to ../shared/data/areas (relative to the repository root) and holds the
 * upstream governorates.json, districts.json and subdistricts.json unchanged. The output has one
 * area per line in the import shape (pcode, parent_pcode, level, name_ar, name_en, latitude,
 * longitude), parents before children, so that it diffs well and loads in one pass. The script
 * refuses data whose links or p-codes disagree (a district under one governorate whose p-code
 * says another), rather than ship a wrong tree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AreaRow } from './areas.schema.js';

interface UpstreamArea {
  id: string;
  governorateId?: string;
  districtId?: string;
  name: { ar: string; en: string };
  centroid?: { latitude: number; longitude: number } | null;
  externalIds: { ochaPcode?: string };
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const defaultSourceDirectory = resolve(repositoryRoot, '../shared/data/areas');
export const shippedAreasFile = join(repositoryRoot, 'data/areas/syria-admin1-3.json');

/** Turns the three upstream lists into shipped rows, parents first; throws on inconsistent links. */
export function deriveShippedAreas(
  governorates: UpstreamArea[],
  districts: UpstreamArea[],
  subdistricts: UpstreamArea[],
): AreaRow[] {
  const pcodeById = new Map<string, string>();
  const rows: AreaRow[] = [];
  const add = (area: UpstreamArea, level: AreaRow['level'], parentId: string | undefined): void => {
    const pcode = area.externalIds.ochaPcode;
    if (!pcode) throw new Error(`${area.id} has no OCHA p-code`);
    let parentPcode: string | null = null;
    if (level !== 'governorate') {
      parentPcode = parentId === undefined ? null : (pcodeById.get(parentId) ?? null);
      if (parentPcode === null) throw new Error(`${area.id} links to unknown parent ${parentId}`);
      if (!pcode.startsWith(parentPcode)) {
        throw new Error(`${area.id} (${pcode}) is not under its parent's p-code ${parentPcode}`);
      }
    }
    if (pcodeById.has(area.id)) throw new Error(`${area.id} appears twice`);
    pcodeById.set(area.id, pcode);
    rows.push({
      pcode,
      parent_pcode: parentPcode,
      level,
      name_ar: area.name.ar.trim(),
      name_en: area.name.en.trim(),
      latitude: area.centroid?.latitude ?? null,
      longitude: area.centroid?.longitude ?? null,
    });
  };
  const byPcode = (a: UpstreamArea, b: UpstreamArea): number =>
    (a.externalIds.ochaPcode ?? '').localeCompare(b.externalIds.ochaPcode ?? '');
  for (const area of [...governorates].sort(byPcode)) add(area, 'governorate', undefined);
  for (const area of [...districts].sort(byPcode)) add(area, 'district', area.governorateId);
  for (const area of [...subdistricts].sort(byPcode)) {
    add(area, 'subdistrict', area.districtId);
    // The district link decides the parent; the governorate link must agree with it.
    const district = districts.find((candidate) => candidate.id === area.districtId);
    if (district?.governorateId !== area.governorateId) {
      throw new Error(`${area.id}: its district and governorate links disagree`);
    }
  }
  const pcodes = new Set(rows.map((row) => row.pcode));
  if (pcodes.size !== rows.length) throw new Error('two areas share a p-code');
  return rows;
}

/** One row per line: readable, diffable, and still a plain JSON array. */
export function formatShippedAreas(rows: AreaRow[]): string {
  return `[\n${rows.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}\n]\n`;
}

function main(): void {
  const source = resolve(process.argv[2] ?? defaultSourceDirectory);
  const output = resolve(process.argv[3] ?? shippedAreasFile);
  const read = (name: string): UpstreamArea[] =>
    JSON.parse(readFileSync(join(source, name), 'utf8')) as UpstreamArea[];
  const rows = deriveShippedAreas(
    read('governorates.json'),
    read('districts.json'),
    read('subdistricts.json'),
  );
  writeFileSync(output, formatShippedAreas(rows));
  const count = (level: string): number => rows.filter((row) => row.level === level).length;
  console.log(
    `Wrote ${output}: ${count('governorate')} governorates, ${count('district')} districts, ${count('subdistrict')} subdistricts.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
