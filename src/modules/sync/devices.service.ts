/**
 * Field devices: the office enrols a phone for a volunteer (who must be linked to a user of
 * role volunteer or team_leader) with a device token shown once as an enrolment QR code, and
 * may revoke it. The server counts the ops each device sends so a wiped phone is noticed.
 */
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent, logPersonalDataRead } from '../audit/audit.service.js';
import { hashSecret } from '../auth/secret.js';
import { getCardPublicKey } from '../cards/cards.service.js';
import { listCommodities } from '../commodities/commodities.service.js';
import { fieldStops } from '../runs/runs.manifest.js';
import { runsOfTeams } from '../runs/runs.service.js';
import { teamsOfVolunteer } from '../teams/teams.service.js';
import { createToken, revokeToken } from '../tokens/tokens.service.js';
import { getVolunteerDetail, volunteerOfUser } from '../volunteers/volunteers.service.js';
import {
  findDevice,
  findDeviceByTokenHash,
  findExceptions,
  insertDevice,
  listDevices as selectDevices,
  updateDevice,
  type DeviceRecord,
} from './sync.repository.js';
import type { DeviceView } from './sync.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

function present(row: DeviceRecord): DeviceView {
  return {
    id: row.id,
    volunteer_id: row.volunteer_id,
    name: row.name,
    ops_received: row.ops_received,
    wiped_at: row.wiped_at,
    last_sync_at: row.last_sync_at,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

/** The actor that issues and revokes device tokens on the office's behalf (recorded as the office user). */
function officeIssuer(actor: Actor): Actor {
  return {
    kind: 'system',
    userId: actor.userId,
    role: 'admin',
    scope: { kind: 'all' },
    requestId: actor.requestId,
  };
}

/**
 * Enrols a device for a volunteer in scope: a device token of the volunteer's user, and the
 * enrolment URL (the field app at /field/ with the token in its fragment) as a QR code.
 * 409 `volunteer-has-no-user` when the volunteer cannot sign in.
 */
export async function enrolDevice(
  storage: WriteStorage,
  actor: Actor,
  input: { volunteer_id: string; name: string },
  origin: string,
  clock: Clock,
) {
  const { volunteer } = await getVolunteerDetail(storage.db, actor, input.volunteer_id, clock);
  if (volunteer.user_id === null || volunteer.status !== 'active') {
    throw new ConflictError(
      'volunteer-has-no-user',
      'Link an active volunteer to a volunteer or team leader user first.',
    );
  }
  const { token, secret } = await createToken(
    storage,
    officeIssuer(actor),
    { kind: 'device', name: input.name.trim(), userId: volunteer.user_id },
    clock,
  );
  const row: DeviceRecord = {
    id: randomUUID(),
    token_id: token.id,
    token_hash: hashSecret(secret),
    volunteer_id: volunteer.id,
    name: input.name.trim(),
    ops_received: 0,
    wiped_at: null,
    last_sync_at: null,
    created_by: actor.userId,
    created_at: clock().toISOString(),
    revoked_at: null,
  };
  try {
    await writeTransaction(storage, async (trx) => {
      await insertDevice(trx, row);
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'field_device.enrol',
          entity: 'field_device',
          entityId: row.id,
          fields: ['volunteer_id', 'name'],
        },
        clock,
      );
    });
  } catch (error) {
    await revokeToken(storage, officeIssuer(actor), token.id, clock);
    throw error;
  }
  const enrolmentUrl = `${origin}/field/#enrol=${encodeURIComponent(secret)}`;
  const qrSvg = await QRCode.toString(enrolmentUrl, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
  });
  return { ...present(row), token: secret, enrolment_url: enrolmentUrl, qr_svg: qrSvg };
}

export async function listDevices(db: Executor): Promise<DeviceView[]> {
  return (await selectDevices(db)).map(present);
}

/** Revokes the device's token (idempotent). */
export async function revokeDevice(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<void> {
  const device = await findDevice(storage.db, id);
  if (!device) throw new NotFoundError('field device');
  await revokeToken(storage, officeIssuer(actor), device.token_id, clock);
  if (device.revoked_at !== null) return;
  await writeTransaction(storage, async (trx) => {
    await updateDevice(trx, id, { revoked_at: clock().toISOString() });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'field_device.revoke',
        entity: 'field_device',
        entityId: id,
        fields: ['revoked_at'],
      },
      clock,
    );
  });
}

/** The enrolled device a bearer secret belongs to, if any (not revoked). */
export async function deviceOfSecret(
  db: Executor,
  secret: string | null,
): Promise<DeviceRecord | undefined> {
  if (secret === null) return undefined;
  const device = await findDeviceByTokenHash(db, hashSecret(secret));
  return device && device.revoked_at === null ? device : undefined;
}

/**
 * What the field app downloads: the dispatched and in-progress runs of the actor's teams with
 * only what each visit needs, the card public key, the runs closed in the last week (the
 * phone removes their data), the ops of the teams' runs still open in the exception queue
 * (the phone lists its own until the office resolves them), and the names and units of the
 * commodities the runs carry.
 */
export async function fieldRuns(storage: WriteStorage, actor: Actor, clock: Clock) {
  const volunteer =
    actor.userId === null ? undefined : await volunteerOfUser(storage.db, actor.userId);
  const teamIds = volunteer
    ? (await teamsOfVolunteer(storage.db, volunteer.id)).map((team) => team.id)
    : [];
  const runs = await runsOfTeams(storage.db, teamIds);
  const weekAgo = new Date(clock().getTime() - 7 * 86_400_000).toISOString();
  const live = runs.filter((run) => run.status === 'dispatched' || run.status === 'in_progress');
  const closed = runs.filter((run) => run.status === 'closed' && (run.closed_at ?? '') >= weekAgo);
  const key = await getCardPublicKey(storage.db);
  const openExceptions = await findExceptions(storage.db, {
    status: 'open',
    runIds: runs.map((run) => run.id),
  });
  const commodities = await listCommodities(storage.db);
  return writeTransaction(storage, async (trx) => {
    const stops = await fieldStops(
      trx,
      live.map((run) => run.id),
    );
    if (live.length > 0) {
      await logPersonalDataRead(
        trx,
        actor,
        'run',
        null,
        ['head_name', 'card_number', 'address'],
        clock,
      );
    }
    const carried = new Set(
      [...stops.values()].flatMap((list) =>
        list.flatMap((stop) => stop.items.map((item) => item.commodity)),
      ),
    );
    return {
      card_public_key: key.raw_base64,
      commodities: commodities
        .filter((commodity) => carried.has(commodity.code))
        .map(({ code, name_ar, name_en, base_unit }) => ({ code, name_ar, name_en, base_unit })),
      runs: live.map((run) => ({
        id: run.id,
        date: run.date,
        status: run.status,
        team_id: run.team_id,
        stops: stops.get(run.id) ?? [],
      })),
      closed_run_ids: closed.map((run) => run.id),
      open_exception_op_ids: openExceptions.map((exception) => exception.op_id),
    };
  });
}
