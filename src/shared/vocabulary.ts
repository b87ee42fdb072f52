/**
 * The words the server and the web app share for a record's state or kind: defined once here,
 * imported by the schemas, the database types and the screens (glossary: ../shared/STYLE.md).
 */

export const householdStatuses = ['active', 'suspended', 'moved', 'deceased', 'merged'] as const;
export type HouseholdStatus = (typeof householdStatuses)[number];

/** The statuses an edit may set; `merged` comes only from resolving a duplicate. */
export const editableStatuses = ['active', 'suspended', 'moved', 'deceased'] as const;

export const memberSexes = ['female', 'male'] as const;
export type MemberSex = (typeof memberSexes)[number];

/** Relations of a member to the head of household. */
export const memberRelations = [
  'spouse',
  'son',
  'daughter',
  'father',
  'mother',
  'brother',
  'sister',
  'grandchild',
  'grandparent',
  'other',
] as const;
export type MemberRelation = (typeof memberRelations)[number];

export const duplicateStatuses = ['open', 'kept', 'merged'] as const;
export type DuplicateStatus = (typeof duplicateStatuses)[number];

export const cycleStatuses = ['draft', 'opening', 'open', 'closing', 'closed'] as const;
export type CycleStatus = (typeof cycleStatuses)[number];

/** A delivery run's statuses, in the order a run moves through them. */
export const runStatuses = ['planned', 'dispatched', 'in_progress', 'closed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Why a door-to-door visit failed (field sync ops, the runs' summaries, the field app). */
export const failedReasons = ['not_home', 'refused', 'moved', 'unsafe', 'other'] as const;
export type FailedReason = (typeof failedReasons)[number];

/** The outbox's channels (issue 13). */
export const messageChannels = ['sms', 'email', 'webhook', 'inbox'] as const;
export type MessageChannel = (typeof messageChannels)[number];

/** A message's states: queued -> sent -> delivered | failed. */
export const messageStatuses = ['queued', 'sent', 'delivered', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
