// The field app's pure parts: time-ordered op ids, the op queue (batches, answers, warnings,
// what a download lets the phone forget, a stop's view). The offline card check is tested
// against the server's signer in card.test.ts.
import { describe, expect, it } from 'vitest';
import { makeCardNumber } from '../../../src/domain/identity/card-number';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import { newOpId, opIdTime_ms } from './ids';
import {
  applyAnswers,
  batches,
  forgettable,
  problemOps,
  queueHealth,
  stopView,
  waitingOps,
  type FieldStop,
  type StoredOp,
} from './queue';
import { enrolmentToken } from './sync';

const run_id = 'run-1';

/** A UUIDv7-shaped id made at `ms` (without newOpId's guard against a clock stepping back). */
function idAt(ms: number, serial = 0): string {
  const hex = ms.toString(16).padStart(12, '0') + (0x7000 + serial).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-8000-000000000000`;
}

function delivery(id: string, stop_id = 'stop-1', quantity = 2): StoredOp {
  return {
    id,
    state: 'waiting',
    op: {
      id,
      kind: 'delivery',
      run_id,
      stop_id,
      items: [{ commodity: 'bread', quantity }],
      at: '2026-12-07T10:00:00.000Z',
    },
  };
}

describe('op ids', () => {
  it('are UUIDv7 and strictly increasing, within one millisecond and when the clock steps back', () => {
    const ids = [
      ...Array.from({ length: 5000 }, () => newOpId(1_765_000_000_000)),
      newOpId(1_764_000_000_000),
      newOpId(),
    ];
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/u.test(id))).toBe(true);
    for (let index = 1; index < ids.length; index++) {
      expect(ids[index]! > ids[index - 1]!, `id ${index}`).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(opIdTime_ms(newOpId(1_800_000_000_123))).toBe(1_800_000_000_123);
  });
});

describe('the op queue', () => {
  it('cuts the waiting ops, oldest first, into batches of at most 500', () => {
    const ops = Array.from({ length: 1201 }, () => delivery(newOpId()));
    ops.reverse();
    ops.push({ ...delivery(newOpId()), state: 'sent' });
    const cut = batches(ops);
    expect(cut.map((batch) => batch.length)).toEqual([500, 500, 201]);
    const order = cut.flat().map((op) => op.id);
    expect(order).toEqual([...order].sort());
  });

  it('leaves waiting only on an answer naming the op, and keeps the code and reason', () => {
    const sent = [delivery('a'), delivery('b'), delivery('c'), delivery('d'), delivery('e')];
    const answered = applyAnswers(
      sent,
      [
        { id: 'a', status: 'applied' },
        { id: 'b', status: 'exception', code: 'already-delivered', message: 'Delivered before.' },
        { id: 'c', status: 'rejected', code: 'id-conflict' },
        { id: 'x', status: 'applied' },
      ],
      42,
    );
    expect(answered.map((op) => [op.id, op.state, op.code ?? null, op.answered_at])).toEqual([
      ['a', 'sent', null, 42],
      ['b', 'exception', 'already-delivered', 42],
      ['c', 'rejected', 'id-conflict', 42],
    ]);
    expect(answered[1]?.message).toBe('Delivered before.');
    const duplicates = applyAnswers(
      [delivery('f'), delivery('g')],
      [
        { id: 'f', status: 'duplicate' },
        {
          id: 'g',
          status: 'duplicate',
          code: 'run-closed',
          message: 'first answered exception: The run is closed.',
        },
      ],
      43,
    );
    expect(duplicates.map((op) => op.state)).toEqual(['sent', 'exception']);
  });

  it('warns over 50 waiting actions or one older than 4 hours', () => {
    const now = 1_765_000_000_000;
    const recent = Array.from({ length: 50 }, (_, index) => delivery(idAt(now - 60_000, index)));
    expect(queueHealth(recent, now)).toMatchObject({ waiting: 50, oldest_ms: 60_000, warn: false });
    expect(queueHealth([...recent, delivery(idAt(now))], now).warn).toBe(true);
    expect(queueHealth([delivery(idAt(now - 4 * 3_600_000 - 1000))], now).warn).toBe(true);
    expect(queueHealth([{ ...delivery(idAt(now - 9e6)), state: 'sent' }], now)).toEqual({
      waiting: 0,
      oldest_ms: null,
      warn: false,
    });
  });

  it('forgets after a download: never a waiting op; exceptions once resolved; the rest with their run', () => {
    const started = 1000;
    const ops: StoredOp[] = [
      { ...delivery('waiting'), op: { ...delivery('waiting').op, run_id: 'closed' } },
      { ...delivery('sent-live'), state: 'sent', answered_at: 10 },
      {
        ...delivery('sent-closed'),
        state: 'sent',
        op: { ...delivery('x').op, run_id: 'closed' },
      },
      {
        ...delivery('rejected-closed'),
        state: 'rejected',
        op: { ...delivery('y').op, run_id: 'closed' },
      },
      { ...delivery('rejected-live'), state: 'rejected' },
      { ...delivery('exception-open'), state: 'exception', answered_at: 10 },
      { ...delivery('exception-resolved'), state: 'exception', answered_at: 10 },
      { ...delivery('exception-after-start'), state: 'exception', answered_at: 2000 },
    ];
    const download = {
      runs: [{ id: run_id, date: '2026-12-07', status: 'dispatched', team_id: 't', stops: [] }],
      open_exception_op_ids: ['exception-open'],
    };
    expect(forgettable(ops, download, started).sort()).toEqual([
      'exception-resolved',
      'rejected-closed',
      'sent-closed',
    ]);
    expect(waitingOps(ops).map((op) => op.id)).toEqual(['waiting']);
    expect(problemOps(ops).map((op) => op.state)).toEqual([
      'rejected',
      'rejected',
      'exception',
      'exception',
      'exception',
    ]);
  });

  it("shows a stop by this phone's latest op on it, else by the server's state", () => {
    const stop: FieldStop = {
      id: 'stop-1',
      sequence: 1,
      household_id: 'h',
      head_name: 'ماهر سليم الأحمد',
      card_number: makeCardNumber(1),
      address: null,
      items: [{ commodity: 'bread', quantity: 2 }],
      state: 'reserved',
    };
    const failed: StoredOp = {
      id: '1',
      state: 'waiting',
      op: { id: '1', kind: 'visit-failed', run_id, stop_id: 'stop-1', reason: 'not_home', at: '' },
    };
    expect(stopView(stop, [])).toBe('pending');
    expect(stopView(stop, [failed])).toBe('failed');
    expect(stopView(stop, [failed, delivery('2', 'stop-1', 1)])).toBe('partial');
    expect(stopView(stop, [failed, delivery('2', 'stop-1', 2)])).toBe('delivered');
    expect(stopView(stop, [{ ...delivery('2', 'stop-1', 2), state: 'rejected' }])).toBe('pending');
    expect(stopView({ ...stop, state: 'delivered' }, [failed])).toBe('delivered');
    expect(stopView({ ...stop, state: 'voided' }, [])).toBe('voided');
  });
});

describe('field message files', () => {
  const leafKeys = (messages: unknown, prefix = ''): string[] =>
    typeof messages !== 'object' || messages === null
      ? [prefix]
      : Object.entries(messages).flatMap(([key, value]) =>
          leafKeys(value, prefix ? `${prefix}.${key}` : key),
        );

  it('have the same keys in Arabic and English', () => {
    expect(leafKeys(ar).sort()).toEqual(leafKeys(en).sort());
  });
});

describe('enrolment links', () => {
  it('give the device token from the fragment, or nothing', () => {
    expect(enrolmentToken('https://awn.example/field/#enrol=awn_ab%2Bc')).toBe('awn_ab+c');
    expect(enrolmentToken('#enrol=awn_x')).toBe('awn_x');
    expect(enrolmentToken('AWN1.abc.def')).toBeNull();
    expect(enrolmentToken('#enrol=%E0%A4%A')).toBeNull();
  });
});
