/** The trainings catalogue: code, names and how many days a completed training stays valid. */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findTrainings, insertTraining, type TrainingRecord } from './trainings.repository.js';
import type { CreateTrainingInput, TrainingView } from './trainings.schema.js';

function present(row: TrainingRecord): TrainingView {
  return {
    code: row.code,
    name_ar: row.name_ar,
    name_en: row.name_en,
    valid_days: row.valid_days,
    created_at: row.created_at,
  };
}

/** Adds a training to the catalogue; a taken code is 409 `training-exists`. */
export async function createTraining(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateTrainingInput,
  clock: Clock,
): Promise<TrainingView> {
  const days =
    typeof input.valid_days === 'number'
      ? input.valid_days
      : /^\d{1,5}$/u.test(toAsciiDigits(input.valid_days.trim()))
        ? Number(toAsciiDigits(input.valid_days.trim()))
        : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new ValidationError([
      { path: '/valid_days', message: 'must be a whole number of days from 1 to 36500' },
    ]);
  }
  const row: TrainingRecord = {
    code: input.code,
    name_ar: input.name_ar.trim(),
    name_en: input.name_en.trim(),
    valid_days: days,
    created_at: clock().toISOString(),
  };
  return writeTransaction(storage, async (trx) => {
    if (!(await insertTraining(trx, row))) {
      throw new ConflictError('training-exists', `A training with code ${row.code} exists.`);
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'training.create',
        entity: 'training',
        entityId: row.code,
        fields: ['code', 'name_ar', 'name_en', 'valid_days'],
      },
      clock,
    );
    return present(row);
  });
}

export async function listTrainings(db: Executor): Promise<TrainingView[]> {
  return (await findTrainings(db)).map(present);
}

/** The catalogue entries with these codes, by code (unknown codes are left out). */
export async function trainingsByCode(
  db: Executor,
  codes: readonly string[],
): Promise<Map<string, TrainingView>> {
  return new Map(
    (await findTrainings(db, [...new Set(codes)])).map((row) => [row.code, present(row)]),
  );
}
