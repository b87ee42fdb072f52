/** `awn ledger verify` and `awn audit verify`: print a summary, exit non-zero on the first discrepancy. */
import type { Storage } from '../db/connect.js';
import { formatChainHead, parseChainHead } from '../modules/audit/audit.chain.js';
import { verifyAuditLog } from '../modules/audit/audit.service.js';
import { verifyLedger } from '../modules/ledger/ledger.service.js';

export async function verifyLedgerCommand(storage: Storage): Promise<number> {
  const report = await verifyLedger(storage.db);
  console.log(
    `Ledger: ${report.accounts} accounts, ${report.transfers} transfers, ${report.commodities} commodities checked.`,
  );
  const first = report.discrepancies[0];
  if (!first) {
    console.log('OK: every balance matches its transfers and every commodity sums to zero.');
    return 0;
  }
  console.error(
    `FAILED: ${report.discrepancies.length} discrepancies; the first: ${JSON.stringify(first)}`,
  );
  return 2;
}

export async function verifyAuditCommand(
  storage: Storage,
  options: { head?: string } = {},
): Promise<number> {
  const recorded = options.head === undefined ? undefined : parseChainHead(options.head);
  if (recorded === null) {
    console.error('--head must be <seq>:<hash> as printed by an earlier `awn audit verify`.');
    return 1;
  }
  const report = await verifyAuditLog(storage.db, recorded);
  if (report.ok) {
    console.log(`Audit log: ${report.events} events; the hash chain is intact.`);
    if (report.head) {
      console.log(
        `Head: ${formatChainHead(report.head)} (keep it; \`awn audit verify --head\` with it later also catches deleted newest events)`,
      );
    }
    return 0;
  }
  console.error(`Audit log: FAILED at event ${report.firstBad?.seq}: ${report.firstBad?.reason}.`);
  return 2;
}
