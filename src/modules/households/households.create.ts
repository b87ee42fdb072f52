/**
 * Registering one household, as the route does: in its own transaction, answering the
 * household as the actor sees it, or the error the one input meets. Before saving, likely
 * duplicates are shown (409 `likely-duplicate`); saving anyway is a choice with a reason.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents, recordPersonalDataReads } from '../audit/audit.service.js';
import type { DuplicateHint } from './duplicates.flagging.js';
import { personalFieldsFor } from './households.presenter.js';
import { createHouseholds, outsideScopeEvents } from './households.registration.js';
import type { HouseholdView } from './households.schema.js';
import { getHouseholdView } from './households.search.js';
import {
  duplicateOutsideScope,
  toFieldIssues,
  type HouseholdIssue,
  type HouseholdWarning,
} from './households.shared.js';

const conflictCodes = new Set(['duplicate-national-id', 'duplicate-card-number']);

/** Throws the error a single failed input answers with: 409 for a duplicate, else 400. */
function throwForIssues(issues: readonly HouseholdIssue[]): never {
  const conflict = issues.find((issue) => conflictCodes.has(issue.code));
  if (conflict?.outside_scope) {
    throw duplicateOutsideScope(conflict.field === 'card_number' ? 'card_number' : 'national_id');
  }
  if (conflict) {
    throw new ConflictError(
      conflict.code,
      conflict.code === 'duplicate-national-id'
        ? 'This national id is already registered.'
        : 'This card number is already issued.',
      { household_id: conflict.household_id },
    );
  }
  throw new ValidationError(toFieldIssues(issues));
}

export interface CreatedHouseholdView extends HouseholdView {
  warnings: HouseholdWarning[];
  duplicate_candidates: DuplicateHint[];
}

/** Thrown inside the transaction to roll a registration back when it meets likely duplicates. */
class LikelyDuplicates extends Error {
  constructor(readonly hints: readonly DuplicateHint[]) {
    super('likely duplicates');
  }
}

/**
 * Registers one household in its own transaction and returns it as the actor sees it, with
 * warnings and likely duplicates; throws ValidationError naming each bad field, or
 * ConflictError: `duplicate-national-id` / `duplicate-card-number` naming the existing
 * household (when in scope), or `likely-duplicate` with the similar households the actor may
 * see, side by side, unless `confirm_not_duplicate` with a `duplicate_reason` says to save anyway.
 */
export async function createHousehold(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  body: Readonly<Record<string, unknown>>,
  clock: Clock,
): Promise<CreatedHouseholdView> {
  const { confirm_not_duplicate: confirm, duplicate_reason: reasonText, ...input } = body;
  const reason = typeof reasonText === 'string' ? reasonText.trim() : '';
  if (confirm === true && reason === '') {
    throw new ValidationError([
      {
        path: '/duplicate_reason',
        message: 'is required to save a likely duplicate',
        code: 'required',
      },
    ]);
  }
  const attempt = () =>
    writeTransaction(storage, async (trx) => {
      const [result] = await createHouseholds(trx, actor, [input], {
        clock,
        ...(confirm === true ? { savedAnywayReason: reason } : {}),
      });
      if (!result) throw new Error('createHouseholds returned no result');
      if (!result.ok) {
        // Nothing was written; the lookups outside the scope are recorded all the same.
        await appendAuditEvents(trx, outsideScopeEvents(actor, [result]), clock);
        return result;
      }
      if (confirm !== true && result.duplicate_candidates.length > 0) {
        throw new LikelyDuplicates(result.duplicate_candidates);
      }
      const view = await getHouseholdView(trx, actor, result.id, true);
      return {
        ...view,
        warnings: result.warnings,
        duplicate_candidates: result.duplicate_candidates,
      };
    });
  let outcome: Awaited<ReturnType<typeof attempt>>;
  try {
    outcome = await attempt().catch(async (error: unknown) => {
      // On PostgreSQL a concurrent registration can commit the same national id or card number
      // between our check and our insert; the unique index refuses ours, and a second attempt
      // answers with the 409 naming the household that won.
      if ((error as { code?: unknown } | null)?.code !== uniqueViolation) throw error;
      return attempt();
    });
  } catch (error) {
    if (!(error instanceof LikelyDuplicates)) throw error;
    throw await likelyDuplicateConflict(storage, actor, error.hints, clock);
  }
  if ('ok' in outcome) throwForIssues(outcome.issues);
  return outcome;
}

/**
 * The 409 of a registration that met likely duplicates: each similar household as the actor
 * may see it, for a side-by-side comparison before deciding; showing them is a read of
 * personal data and recorded as one.
 */
async function likelyDuplicateConflict(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  hints: readonly DuplicateHint[],
  clock: Clock,
): Promise<ConflictError> {
  const candidates = [];
  for (const hint of hints) {
    const household = await getHouseholdView(storage.db, actor, hint.other_household_id, true);
    candidates.push({ score: hint.score, reason: hint.reason, household });
  }
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    candidates.map((candidate) => candidate.household.id),
    personalFieldsFor(actor.role, true),
    clock,
  );
  return new ConflictError(
    'likely-duplicate',
    'A similar household is already registered: compare, or save anyway with a reason.',
    { candidates },
  );
}

const uniqueViolation = '23505';
