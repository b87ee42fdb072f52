/**
 * The audit log as people read it: each event with its actor's name and role and its record's
 * name, filters by day range, and the CSV export. Names come from the owning modules'
 * services; this file is imported only by the routes, so no module depends on it.
 */
import type { Readable } from 'node:stream';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { neutraliseCell } from '../../shared/import-columns.js';
import type { Role } from '../../shared/roles.js';
import { configuredTimeZone, localDayBounds } from '../../shared/time-zone.js';
import { findAreas } from '../areas/areas.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { getCycle } from '../cycles/cycles.service.js';
import { csvStream } from '../household-files/household-files.formats.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import { findPartner } from '../partners/partners.service.js';
import { findProgramme } from '../programmes/programmes.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import { listUsers } from '../users/users.service.js';
import {
  appendAuditEvent,
  listAuditEvents,
  type AuditEventQuery,
  type AuditEventView,
} from './audit.service.js';

export interface RecordLabel {
  label_ar: string;
  label_en: string;
}

export interface AuditLogEntry extends AuditEventView {
  /** Who did it; null for the system (CLI, jobs) or a user since deleted. */
  actor: { display_name: string; role: Role } | null;
  /** The record's name where it has one that is not personal data (households have none here). */
  record: RecordLabel | null;
}

export interface AuditLogQuery extends AuditEventQuery {
  /** First and last local day (YYYY-MM-DD, deployment time zone), both included. */
  from?: string;
  to?: string;
}

const timeZone = configuredTimeZone();

function bilingual(row: { name_ar: string; name_en: string | null }): RecordLabel {
  return { label_ar: row.name_ar, label_en: row.name_en || row.name_ar };
}

type LabelReader = (db: Executor, actor: Actor, ids: string[]) => Promise<Map<string, RecordLabel>>;

/** One at a time where the owning module reads one at a time: a page names few records. */
function eachOf(
  read: (db: Executor, actor: Actor, id: string) => Promise<RecordLabel | undefined>,
): LabelReader {
  return async (db, actor, ids) => {
    const labels = new Map<string, RecordLabel>();
    for (const id of ids) {
      const label = await read(db, actor, id).catch(() => undefined);
      if (label) labels.set(id, label);
    }
    return labels;
  };
}

const labelReaders: Record<string, LabelReader> = {
  area: async (db, _actor, ids) => {
    const areas = await findAreas(db, ids);
    return new Map([...areas].map(([pcode, area]) => [pcode, bilingual(area)]));
  },
  commodity: async (db, _actor, ids) =>
    new Map((await findCommodities(db, ids)).map((row) => [row.code, bilingual(row)])),
  partner: eachOf(async (db, _actor, id) => {
    const row = await findPartner(db, id);
    return row && bilingual(row);
  }),
  service_point: eachOf(async (db, _actor, id) => {
    const row = await findServicePoint(db, { kind: 'all' }, id);
    return row && bilingual(row);
  }),
  programme: eachOf(async (db, _actor, id) => {
    const row = await findProgramme(db, id);
    return row && bilingual(row);
  }),
  org_unit: eachOf(async (db, _actor, id) => bilingual(await getOrgUnit(db, id))),
  cycle: eachOf(async (db, actor, id) => {
    const cycle = await getCycle(db, actor, id);
    const programme = await findProgramme(db, cycle.programme_id);
    const name = programme ? bilingual(programme) : { label_ar: '', label_en: '' };
    return {
      label_ar: `${name.label_ar} ${cycle.starts_on}`.trim(),
      label_en: `${name.label_en} ${cycle.starts_on}`.trim(),
    };
  }),
};

async function withNames(
  db: Executor,
  actor: Actor,
  events: AuditEventView[],
): Promise<AuditLogEntry[]> {
  const users = new Map((await listUsers(db, actor)).map((user) => [user.id, user]));
  const labels = new Map<string, Map<string, RecordLabel>>();
  for (const [entity, read] of Object.entries(labelReaders)) {
    const ids = [
      ...new Set(events.flatMap((event) => (event.entity === entity && event.entity_id) || [])),
    ];
    if (ids.length > 0) labels.set(entity, await read(db, actor, ids));
  }
  return events.map((event) => {
    const user = event.actor_id ? users.get(event.actor_id) : undefined;
    const named = event.entity === 'user' && event.entity_id ? users.get(event.entity_id) : null;
    const record = named
      ? { label_ar: named.display_name, label_en: named.display_name }
      : (event.entity_id && labels.get(event.entity)?.get(event.entity_id)) || null;
    return {
      ...event,
      actor: user ? { display_name: user.display_name, role: user.role } : null,
      record,
    };
  });
}

function withDayRange(query: AuditLogQuery): AuditEventQuery & { atFrom?: string; atTo?: string } {
  const { from, to, ...rest } = query;
  if (from && to && to < from)
    throw new ValidationError([
      { path: '/to', message: 'must not be before from', code: 'ends-before-starts' },
    ]);
  return {
    ...rest,
    ...(from ? { atFrom: localDayBounds(from, timeZone).start } : {}),
    ...(to ? { atTo: localDayBounds(to, timeZone).end } : {}),
  };
}

/** A page of the log, newest first, each event with its actor's and record's names. */
export async function readAuditLog(
  db: Executor,
  actor: Actor,
  query: AuditLogQuery,
): Promise<{ items: AuditLogEntry[]; next_cursor: string | null }> {
  const page = await listAuditEvents(db, actor, withDayRange(query));
  return { items: await withNames(db, actor, page.items), next_cursor: page.next_cursor };
}

/** Everyone who may appear as an actor, for the log's filter: id, name and role only. */
export async function listAuditActors(
  db: Executor,
  actor: Actor,
): Promise<{ items: { id: string; display_name: string; role: Role }[] }> {
  const users = await listUsers(db, actor);
  return {
    items: users.map((user) => ({ id: user.id, display_name: user.display_name, role: user.role })),
  };
}

export const auditExportColumns = [
  'seq',
  'at',
  'actor',
  'actor_role',
  'action',
  'entity',
  'entity_id',
  'record',
  'fields',
  'request_id',
  'token_id',
  'hash',
] as const;

const exportPageSize = 500;

/**
 * The events matching the filter, newest first, as a CSV stream (every cell neutralised as in
 * the household export). The export itself is audited first, naming the filters used.
 */
export async function exportAuditLog(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  query: AuditLogQuery,
  clock: Clock,
): Promise<{ stream: Readable; filename: string }> {
  const filter = withDayRange({ ...query, limit: exportPageSize });
  const first = await listAuditEvents(storage.db, actor, filter);
  await writeTransaction(storage, (trx) =>
    appendAuditEvent(
      trx,
      {
        actor,
        action: 'audit.export',
        entity: 'audit_event',
        entityId: null,
        fields: Object.keys(query).filter((key) => key !== 'limit' && key !== 'cursor'),
      },
      clock,
    ),
  );

  async function* rows(): AsyncGenerator<string[]> {
    yield [...auditExportColumns];
    let page = first;
    for (;;) {
      for (const event of await withNames(storage.db, actor, page.items)) {
        yield [
          String(event.seq),
          event.at,
          event.actor?.display_name ?? '',
          event.actor?.role ?? '',
          event.action,
          event.entity,
          event.entity_id ?? '',
          event.record?.label_ar ?? '',
          event.fields.join(' '),
          event.request_id ?? '',
          event.token_id ?? '',
          event.hash,
        ].map(neutraliseCell);
      }
      if (page.next_cursor === null) return;
      page = await listAuditEvents(storage.db, actor, { ...filter, cursor: page.next_cursor });
    }
  }
  return {
    stream: csvStream(rows()),
    filename: `audit-log-${clock().toISOString().slice(0, 10)}.csv`,
  };
}
