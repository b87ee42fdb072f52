/** Teams on the wire: members and leader, areas served, what a run carries, required trainings. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

const Id = Type.String({ minLength: 1, maxLength: 100 });

export const CreateTeamBody = StrictObject({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  org_unit_id: Id,
  leader_id: Id,
  member_ids: Type.Array(Id, { maxItems: 50, uniqueItems: true }),
  area_pcodes: Type.Array(Pcode, { minItems: 1, maxItems: 100, uniqueItems: true }),
  /** Training codes every member must hold; the configured default when left out. */
  required_trainings: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, uniqueItems: true }),
  ),
  /** The most stops in one run (30 when left out). */
  max_stops: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  /** The most of each commodity one run carries, in base units; unlimited when left out. */
  capacity: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.Integer({ minimum: 1 })),
  ),
});
export type CreateTeamInput = Static<typeof CreateTeamBody>;

export const Team = Type.Object({
  id: Type.String(),
  name: Type.String(),
  org_unit_id: Type.String(),
  leader_id: Type.String(),
  member_ids: Type.Array(Type.String()),
  area_pcodes: Type.Array(Type.String()),
  required_trainings: Type.Array(Type.String()),
  max_stops: Type.Integer(),
  capacity: Type.Record(Type.String(), Type.Integer()),
  created_at: Type.String(),
});
export type TeamView = Static<typeof Team>;

export const TeamList = Type.Object({ items: Type.Array(Team) });
