/**
 * Generated Lattakia households for the demo and the benchmarks: names from the AKhateeb Arabic
 * lists shipped in data/names/ (MIT), sizes, areas, tags, phones and national ids drawn from a
 * seeded generator, so the same seed always gives the same registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const namesDirectory = fileURLToPath(new URL('../../../data/names/akhateeb/', import.meta.url));

export function readNames(file: string): string[] {
  return readFileSync(join(namesDirectory, file), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** A small deterministic generator (mulberry32): the demo must look the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A household as the create service takes it (the CSV template's fields, plus members). */
export interface GeneratedHousehold {
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string;
  head_family_name: string;
  national_id: string;
  phone: string;
  household_size: number;
  area_pcode: string;
  address: string;
  tags: string[];
}

const tagCodes = [
  'elderly',
  'disability',
  'chronic_illness',
  'female_headed',
  'displaced',
  'family_of_fallen',
  'wounded',
];
const streets = [
  'شارع الثورة',
  'شارع بغداد',
  'شارع 8 آذار',
  'الشارع العام',
  'حارة الجامع',
  'طريق المدرسة',
];

/** `count` households spread over `areaPcodes`, with unique national ids and phones. */
export function generateHouseholds(
  count: number,
  areaPcodes: readonly string[],
  seed = 6,
): GeneratedHousehold[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const male = readNames('male-first--names-in-arabic.txt');
  const female = readNames('female-first-names-in-arabic.txt');
  const family = readNames('last-names-in-arabic.txt');
  const households: GeneratedHousehold[] = [];
  for (let index = 0; index < count; index += 1) {
    const femaleHeaded = random() < 0.15;
    const tags = tagCodes.filter((tag) =>
      tag === 'female_headed' ? femaleHeaded : random() < 0.06,
    );
    const serial = String(index + 1).padStart(7, '0');
    households.push({
      head_given_name: femaleHeaded ? pick(female) : pick(male),
      head_father_name: pick(male),
      head_grandfather_name: pick(male),
      head_family_name: pick(family),
      // 11 digits; the leading 06 echoes Lattakia's code and keeps them clear of real ranges.
      national_id: `0600${serial}`,
      phone: `09${String(30_000_000 + index * 7 + Math.floor(random() * 7)).padStart(8, '0')}`,
      household_size: 1 + Math.min(11, Math.floor(-Math.log(1 - random()) * 4)),
      area_pcode: pick(areaPcodes),
      address: `${pick(streets)}، بناء ${1 + Math.floor(random() * 60)}`,
      tags,
    });
  }
  return households;
}
