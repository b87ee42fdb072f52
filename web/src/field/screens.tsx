/** The field app's screens: sign-in, the runs, a run's stops, a stop at the door, an ad-hoc delivery. */
import { useState, type FormEvent } from 'react';
import { failedReasons, type FailedReason } from '../../../src/shared/vocabulary';
import { toWesternDigits } from '../lib/digits';
import { CardCheck, LazyScanner } from './CardCheck';
import type { CardCheck as Check } from './card';
import { digits, language, t } from './i18n';
import { newOpId } from './ids';
import {
  problemOps,
  stopView,
  type Commodity,
  type FieldOp,
  type FieldRun,
  type FieldStop,
  type Item,
  type QueueHealth,
  type StoredOp,
} from './queue';

type Checked = Extract<Check, { ok: true }>;

export function SignIn({
  problem,
  onSignIn,
  onScanned,
}: {
  problem: string | null;
  onSignIn: (username: string, password: string) => Promise<void>;
  onScanned: (text: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    await onSignIn(String(form.get('username') ?? ''), String(form.get('password') ?? '')).finally(
      () => setBusy(false),
    );
  };
  return (
    <main>
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('signIn.username')}
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <hr />
      {scanning ? (
        <LazyScanner onResult={onScanned} onClose={() => setScanning(false)} />
      ) : (
        <button type="button" onClick={() => setScanning(true)}>
          {t('signIn.scan')}
        </button>
      )}
    </main>
  );
}

export function SyncBar({
  health,
  online,
  busy,
  onSync,
}: {
  health: QueueHealth;
  online: boolean;
  busy: boolean;
  onSync: () => void;
}) {
  return (
    <section className={`sync ${health.warn ? 'warn' : ''}`} aria-live="polite">
      <span className={online ? 'online' : 'offline'}>
        {online ? t('sync.online') : t('sync.offline')}
      </span>
      <span data-testid="waiting-count" data-count={health.waiting}>
        {health.waiting > 0 ? t('sync.waiting', { count: health.waiting }) : t('sync.allSent')}
      </span>
      <button type="button" onClick={onSync} disabled={busy || !online}>
        {busy ? t('sync.sending') : t('sync.sendNow')}
      </button>
      {health.warn && (
        <p className="problem" role="alert">
          {t('sync.tooLong')}
        </p>
      )}
    </section>
  );
}

export function Problems({ ops }: { ops: readonly StoredOp[] }) {
  const listed = problemOps(ops);
  if (listed.length === 0) return null;
  return (
    <section className="problems">
      <h2>{t('problems.title')}</h2>
      <ul>
        {listed.map((stored) => (
          <li key={stored.id} data-testid="problem-op" data-state={stored.state}>
            <strong>{t(`problems.${stored.state}`)}</strong> {stored.code ?? ''}
            {stored.message ? ` — ${stored.message}` : ''}
            <small> {new Date(stored.op.at).toLocaleString()}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function visited(run: FieldRun, ops: readonly StoredOp[]): number {
  return run.stops.filter((stop) => stopView(stop, ops) !== 'pending').length;
}

export function RunList({
  runs,
  ops,
  onOpen,
}: {
  runs: readonly FieldRun[];
  ops: readonly StoredOp[];
  onOpen: (runId: string) => void;
}) {
  return (
    <section>
      <h2>{t('runs.title')}</h2>
      {runs.length === 0 && <p>{t('runs.none')}</p>}
      <ul className="list">
        {runs.map((run) => (
          <li key={run.id}>
            <button type="button" data-testid="run" onClick={() => onOpen(run.id)}>
              <strong dir="ltr">{digits(run.date)}</strong>
              <span>{t('runs.stops', { done: visited(run, ops), count: run.stops.length })}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RunStops({
  run,
  ops,
  onStop,
  onAdHoc,
  onBack,
}: {
  run: FieldRun;
  ops: readonly StoredOp[];
  onStop: (stopId: string) => void;
  onAdHoc: () => void;
  onBack: () => void;
}) {
  return (
    <section>
      <button type="button" className="back" onClick={onBack}>
        {t('runs.back')}
      </button>
      <h2>
        <bdi dir="ltr">{digits(run.date)}</bdi>
      </h2>
      <ol className="list">
        {run.stops.map((stop) => {
          const state = stopView(stop, ops);
          return (
            <li key={stop.id}>
              <button
                type="button"
                data-testid={`stop-${stop.sequence}`}
                data-state={state}
                onClick={() => onStop(stop.id)}
              >
                <strong>
                  {digits(stop.sequence)}. {stop.head_name}
                </strong>
                <span>{stop.address ?? ''}</span>
                <span className={`state ${state}`}>{t(`state.${state}`)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={onAdHoc}>
        {t('runs.adHoc')}
      </button>
    </section>
  );
}

/** Whole numbers typed in any digits, each from 0 to `max`; null when one is not. */
function parseQuantities(texts: readonly string[], maxima: readonly number[]): number[] | null {
  const values = texts.map((text) => {
    const western = toWesternDigits(text.trim());
    return /^\d{1,9}$/u.test(western) ? Number(western) : NaN;
  });
  return values.every((value, index) => value >= 0 && value <= (maxima[index] ?? Infinity))
    ? values
    : null;
}

function Quantities({
  items,
  commodities,
  texts,
  onChange,
}: {
  items: readonly Item[];
  commodities: readonly Commodity[];
  texts: readonly string[];
  onChange: (texts: string[]) => void;
}) {
  const label = (code: string) => {
    const commodity = commodities.find((candidate) => candidate.code === code);
    return t('stop.quantity', {
      commodity: commodity ? (language() === 'ar' ? commodity.name_ar : commodity.name_en) : code,
      unit: commodity ? t(`unit.${commodity.base_unit}`) : '',
    });
  };
  return (
    <fieldset>
      <legend>{t('stop.items')}</legend>
      {items.map((item, index) => (
        <label key={item.commodity}>
          {label(item.commodity)}
          {item.quantity > 0 && <small> / {digits(item.quantity)}</small>}
          <input
            name={`quantity-${item.commodity}`}
            inputMode="numeric"
            value={texts[index] ?? ''}
            onChange={(event) =>
              onChange(texts.map((text, at) => (at === index ? event.target.value : text)))
            }
          />
        </label>
      ))}
    </fieldset>
  );
}

export function StopAtDoor({
  run,
  stop,
  ops,
  cardKey,
  commodities,
  onRecord,
  onBack,
}: {
  run: FieldRun;
  stop: FieldStop;
  ops: readonly StoredOp[];
  cardKey: CryptoKey | null;
  commodities: readonly Commodity[];
  onRecord: (op: FieldOp) => Promise<void>;
  onBack: () => void;
}) {
  const state = stopView(stop, ops);
  const [card, setCard] = useState<Checked | null>(null);
  const [wrongCard, setWrongCard] = useState(false);
  const [texts, setTexts] = useState(stop.items.map((item) => String(item.quantity)));
  const [reason, setReason] = useState<FailedReason>('not_home');
  const quantities = parseQuantities(
    texts,
    stop.items.map((item) => item.quantity),
  );
  const full =
    quantities !== null &&
    quantities.every((value, index) => value === stop.items[index]?.quantity);
  const canDeliver = card !== null && quantities !== null && quantities.some((value) => value > 0);
  const open = state === 'pending' || state === 'failed';

  const checked = (check: Checked) => {
    const matches =
      check.card_number === stop.card_number &&
      (check.household_id === undefined || check.household_id === stop.household_id);
    setWrongCard(!matches);
    setCard(matches ? check : null);
  };

  const deliver = () => {
    if (!quantities) return;
    void onRecord({
      id: newOpId(),
      kind: 'delivery',
      run_id: run.id,
      stop_id: stop.id,
      items: stop.items
        .map((item, index) => ({ commodity: item.commodity, quantity: quantities[index] ?? 0 }))
        .filter((item) => item.quantity > 0),
      at: new Date().toISOString(),
    });
  };

  return (
    <section>
      <button type="button" className="back" onClick={onBack}>
        {t('runs.back')}
      </button>
      <h2>{t('stop.title', { sequence: stop.sequence })}</h2>
      <dl>
        <dt>{stop.head_name}</dt>
        <dd>
          {t('stop.card')}: <span dir="ltr">{digits(stop.card_number)}</span>
        </dd>
        {stop.address && (
          <dd>
            {t('stop.address')}: {stop.address}
          </dd>
        )}
        <dd className={`state ${state}`} data-testid="stop-state">
          {t(`state.${state}`)}
        </dd>
      </dl>
      {open && (
        <>
          {card ? (
            <p className="ok" data-testid="card-ok">
              {t('stop.cardOk')}
            </p>
          ) : (
            <CardCheck cardKey={cardKey} onChecked={checked} />
          )}
          {wrongCard && (
            <p className="problem" role="alert">
              {t('stop.cardWrong')}
            </p>
          )}
          <Quantities
            items={stop.items}
            commodities={commodities}
            texts={texts}
            onChange={setTexts}
          />
          {quantities === null && (
            <p className="problem" role="alert">
              {t('stop.quantityInvalid')}
            </p>
          )}
          <button
            type="button"
            className="primary"
            data-testid="confirm-delivery"
            disabled={!canDeliver}
            onClick={deliver}
          >
            {full ? t('stop.confirm') : t('stop.confirmPartial')}
          </button>
          <fieldset>
            <legend>{t('stop.failed')}</legend>
            <label>
              {t('stop.reason')}
              <select
                name="reason"
                value={reason}
                onChange={(event) => setReason(event.target.value as FailedReason)}
              >
                {failedReasons.map((value) => (
                  <option key={value} value={value}>
                    {t(`reason.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              data-testid="record-failed"
              onClick={() =>
                void onRecord({
                  id: newOpId(),
                  kind: 'visit-failed',
                  run_id: run.id,
                  stop_id: stop.id,
                  reason,
                  at: new Date().toISOString(),
                })
              }
            >
              {t('stop.recordFailed')}
            </button>
          </fieldset>
        </>
      )}
    </section>
  );
}

export function AdHocDelivery({
  run,
  cardKey,
  commodities: known,
  onRecord,
  onBack,
}: {
  run: FieldRun;
  cardKey: CryptoKey | null;
  commodities: readonly Commodity[];
  onRecord: (op: FieldOp) => Promise<void>;
  onBack: () => void;
}) {
  const commodities = [
    ...new Set(run.stops.flatMap((stop) => stop.items.map((item) => item.commodity))),
  ];
  const [card, setCard] = useState<Checked | null>(null);
  const [texts, setTexts] = useState(commodities.map(() => '0'));
  const quantities = parseQuantities(
    texts,
    commodities.map(() => Infinity),
  );
  const some = quantities !== null && quantities.some((value) => value > 0);
  return (
    <section>
      <button type="button" className="back" onClick={onBack}>
        {t('runs.back')}
      </button>
      <h2>{t('adHoc.title')}</h2>
      {card ? (
        <p className="ok" data-testid="card-ok">
          {t('stop.cardOk')}: <span dir="ltr">{digits(card.card_number)}</span>
        </p>
      ) : (
        <CardCheck cardKey={cardKey} onChecked={setCard} />
      )}
      <Quantities
        items={commodities.map((commodity) => ({ commodity, quantity: 0 }))}
        commodities={known}
        texts={texts}
        onChange={setTexts}
      />
      {!some && <p>{t('adHoc.nothing')}</p>}
      <button
        type="button"
        className="primary"
        disabled={card === null || !some}
        onClick={() =>
          card &&
          quantities &&
          void onRecord({
            id: newOpId(),
            kind: 'delivery',
            run_id: run.id,
            card: card.payload ?? card.card_number,
            items: commodities
              .map((commodity, index) => ({ commodity, quantity: quantities[index] ?? 0 }))
              .filter((item) => item.quantity > 0),
            at: new Date().toISOString(),
          })
        }
      >
        {t('adHoc.confirm')}
      </button>
    </section>
  );
}
