/**
 * The phone's store in IndexedDB (a few promise helpers, no library): `ops` (every action, kept
 * until the server's answer allows forgetting it), `runs` (what the visits need) and `meta`
 * (sign-in, the card key, how many ops this store ever recorded).
 */
import type { Commodity, FieldRun, StoredOp } from './queue';

const databaseName = 'awn-field';
type StoreName = 'ops' | 'runs' | 'meta';

export interface Meta {
  /** The device token from an enrolment QR (null when signed in with a password). */
  token: string | null;
  user: { display_name: string; role: string } | null;
  card_public_key: string | null;
  commodities: Commodity[];
  /** Ops ever recorded in this store: a wiped store restarts at 0, which the server notices. */
  ops_recorded: number;
  downloaded_at: string | null;
  /** The server said this phone sends fewer ops than it received from it. */
  wiped_notice: boolean;
}

export const emptyMeta: Meta = {
  token: null,
  user: null,
  card_public_key: null,
  commodities: [],
  ops_recorded: 0,
  downloaded_at: null,
  wiped_notice: false,
};

let opened: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('ops', { keyPath: 'id' });
      request.result.createObjectStore('runs', { keyPath: 'id' });
      request.result.createObjectStore('meta');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
  });
  return opened;
}

/** Runs `work` in one transaction over `stores`; resolves when it committed. */
async function transact<T>(
  stores: StoreName[],
  mode: IDBTransactionMode,
  work: (transaction: IDBTransaction) => T,
): Promise<T> {
  const transaction = (await database()).transaction(stores, mode);
  const result = work(transaction);
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
  });
  return result;
}

function all<T>(store: StoreName): Promise<T[]> {
  return transact([store], 'readonly', (transaction) => {
    const request = transaction.objectStore(store).getAll();
    return request;
  }).then((request) => request.result as T[]);
}

export async function loadAll(): Promise<{ meta: Meta; runs: FieldRun[]; ops: StoredOp[] }> {
  const [entries, runs, ops] = await Promise.all([
    transact(['meta'], 'readonly', (transaction) => {
      const store = transaction.objectStore('meta');
      return { keys: store.getAllKeys(), values: store.getAll() };
    }),
    all<FieldRun>('runs'),
    all<StoredOp>('ops'),
  ]);
  const meta: Record<string, unknown> = { ...emptyMeta };
  entries.keys.result.forEach((key, index) => {
    meta[String(key)] = entries.values.result[index];
  });
  runs.sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1));
  return { meta: meta as unknown as Meta, runs, ops };
}

export function saveMeta(changes: Partial<Meta>): Promise<void> {
  return transact(['meta'], 'readwrite', (transaction) => {
    const store = transaction.objectStore('meta');
    for (const [key, value] of Object.entries(changes)) store.put(value, key);
  });
}

/** Saves a new op and counts it, in one transaction: it is on the phone before any send. */
export function recordOp(op: StoredOp): Promise<void> {
  return transact(['ops', 'meta'], 'readwrite', (transaction) => {
    transaction.objectStore('ops').add(op);
    const meta = transaction.objectStore('meta');
    const count = meta.get('ops_recorded');
    count.onsuccess = () => meta.put(Number(count.result ?? 0) + 1, 'ops_recorded');
  });
}

export function putOps(ops: readonly StoredOp[]): Promise<void> {
  return transact(['ops'], 'readwrite', (transaction) => {
    const store = transaction.objectStore('ops');
    for (const op of ops) store.put(op);
  });
}

/** Replaces the runs with a fresh download and forgets the given ops, in one transaction. */
export function replaceRuns(runs: readonly FieldRun[], forgetOpIds: readonly string[]) {
  return transact(['runs', 'ops'], 'readwrite', (transaction) => {
    const store = transaction.objectStore('runs');
    store.clear();
    for (const run of runs) store.put(run);
    const ops = transaction.objectStore('ops');
    for (const id of forgetOpIds) ops.delete(id);
  });
}

/** Forgets the runs and the sign-in (ops stay: none may be lost, and the count with them). */
export function forgetSignIn(): Promise<void> {
  return transact(['runs', 'meta'], 'readwrite', (transaction) => {
    transaction.objectStore('runs').clear();
    const meta = transaction.objectStore('meta');
    for (const key of ['token', 'user', 'downloaded_at'] as const) meta.delete(key);
  });
}
