/** The migrations in order; adding one means adding a file and a line here. */
import type { Migration } from 'kysely';
import * as foundation from './2026-11-29T0000-foundation.js';
import * as households from './2026-11-29T0100-households.js';
import * as programmes from './2026-11-29T0200-programmes.js';
import * as transfersAccountIndexes from './2026-11-29T0300-transfers-account-indexes.js';
import * as loginFailures from './2026-12-07T0000-login-failures.js';
import * as auditSeqRowid from './2026-12-07T0100-audit-seq-rowid.js';
import * as volunteersTeamsRuns from './2026-12-07T1000-volunteers-teams-runs.js';
import * as tokenAuditAndAttempts from './2026-12-07T1700-token-audit-and-attempts.js';
import * as duplicateSavedAnyway from './2026-12-07T1800-duplicate-saved-anyway.js';
import * as counterRules from './2026-12-07T1900-counter-rules.js';
import * as finiteNumbers from './2026-12-07T1930-finite-numbers.js';
import * as runRoutes from './2026-12-07T2100-run-routes.js';
import * as ppeIssues from './2026-12-07T2200-ppe-issues.js';
import * as counterDesk from './2026-12-07T2230-counter-desk.js';
import * as householdImports from './2026-12-07T2300-household-imports.js';
import * as importJoins from './2026-12-07T2330-import-joins.js';
import * as warehousesLots from './2026-12-08T0100-warehouses-lots.js';
import * as messaging from './2026-12-08T0200-messaging.js';
import * as meetings from './2026-12-08T0210-meetings.js';
import * as circulars from './2026-12-08T0220-circulars.js';
import * as circularAttachments from './2026-12-08T0230-circular-attachments.js';

export const migrations: Record<string, Migration> = {
  '2026-11-29T0000-foundation': foundation,
  '2026-11-29T0100-households': households,
  '2026-11-29T0200-programmes': programmes,
  '2026-11-29T0300-transfers-account-indexes': transfersAccountIndexes,
  '2026-12-07T0000-login-failures': loginFailures,
  '2026-12-07T0100-audit-seq-rowid': auditSeqRowid,
  '2026-12-07T1000-volunteers-teams-runs': volunteersTeamsRuns,
  '2026-12-07T1700-token-audit-and-attempts': tokenAuditAndAttempts,
  '2026-12-07T1800-duplicate-saved-anyway': duplicateSavedAnyway,
  '2026-12-07T1900-counter-rules': counterRules,
  '2026-12-07T1930-finite-numbers': finiteNumbers,
  '2026-12-07T2100-run-routes': runRoutes,
  '2026-12-07T2200-ppe-issues': ppeIssues,
  '2026-12-07T2230-counter-desk': counterDesk,
  '2026-12-07T2300-household-imports': householdImports,
  '2026-12-07T2330-import-joins': importJoins,
  '2026-12-08T0100-warehouses-lots': warehousesLots,
  '2026-12-08T0200-messaging': messaging,
  '2026-12-08T0210-meetings': meetings,
  '2026-12-08T0220-circulars': circulars,
  '2026-12-08T0230-circular-attachments': circularAttachments,
};
