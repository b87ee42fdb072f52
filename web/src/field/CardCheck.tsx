/** Checks a household's card at the door: typed (check digits) or scanned (signature), offline. */
import { lazy, Suspense, useState } from 'react';
import { checkCard, type CardCheck as Check } from './card';
import { t } from './i18n';

const Scanner = lazy(() => import('./Scanner'));

/** The camera scanner, fetched the first time it opens (it is precached for offline use). */
export function LazyScanner(props: { onResult: (text: string) => void; onClose: () => void }) {
  return (
    <Suspense fallback={null}>
      <Scanner {...props} />
    </Suspense>
  );
}

export function CardCheck({
  cardKey,
  onChecked,
}: {
  cardKey: CryptoKey | null;
  onChecked: (check: Extract<Check, { ok: true }>) => void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);

  const check = async (value: string) => {
    const result = await checkCard(value, cardKey);
    if (result.ok) {
      setProblem(null);
      onChecked(result);
    } else {
      setProblem(t(`card.${result.code}`));
    }
  };

  return (
    <div className="card-check">
      <label>
        {t('stop.cardTyped')}
        <input
          name="card"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void check(text);
          }}
        />
      </label>
      <div className="row">
        <button type="button" onClick={() => void check(text)} data-testid="check-card">
          {t('stop.checkCard')}
        </button>
        <button type="button" onClick={() => setScanning(true)}>
          {t('stop.scanCard')}
        </button>
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {scanning && (
        <LazyScanner
          onResult={(scanned) => {
            setScanning(false);
            void check(scanned);
          }}
          onClose={() => setScanning(false)}
        />
      )}
    </div>
  );
}
