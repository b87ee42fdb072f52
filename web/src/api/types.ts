/**
 * The API's answers as the web app reads them: the server's own schemas (TypeBox), as types
 * only, so a change on the server shows here at compile time and nothing is bundled.
 */
import type { Static } from '@sinclair/typebox';
import type * as areas from '../../../src/modules/areas/areas.schema.js';
import type * as audit from '../../../src/modules/audit/audit.schema.js';
import type * as commodities from '../../../src/modules/commodities/commodities.schema.js';
import type * as cycles from '../../../src/modules/cycles/cycles.schema.js';
import type * as households from '../../../src/modules/households/households.schema.js';
import type * as programmes from '../../../src/modules/programmes/programmes.schema.js';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Area = Static<typeof areas.Area>;
export type Household = Static<typeof households.Household>;
export type Member = NonNullable<Household['members']>[number];
export type Notice = Static<typeof households.Notice>;
export type DuplicateHint = Static<typeof households.DuplicateHint>;
export type CreatedHousehold = Static<typeof households.CreatedHousehold>;
export type VulnerabilityTag = Static<typeof households.VulnerabilityTag>;
export type DuplicateSide = Static<typeof households.DuplicateSide>;
export type DuplicateCandidate = Static<typeof households.DuplicateCandidate>;
export type Commodity = Static<typeof commodities.Commodity>;
export type AuditEvent = Static<typeof audit.AuditEvent>;
export type Rules = Static<typeof programmes.Rules>;
export type Eligibility = NonNullable<Rules['eligibility']>;
export type ItemRule = Rules['items'][number];
export type Tier = NonNullable<ItemRule['tiers']>[number];
export type Programme = Static<typeof programmes.Programme>;
export type Preview = Static<typeof programmes.Preview>;
export type Cycle = Static<typeof cycles.Cycle> & { households_processed?: number };
export type UnservedHousehold = Static<typeof cycles.UnservedHousehold>;
