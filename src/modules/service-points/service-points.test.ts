import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Actor, Scope } from '../../domain/actor.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Role } from '../../shared/roles.js';
import { loadShippedAreas } from '../areas/areas.service.js';
import { createPartner, getPartner, listPartners } from '../partners/partners.service.js';
import {
  createServicePoint,
  getServicePoint,
  listServicePoints,
} from './service-points.service.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

function actorWith(scope: Scope, role: Role = 'coordinator'): Actor {
  return { kind: 'user', userId: `${role}-1`, role, scope, requestId: null };
}
const admin = actorWith({ kind: 'all' }, 'admin');
const lattakiaDistrict = actorWith({ kind: 'areas', paths: ['/SY06/SY0600/'] });
const jablehClerk = actorWith({ kind: 'areas', paths: ['/SY06/SY0602/SY060200/'] }, 'outlet_clerk');
const nowhere = actorWith({ kind: 'areas', paths: [] }, 'volunteer');

describeEachDialect('partners and service points', (storage) => {
  let bakeryId = '';
  let lattakiaPointId = '';
  let jablehPointId = '';

  it('creates partners in known areas and lists them for everyone', async () => {
    await loadShippedAreas(storage(), clock);
    const bakery = await createPartner(
      storage(),
      admin,
      {
        kind: 'bakery',
        name_ar: 'مخبز جبلة الآلي',
        name_en: 'Jableh automatic bakery',
        area_pcode: 'SY060200',
      },
      clock,
    );
    bakeryId = bakery.id;
    expect(bakery).toMatchObject({ kind: 'bakery', area_pcode: 'SY060200' });
    await createPartner(
      storage(),
      admin,
      {
        kind: 'health_directorate',
        name_ar: 'مديرية الصحة في اللاذقية',
        name_en: 'Lattakia Health Directorate',
        area_pcode: 'SY06',
      },
      clock,
    );
    expect(await listPartners(storage().db, {})).toHaveLength(2);
    expect(await listPartners(storage().db, { kind: 'bakery' })).toEqual([bakery]);
    expect(await getPartner(storage().db, bakery.id)).toEqual(bakery);
    await expect(getPartner(storage().db, 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      createPartner(
        storage(),
        admin,
        { kind: 'other', name_ar: 'س', name_en: 'S', area_pcode: 'SY999' },
        clock,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createPartner(
        storage(),
        lattakiaDistrict,
        { kind: 'other', name_ar: 'س', name_en: 'S', area_pcode: 'SY0602' },
        clock,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates service points in scope, with an audit event', async () => {
    const lattakia = await createServicePoint(
      storage(),
      lattakiaDistrict,
      { name_ar: 'صالة الشيخ ضاهر', name_en: 'Al-Sheikh Daher hall', area_pcode: 'SY060000' },
      clock,
    );
    expect(lattakia).toMatchObject({ partner_id: null, area_pcode: 'SY060000' });
    lattakiaPointId = lattakia.id;
    const jableh = await createServicePoint(
      storage(),
      admin,
      {
        name_ar: 'مخبز جبلة الآلي',
        name_en: 'Jableh automatic bakery',
        area_pcode: 'SY060200',
        partner_id: bakeryId,
      },
      clock,
    );
    jablehPointId = jableh.id;
    const event = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity', 'actor_id', 'fields_json'])
      .where('entity_id', '=', jableh.id)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      action: 'service_point.create',
      entity: 'service_point',
      actor_id: 'admin-1',
      fields_json: '["area_pcode","name_ar","name_en","partner_id"]',
    });
  });

  it('refuses an unknown partner or area, and an area outside the scope as not found', async () => {
    const error = await createServicePoint(
      storage(),
      admin,
      { name_ar: 'س', name_en: 'S', area_pcode: 'SY069999', partner_id: 'missing' },
      clock,
    ).catch((caught: unknown) => caught);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      '/area_pcode',
      '/partner_id',
    ]);
    await expect(
      createServicePoint(
        storage(),
        lattakiaDistrict,
        { name_ar: 'س', name_en: 'S', area_pcode: 'SY060201' },
        clock,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists and reads only the service points inside the scope', async () => {
    const ids = async (actor: Actor, input = {}) =>
      (await listServicePoints(storage().db, actor, input)).map((point) => point.id).sort();
    expect(await ids(admin)).toEqual([lattakiaPointId, jablehPointId].sort());
    expect(await ids(lattakiaDistrict)).toEqual([lattakiaPointId]);
    expect(await ids(jablehClerk)).toEqual([jablehPointId]);
    expect(await ids(nowhere)).toEqual([]);
    expect(await ids(admin, { area: 'SY0602' })).toEqual([jablehPointId]);
    expect(await ids(admin, { partner_id: bakeryId })).toEqual([jablehPointId]);
    expect(await ids(lattakiaDistrict, { area: 'SY0602' })).toEqual([]);

    await expect(getServicePoint(storage().db, jablehClerk, jablehPointId)).resolves.toMatchObject({
      name_en: 'Jableh automatic bakery',
    });
    await expect(
      getServicePoint(storage().db, jablehClerk, lattakiaPointId),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(getServicePoint(storage().db, admin, 'missing')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
