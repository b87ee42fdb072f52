/**
 * Home service points: a programme may tie a household to one service point (as ration-card
 * systems tie a family to one bakery or agent); a redemption of that programme's entitlement
 * elsewhere is then refused with 409 `wrong-service-point` unless a coordinator overrides it.
 * Set in bulk by area or one household at a time; both audited.
 */
import type { Storage } from '../../db/connect.js';
import { assertAreaInScope } from '../../db/scope.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findArea } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findHousehold } from '../households/households.search.js';
import { findProgramme } from '../programmes/programmes.service.js';
import {
  assignHomesInAreas,
  findHomesWithNames,
  findServicePoint,
  setHome,
} from './service-points.repository.js';
import type {
  AssignHomesInput,
  HomeServicePointView,
  SetHomeInput,
} from './service-points.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

async function knownProgramme(db: Executor, programmeId: string): Promise<void> {
  if (!(await findProgramme(db, programmeId))) {
    throw new ValidationError([{ path: '/programme_id', message: 'is not a known programme' }]);
  }
}

/**
 * Makes a service point in the actor's scope the home, in a programme, of every household in
 * the given areas (within the actor's scope): 400 for an unknown programme or area, 404 for a
 * service point or area outside the scope. Answers how many households it set.
 */
export async function assignHomesByArea(
  storage: WriteStorage,
  actor: Actor,
  servicePointId: string,
  input: AssignHomesInput,
  clock: Clock,
): Promise<{ assigned: number }> {
  return writeTransaction(storage, async (trx) => {
    if (!(await findServicePoint(trx, actor.scope, servicePointId))) {
      throw new NotFoundError('service point');
    }
    await knownProgramme(trx, input.programme_id);
    const paths: string[] = [];
    const issues: FieldIssue[] = [];
    for (const [index, pcode] of input.area_pcodes.entries()) {
      const area = await findArea(trx, pcode);
      if (area) paths.push(area.path);
      else issues.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    for (const pcode of input.area_pcodes) await assertAreaInScope(trx, actor.scope, pcode);
    const assigned = await assignHomesInAreas(trx, actor.scope, {
      programmeId: input.programme_id,
      servicePointId,
      areaPaths: paths,
    });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'service_point.assign_homes',
        entity: 'service_point',
        entityId: servicePointId,
        fields: ['programme_id', 'area_pcodes'],
      },
      clock,
    );
    return { assigned };
  });
}

async function householdInScope(db: Executor, actor: Actor, householdId: string): Promise<void> {
  const household = await findHousehold(db, householdId);
  if (!household || !areaInScope(actor.scope, household.area_path)) {
    throw new NotFoundError('household');
  }
}

/** The household's home service point in each programme that sets one. */
export async function listHouseholdHomes(
  db: Executor,
  actor: Actor,
  householdId: string,
): Promise<HomeServicePointView[]> {
  await householdInScope(db, actor, householdId);
  return (await findHomesWithNames(db, [householdId])).map(
    ({ household_id: _householdId, ...home }) => home,
  );
}

/** Each of these households' homes, for card sheets (no scope check: the caller has one). */
export async function homesOfHouseholds(
  db: Executor,
  householdIds: readonly string[],
): Promise<Map<string, HomeServicePointView[]>> {
  const homes = new Map<string, HomeServicePointView[]>();
  for (const { household_id: householdId, ...home } of await findHomesWithNames(db, householdIds)) {
    homes.set(householdId, [...(homes.get(householdId) ?? []), home]);
  }
  return homes;
}

/**
 * Sets or removes (null) one household's home service point in a programme; the household
 * and the service point must be in the actor's scope (404 otherwise), the programme known (400).
 */
export async function setHouseholdHome(
  storage: WriteStorage,
  actor: Actor,
  householdId: string,
  input: SetHomeInput,
  clock: Clock,
): Promise<HomeServicePointView[]> {
  await writeTransaction(storage, async (trx) => {
    await householdInScope(trx, actor, householdId);
    await knownProgramme(trx, input.programme_id);
    if (
      input.service_point_id !== null &&
      !(await findServicePoint(trx, actor.scope, input.service_point_id))
    ) {
      throw new NotFoundError('service point');
    }
    await setHome(trx, {
      householdId,
      programmeId: input.programme_id,
      servicePointId: input.service_point_id,
    });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'household.home_service_point',
        entity: 'household',
        entityId: householdId,
        fields: ['home_service_point'],
      },
      clock,
    );
  });
  return listHouseholdHomes(storage.db, actor, householdId);
}
