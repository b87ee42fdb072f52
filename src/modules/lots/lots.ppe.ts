/**
 * Protective equipment issued from a team's stock to one of its volunteers: a ledger transfer
 * from the team's lot accounts to the volunteer's (first expiry first out), recorded on the
 * volunteer's history in the same transaction. Idempotent by the client's id.
 */
import type { Static } from '@sinclair/typebox';
import type { Storage } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { storeTransferCodes } from '../../domain/stores/accounts.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findCommodity } from '../commodities/commodities.service.js';
import { getTeamDetail } from '../teams/teams.service.js';
import type { PpeIssueView } from '../volunteers/volunteers.schema.js';
import { findPpeIssueView, recordStockPpeIssueIn } from '../volunteers/volunteers.service.js';
import type { TeamPpeIssueBody } from './lots.schema.js';
import { moveHeldStock } from './lots.service.js';

type Input = Static<typeof TeamPpeIssueBody>;

export async function issuePpeFromTeam(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  teamId: string,
  input: Input,
  clock: Clock,
): Promise<{ created: boolean; issue: PpeIssueView }> {
  const replay = async (db: Executor) => {
    const stored = await findPpeIssueView(db, input.id);
    if (!stored) return null;
    if (
      stored.volunteer_id !== input.volunteer_id ||
      stored.team_id !== teamId ||
      stored.item !== input.commodity ||
      stored.quantity !== input.quantity
    ) {
      throw new ConflictError('id-conflict', 'This id was already used for another request.');
    }
    return { created: false, issue: stored };
  };
  try {
    return await writeTransaction(storage, async (trx) => {
      const earlier = await replay(trx);
      if (earlier) return earlier;
      const team = await getTeamDetail(trx, actor, teamId);
      if (team.leader_id !== input.volunteer_id && !team.member_ids.includes(input.volunteer_id)) {
        throw new ValidationError([
          { path: '/volunteer_id', message: 'is not a member of this team' },
        ]);
      }
      if (!(await findCommodity(trx, input.commodity))) {
        throw new ValidationError([{ path: '/commodity', message: 'is not a known commodity' }]);
      }
      const drawn = await moveHeldStock(trx, actor, clock, {
        from: { kind: 'team', id: teamId },
        to: { kind: 'volunteer', id: input.volunteer_id },
        commodity: input.commodity,
        quantity: input.quantity,
        transferPrefix: `ppe:${input.id}`,
        code: storeTransferCodes.ppeIssue,
        references: { ppe_issue_id: input.id, team_id: teamId, volunteer_id: input.volunteer_id },
      });
      const issue = await recordStockPpeIssueIn(
        trx,
        actor,
        {
          id: input.id,
          volunteer_id: input.volunteer_id,
          item: input.commodity,
          quantity: input.quantity,
          issued_on: input.issued_on,
          note: input.note?.trim() || null,
          team_id: teamId,
          lot_id: drawn.length === 1 ? drawn[0]!.lotId : null,
        },
        clock,
      );
      return { created: true, issue };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const earlier = await replay(storage.db);
      if (earlier) return earlier;
    }
    throw error;
  }
}
