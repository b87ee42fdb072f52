/**
 * The audit log's hash chain, pure: each event's hash covers its own content and the hash of
 * the event before it, so changing, deleting or inserting an event breaks the chain there.
 */
import { hash } from 'node:crypto';

/** The previous hash of the first event. */
export const genesisHash = '0'.repeat(64);

/** The hashed content of one event, exactly as stored. */
export interface ChainedEvent {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  fields_json: string;
  request_id: string | null;
  /** Hashed only when set, so events from before the column keep their hashes. */
  token_id?: string | null;
  previous_hash: string;
}

/** JSON with keys in sorted order, so the same content always gives the same text. */
export function canonicalJson(value: Record<string, string | number | null>): string {
  const sorted = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(value[key])}`);
  return `{${sorted.join(',')}}`;
}

/** SHA-256 (hex) over the canonical JSON of the event's content and its predecessor's hash. */
export function hashAuditEvent(event: ChainedEvent): string {
  return hash(
    'sha256',
    canonicalJson({
      seq: event.seq,
      at: event.at,
      actor_id: event.actor_id,
      action: event.action,
      entity: event.entity,
      entity_id: event.entity_id,
      fields_json: event.fields_json,
      request_id: event.request_id,
      ...(event.token_id != null ? { token_id: event.token_id } : {}),
      previous_hash: event.previous_hash,
    }),
  );
}

/**
 * `head-missing`: the chain ends before a head recorded earlier (its newest events were
 * deleted); `head-mismatch`: the event at a recorded head's seq is not the one recorded.
 */
export type ChainFault =
  'hash-mismatch' | 'chain-broken' | 'sequence-gap' | 'head-missing' | 'head-mismatch';

/** The newest event's seq and hash, as `awn audit verify` prints it: `<seq>:<hash>`. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export function formatChainHead(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

/** Parses `<seq>:<hash>` (a head printed by an earlier verify); null when malformed. */
export function parseChainHead(text: string): ChainHead | null {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/u.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2] as string } : null;
}

/**
 * Checks one event against the one before it (null for the first event of the log) and
 * names what is wrong, or returns null. A deleted event shows as a sequence gap at its
 * successor; an inserted or edited one as a broken link or a hash that does not match.
 */
export function checkChainLink(
  previous: { seq: number; hash: string } | null,
  event: ChainedEvent & { hash: string },
): ChainFault | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (event.seq !== expectedSeq) return 'sequence-gap';
  if (event.previous_hash !== (previous ? previous.hash : genesisHash)) return 'chain-broken';
  if (hashAuditEvent(event) !== event.hash) return 'hash-mismatch';
  return null;
}
