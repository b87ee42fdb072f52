/**
 * The field app's calls to the server: sign-in, the runs download, and sending the waiting ops
 * in batches (POST /api/v1/sync) with the count of ops this store ever recorded.
 */
import { ApiError, apiBase, request } from '../api/client';
import { applyAnswers, batches, type FieldDownload, type StoredOp, type SyncResult } from './queue';
import type { Meta } from './store';

/** The device token in an enrolment link (`/field/#enrol=<token>`), if the text is one. */
export function enrolmentToken(text: string): string | null {
  const match = /[#&]enrol=([^&\s]+)/u.exec(text);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function authorization(meta: Pick<Meta, 'token'>): Record<string, string> {
  return meta.token ? { authorization: `Bearer ${meta.token}` } : {};
}

interface MeBody {
  user?: { display_name?: string | null; username: string; role: string };
}

/** Who the session or device token belongs to (401 ApiError when neither is valid). */
export async function whoAmI(meta: Pick<Meta, 'token'>): Promise<NonNullable<Meta['user']>> {
  const body = await request<MeBody>('GET', '/me', { headers: authorization(meta) });
  const user = body.user ?? (body as NonNullable<MeBody['user']>);
  return { display_name: user.display_name || user.username, role: user.role };
}

export function signIn(username: string, password: string): Promise<unknown> {
  return request('POST', '/auth/login', { body: { username, password } });
}

export function signOut(): Promise<unknown> {
  return request('POST', '/auth/logout', { body: {} }).catch(() => null);
}

export function downloadRuns(meta: Pick<Meta, 'token'>): Promise<FieldDownload> {
  return request<FieldDownload>('GET', '/field/runs', { headers: authorization(meta) });
}

export interface SendOutcome {
  /** Ops whose answer arrived, with their new state. */
  answered: StoredOp[];
  /** The server found this store holds fewer ops than it received from the device. */
  wiped: boolean;
}

/**
 * Sends the waiting ops, a batch at a time, and returns every answer that arrived; calls
 * `onBatch` after each so the store is updated before the next batch goes. Stops at the first
 * failure (offline, server down): what was not answered stays waiting. A 401 rejects.
 */
export async function sendWaiting(
  meta: Pick<Meta, 'token' | 'ops_recorded'>,
  ops: readonly StoredOp[],
  onBatch: (answered: StoredOp[]) => Promise<void>,
): Promise<SendOutcome> {
  const outcome: SendOutcome = { answered: [], wiped: false };
  for (const batch of batches(ops)) {
    let response: Response;
    try {
      response = await fetch(`${apiBase}/sync`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'awn-device-ops': String(meta.ops_recorded),
          ...authorization(meta),
        },
        body: JSON.stringify({ ops: batch.map((stored) => stored.op) }),
      });
    } catch {
      break;
    }
    if (response.status === 401) throw new ApiError(401, 'unauthenticated', '', [], {});
    if (!response.ok) break;
    const body = (await response.json()) as { results: SyncResult[] };
    const answered = applyAnswers(batch, body.results, Date.now());
    outcome.wiped ||= response.headers.get('awn-device-wiped') === '1';
    await onBatch(answered);
    outcome.answered.push(...answered);
  }
  return outcome;
}
