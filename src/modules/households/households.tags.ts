/**
 * The vulnerability tags households may carry, as an organisation configures them: a list of
 * codes with Arabic and English labels (settings['households.vulnerability_tags']). Everything
 * shows a tag by its label; files and exports keep the code. A tag some household still
 * carries cannot be removed (409 `tag-in-use`); relabelling it is always allowed.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { loadHouseholdConfig, settingKeys, type VulnerabilityTag } from './households.config.js';

export async function saveVulnerabilityTags(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  items: readonly VulnerabilityTag[],
  clock: Clock,
): Promise<VulnerabilityTag[]> {
  const tags = items.map((tag) => ({
    code: tag.code,
    label_ar: tag.label_ar.trim(),
    label_en: tag.label_en.trim(),
  }));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const [index, tag] of tags.entries()) {
    if (seen.has(tag.code)) {
      issues.push({ path: `/items/${index}/code`, message: 'appears more than once' });
    }
    seen.add(tag.code);
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return writeTransaction(storage, async (trx) => {
    const removed = (await loadHouseholdConfig(trx)).tags
      .map((tag) => tag.code)
      .filter((code) => !seen.has(code));
    if (removed.length > 0) {
      const inUse = await trx
        .selectFrom('household_tags')
        .select('tag')
        .distinct()
        .where('tag', 'in', removed)
        .execute();
      if (inUse.length > 0) {
        throw new ConflictError(
          'tag-in-use',
          'Households still carry a tag left out of the list; keep it (relabelled) or untag them first.',
          { tags: inUse.map((row) => row.tag).sort() },
        );
      }
    }
    const value = JSON.stringify(tags);
    await trx
      .insertInto('settings')
      .values({ key: settingKeys.vulnerabilityTags, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
      .execute();
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'settings.vulnerability_tags',
        entity: 'setting',
        entityId: settingKeys.vulnerabilityTags,
        fields: ['vulnerability_tags'],
      },
      clock,
    );
    return tags;
  });
}
