/**
 * The Lattakia demo (OCHA p-code SY06): Syria's shipped areas, a few real communities of the
 * governorate, the branch's org tree, partners and their service points. Users are not made
 * here: the caller creates one per role (through the users service) and scopes them with the
 * ids this returns.
 *
 * Community codes are local ('SY060000-01'), not OCHA community p-codes, which Awn does not
 * ship; their coordinates are approximate (two or three decimals), enough for a map of the demo.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { AreaRow } from '../areas/areas.schema.js';
import { importAreaRowsIn, loadShippedAreasIn } from '../areas/areas.service.js';
import { countOrgUnits } from '../org-units/org-units.service.js';
import { createOrgUnitIn } from '../org-units/org-units.service.js';
import type { PartnerKind } from '../partners/partners.schema.js';
import { createPartnerIn } from '../partners/partners.service.js';
import type { ServicePointView } from '../service-points/service-points.schema.js';
import { createServicePointIn } from '../service-points/service-points.service.js';

/** What the demo made, for the caller to scope demo users with. */
export interface DemoSeed {
  /** The Lattakia branch, covering SY06. */
  branchId: string;
  /** The four district sections, by the district p-code each covers (SY0600, SY0602, SY0603, SY0604). */
  sectionIds: Record<string, string>;
  /** The units under the sections, each covering some subdistricts. */
  unitIds: string[];
  /** The health directorate (kind health_directorate), e.g. for an inspector. */
  healthDirectorateId: string;
  partnerIds: string[];
  /** The consumer-corporation outlet first, then the three bakeries. */
  servicePointIds: string[];
  servicePoints: ServicePointView[];
  /** The communities added under Lattakia's subdistricts. */
  communityPcodes: string[];
}

const community = (
  pcode: string,
  parentPcode: string,
  kind: NonNullable<AreaRow['kind']>,
  nameAr: string,
  nameEn: string,
  latitude: number,
  longitude: number,
): AreaRow => ({
  pcode,
  parent_pcode: parentPcode,
  level: 'community',
  kind,
  name_ar: nameAr,
  name_en: nameEn,
  latitude,
  longitude,
});

export const demoCommunities: AreaRow[] = [
  community('SY060000-01', 'SY060000', 'neighbourhood', 'الصليبة', 'Al-Sleibeh', 35.518, 35.784),
  community(
    'SY060000-02',
    'SY060000',
    'neighbourhood',
    'الرمل الجنوبي',
    'Al-Raml al-Janoubi',
    35.498,
    35.776,
  ),
  community(
    'SY060000-03',
    'SY060000',
    'neighbourhood',
    'الشيخ ضاهر',
    'Al-Sheikh Daher',
    35.521,
    35.79,
  ),
  community('SY060000-04', 'SY060000', 'neighbourhood', 'الزراعة', 'Al-Ziraa', 35.534, 35.8),
  community('SY060200-01', 'SY060200', 'village', 'سيانو', 'Siyano', 35.38, 35.95),
  community('SY060400-01', 'SY060400', 'town', 'القرداحة', 'Qardaha', 35.46, 36.06),
];

interface DemoSection {
  districtPcode: string;
  nameAr: string;
  nameEn: string;
  units: { nameAr: string; nameEn: string; subdistricts: string[] }[];
}

/** Each district's subdistricts are split between its section's two units. */
export const demoSections: DemoSection[] = [
  {
    districtPcode: 'SY0600',
    nameAr: 'شعبة اللاذقية',
    nameEn: 'Lattakia section',
    units: [
      {
        nameAr: 'وحدة مدينة اللاذقية',
        nameEn: 'Lattakia city unit',
        subdistricts: ['SY060000', 'SY060006'],
      },
      {
        nameAr: 'وحدة ريف اللاذقية',
        nameEn: 'Lattakia countryside unit',
        subdistricts: ['SY060001', 'SY060002', 'SY060003', 'SY060004', 'SY060005'],
      },
    ],
  },
  {
    districtPcode: 'SY0602',
    nameAr: 'شعبة جبلة',
    nameEn: 'Jableh section',
    units: [
      {
        nameAr: 'وحدة مدينة جبلة',
        nameEn: 'Jableh city unit',
        subdistricts: ['SY060200', 'SY060203'],
      },
      {
        nameAr: 'وحدة ريف جبلة',
        nameEn: 'Jableh countryside unit',
        subdistricts: ['SY060201', 'SY060202', 'SY060204', 'SY060205'],
      },
    ],
  },
  {
    districtPcode: 'SY0603',
    nameAr: 'شعبة الحفة',
    nameEn: 'Al-Haffah section',
    units: [
      {
        nameAr: 'وحدة مركز الحفة',
        nameEn: 'Al-Haffah town unit',
        subdistricts: ['SY060300', 'SY060304'],
      },
      {
        nameAr: 'وحدة ريف الحفة',
        nameEn: 'Al-Haffah countryside unit',
        subdistricts: ['SY060301', 'SY060302', 'SY060303'],
      },
    ],
  },
  {
    districtPcode: 'SY0604',
    nameAr: 'شعبة القرداحة',
    nameEn: 'Qardaha section',
    units: [
      {
        nameAr: 'وحدة مركز القرداحة',
        nameEn: 'Qardaha town unit',
        subdistricts: ['SY060400', 'SY060402'],
      },
      {
        nameAr: 'وحدة ريف القرداحة',
        nameEn: 'Qardaha countryside unit',
        subdistricts: ['SY060401', 'SY060403'],
      },
    ],
  },
];

interface DemoPartner {
  kind: PartnerKind;
  nameAr: string;
  nameEn: string;
  areaPcode: string;
  /** Whether the partner runs a service point of the same name in the same area. */
  servicePoint: boolean;
}

const demoPartners: DemoPartner[] = [
  {
    kind: 'health_directorate',
    nameAr: 'مديرية الصحة في اللاذقية',
    nameEn: 'Lattakia Health Directorate',
    areaPcode: 'SY06',
    servicePoint: false,
  },
  {
    kind: 'consumer_corporation',
    nameAr: 'المؤسسة السورية للتجارة - صالة الشيخ ضاهر',
    nameEn: 'Syrian Trading Establishment - Al-Sheikh Daher hall',
    areaPcode: 'SY060000-03',
    servicePoint: true,
  },
  {
    kind: 'bakery',
    nameAr: 'مخبز الرمل الجنوبي الآلي',
    nameEn: 'Al-Raml al-Janoubi automatic bakery',
    areaPcode: 'SY060000-02',
    servicePoint: true,
  },
  {
    kind: 'bakery',
    nameAr: 'مخبز سيانو',
    nameEn: 'Siyano bakery',
    areaPcode: 'SY060200-01',
    servicePoint: true,
  },
  {
    kind: 'bakery',
    nameAr: 'مخبز القرداحة الآلي',
    nameEn: 'Qardaha automatic bakery',
    areaPcode: 'SY060400-01',
    servicePoint: true,
  },
];

async function seedIn(trx: Executor, clock: Clock): Promise<DemoSeed> {
  const actor = systemActor;
  await loadShippedAreasIn(trx, actor, clock);
  await importAreaRowsIn(trx, actor, demoCommunities, clock, 'area.create');
  const branch = await createOrgUnitIn(
    trx,
    actor,
    { kind: 'branch', name_ar: 'فرع اللاذقية', name_en: 'Lattakia branch', area_pcodes: ['SY06'] },
    clock,
  );
  const sectionIds: Record<string, string> = {};
  const unitIds: string[] = [];
  for (const section of demoSections) {
    const created = await createOrgUnitIn(
      trx,
      actor,
      {
        parent_id: branch.id,
        kind: 'section',
        name_ar: section.nameAr,
        name_en: section.nameEn,
        area_pcodes: [section.districtPcode],
      },
      clock,
    );
    sectionIds[section.districtPcode] = created.id;
    for (const unit of section.units) {
      const createdUnit = await createOrgUnitIn(
        trx,
        actor,
        {
          parent_id: created.id,
          kind: 'unit',
          name_ar: unit.nameAr,
          name_en: unit.nameEn,
          area_pcodes: unit.subdistricts,
        },
        clock,
      );
      unitIds.push(createdUnit.id);
    }
  }
  const partnerIds: string[] = [];
  const servicePoints: ServicePointView[] = [];
  let healthDirectorateId = '';
  for (const partner of demoPartners) {
    const created = await createPartnerIn(
      trx,
      actor,
      {
        kind: partner.kind,
        name_ar: partner.nameAr,
        name_en: partner.nameEn,
        area_pcode: partner.areaPcode,
      },
      clock,
    );
    partnerIds.push(created.id);
    if (partner.kind === 'health_directorate') healthDirectorateId = created.id;
    if (partner.servicePoint) {
      servicePoints.push(
        await createServicePointIn(
          trx,
          actor,
          {
            name_ar: partner.nameAr,
            name_en: partner.nameEn,
            area_pcode: partner.areaPcode,
            partner_id: created.id,
          },
          clock,
        ),
      );
    }
  }
  return {
    branchId: branch.id,
    sectionIds,
    unitIds,
    healthDirectorateId,
    partnerIds,
    servicePointIds: servicePoints.map((point) => point.id),
    servicePoints,
    communityPcodes: demoCommunities.map((area) => area.pcode),
  };
}

/**
 * Seeds the demo in one transaction and returns what it made; returns null and changes
 * nothing when the database already has org units (the demo, or a real organisation).
 */
export async function seedDemo(
  storage: Pick<Storage, 'db' | 'dialect'>,
  clock: Clock,
): Promise<DemoSeed | null> {
  return writeTransaction(storage, async (trx) => {
    if ((await countOrgUnits(trx)) > 0) return null;
    return seedIn(trx, clock);
  });
}
