/**
 * The field app: every action is written to the phone's store first, then sent whenever the
 * phone is online (at start, when the connection returns, after each action, every 30 s); the
 * runs are downloaded after each send, and what the download allows is forgotten.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { importCardKey } from './card';
import { language, setLanguage, t } from './i18n';
import { forgettable, queueHealth, type FieldOp } from './queue';
import { AdHocDelivery, Problems, RunList, RunStops, SignIn, StopAtDoor, SyncBar } from './screens';
import {
  emptyMeta,
  forgetSignIn,
  loadAll,
  putOps,
  recordOp,
  replaceRuns,
  saveMeta,
  type Meta,
} from './store';
import { downloadRuns, enrolmentToken, sendWaiting, signIn, signOut, whoAmI } from './sync';

type View =
  | { name: 'runs' }
  | { name: 'run'; runId: string }
  | { name: 'stop'; runId: string; stopId: string }
  | { name: 'ad-hoc'; runId: string };

type Data = Awaited<ReturnType<typeof loadAll>>;

const syncEvery_ms = 30_000;
const downloadEvery_ms = 5 * 60_000;

export function App() {
  const [data, setData] = useState<Data>({ meta: emptyMeta, runs: [], ops: [] });
  const [loaded, setLoaded] = useState(false);
  const [view, setView] = useState<View>({ name: 'runs' });
  const [online, setOnline] = useState(navigator.onLine);
  const [busy, setBusy] = useState(false);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [cardKey, setCardKey] = useState<CryptoKey | null>(null);
  const [, setLanguageState] = useState(language());
  const [now, setNow] = useState(Date.now());
  const syncing = useRef(false);
  const again = useRef(false);
  const lastDownload_ms = useRef(0);

  const reload = useCallback(async () => {
    setData(await loadAll());
    setNow(Date.now());
  }, []);

  const signedOut = useCallback(async (meta: Pick<Meta, 'token'>) => {
    await forgetSignIn();
    setProblem(meta.token ? t('signIn.badToken') : null);
  }, []);

  /**
   * Sends what waits, then downloads the runs (unless `quiet`, which downloads only after an
   * answer or when the last download is older than 5 minutes); never loses an op, whatever
   * fails. A call made while a sync runs makes it run once more afterwards.
   */
  const syncNow = useCallback(
    async ({ quiet = false }: { quiet?: boolean } = {}): Promise<void> => {
      if (!navigator.onLine) return;
      if (syncing.current) {
        again.current = true;
        return;
      }
      syncing.current = true;
      setBusy(true);
      try {
        const before = await loadAll();
        if (!before.meta.user) return;
        const outcome = await sendWaiting(before.meta, before.ops, putOps);
        if (outcome.wiped) await saveMeta({ wiped_notice: true });
        const stale = Date.now() - lastDownload_ms.current > downloadEvery_ms;
        if (quiet && outcome.answered.length === 0 && !stale) return;
        const started_ms = Date.now();
        const download = await downloadRuns(before.meta);
        lastDownload_ms.current = started_ms;
        const after = await loadAll();
        await replaceRuns(download.runs, forgettable(after.ops, download, started_ms));
        await saveMeta({
          card_public_key: download.card_public_key,
          commodities: download.commodities,
          downloaded_at: new Date().toISOString(),
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          await signedOut(await loadAll().then((state) => state.meta));
        }
      } finally {
        syncing.current = false;
        setBusy(false);
        await reload();
        if (again.current) {
          again.current = false;
          void syncAgain.current();
        }
      }
    },
    [reload, signedOut],
  );
  const syncAgain = useRef(syncNow);
  useEffect(() => {
    syncAgain.current = syncNow;
  }, [syncNow]);

  /** Signs in with a device token (from the enrolment link or QR) or the current session. */
  const adopt = useCallback(
    async (token: string | null) => {
      try {
        const user = await whoAmI({ token });
        await saveMeta({ token, user });
        setProblem(null);
        await reload();
        await syncNow();
      } catch (error) {
        setProblem(
          error instanceof ApiError && error.status === 0
            ? t('signIn.offline')
            : token
              ? t('signIn.badToken')
              : null,
        );
      }
    },
    [reload, syncNow],
  );

  useEffect(() => {
    const start = async () => {
      const token = enrolmentToken(location.hash);
      if (token) history.replaceState(null, '', location.pathname);
      const state = await loadAll();
      setData(state);
      setLoaded(true);
      if (token) await adopt(token);
      else if (state.meta.user) await syncNow();
      else if (navigator.onLine) await adopt(null);
    };
    void start();
    void navigator.storage?.persist?.().then(setPersisted, () => setPersisted(false));
    const up = () => {
      setOnline(true);
      void syncNow();
    };
    const down = () => setOnline(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    const timer = setInterval(() => void syncNow({ quiet: true }), syncEvery_ms);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
      clearInterval(timer);
    };
  }, [adopt, syncNow]);

  const keyText = data.meta.card_public_key;
  useEffect(() => {
    if (keyText) void importCardKey(keyText).then(setCardKey);
  }, [keyText]);

  const record = async (op: FieldOp) => {
    await recordOp({ id: op.id, op, state: 'waiting' });
    await reload();
    setView({ name: 'run', runId: op.run_id });
    void syncNow();
  };

  const switchLanguage = () => {
    const next = language() === 'ar' ? 'en' : 'ar';
    setLanguage(next);
    setLanguageState(next);
  };

  const health = queueHealth(data.ops, now);
  const header = (
    <header>
      <h1>{t('app.title')}</h1>
      <button type="button" className="link" onClick={switchLanguage}>
        {t('app.language')}
      </button>
    </header>
  );
  if (!loaded) return header;

  if (!data.meta.user) {
    return (
      <>
        {header}
        {health.waiting > 0 && <SyncBar health={health} online={online} busy onSync={() => {}} />}
        <SignIn
          problem={problem}
          onSignIn={async (username, password) => {
            try {
              await signIn(username, password);
              await adopt(null);
            } catch (error) {
              setProblem(
                error instanceof ApiError && error.status === 0
                  ? t('signIn.offline')
                  : t('signIn.failed'),
              );
            }
          }}
          onScanned={(text) => {
            const token = enrolmentToken(text);
            if (token) void adopt(token);
            else setProblem(t('signIn.badToken'));
          }}
        />
      </>
    );
  }

  const run =
    'runId' in view ? data.runs.find((candidate) => candidate.id === view.runId) : undefined;
  const stop =
    view.name === 'stop' ? run?.stops.find((candidate) => candidate.id === view.stopId) : undefined;
  const toRuns = () => setView({ name: 'runs' });

  let screen;
  if (view.name === 'stop' && run && stop) {
    screen = (
      <StopAtDoor
        key={stop.id}
        run={run}
        stop={stop}
        ops={data.ops}
        cardKey={cardKey}
        commodities={data.meta.commodities}
        onRecord={record}
        onBack={() => setView({ name: 'run', runId: run.id })}
      />
    );
  } else if (view.name === 'ad-hoc' && run) {
    screen = (
      <AdHocDelivery
        run={run}
        cardKey={cardKey}
        commodities={data.meta.commodities}
        onRecord={record}
        onBack={() => setView({ name: 'run', runId: run.id })}
      />
    );
  } else if (run) {
    screen = (
      <RunStops
        run={run}
        ops={data.ops}
        onStop={(stopId) => setView({ name: 'stop', runId: run.id, stopId })}
        onAdHoc={() => setView({ name: 'ad-hoc', runId: run.id })}
        onBack={toRuns}
      />
    );
  } else {
    screen = (
      <RunList
        runs={data.runs}
        ops={data.ops}
        onOpen={(runId) => setView({ name: 'run', runId })}
      />
    );
  }

  return (
    <>
      {header}
      <SyncBar health={health} online={online} busy={busy} onSync={() => void syncNow()} />
      {data.meta.wiped_notice && (
        <p className="problem" role="alert">
          {t('sync.wiped')}
        </p>
      )}
      {persisted === false && <p className="note">{t('sync.persistDenied')}</p>}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <main>
        {screen}
        <Problems ops={data.ops} />
      </main>
      <footer>
        <span data-testid="signed-in-as">{data.meta.user.display_name}</span>
        {data.meta.downloaded_at && (
          <small>
            {t('sync.downloaded', { at: new Date(data.meta.downloaded_at).toLocaleTimeString() })}
          </small>
        )}
        <button
          type="button"
          className="link"
          onClick={() => {
            if (health.waiting > 0) {
              setProblem(t('signOut.blocked'));
              return;
            }
            void signOut()
              .then(() => signedOut({ token: null }))
              .then(reload);
          }}
        >
          {t('signOut.button')}
        </button>
      </footer>
    </>
  );
}
