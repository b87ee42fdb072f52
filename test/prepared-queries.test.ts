/**
 * The compiled SQL of every prepared query, per form (held: SQLite inside writeTransaction,
 * one key or row a statement; sqlite and postgres: one statement through Kysely), kept in
 * __snapshots__ so a change to a hot path's SQL shows in review. A repository exports its
 * prepared queries; add its module here.
 */
import { describe, expect, it } from 'vitest';
import { isPrepared } from '../src/db/prepared.js';
import * as audit from '../src/modules/audit/audit.repository.js';
import * as cards from '../src/modules/cards/cards.repository.js';
import * as ledger from '../src/modules/ledger/ledger.repository.js';
import * as messaging from '../src/modules/messaging/messaging.repository.js';
import * as redemptions from '../src/modules/redemptions/redemptions.repository.js';
import * as runs from '../src/modules/runs/runs.repository.js';
import * as servicePoints from '../src/modules/service-points/service-points.repository.js';
import * as sync from '../src/modules/sync/sync.repository.js';

const modules = { audit, cards, ledger, messaging, redemptions, runs, servicePoints, sync };

describe('prepared queries', () => {
  for (const [module, exports] of Object.entries(modules)) {
    const prepared = Object.entries(exports).filter(([, value]) => isPrepared(value));
    it(`${module} exports its prepared queries`, () => {
      expect(prepared.length).toBeGreaterThan(0);
    });
    for (const [name, query] of prepared) {
      if (!isPrepared(query)) continue;
      it(`${module}.${name} compiles to the SQL on record`, () => {
        expect(query.forms()).toMatchSnapshot();
      });
    }
  }
});
