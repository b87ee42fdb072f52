/** A programme's rules in words, for the programme and cycle screens. */
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { plainUnits, useCommodities } from '../../api/commodities';
import type { Rules } from '../../api/types';
import { useFormat } from '../../lib/format';
import { useLocalName } from '../../lib/names';

/** The rules in words: "Sugar: 1 kg per person, at least 1 kg, at most 5 kg". */
export function RulesSummary({ rules }: { rules: Rules }) {
  const { t } = useTranslation();
  const format = useFormat();
  const localName = useLocalName();
  const commodities = useCommodities();
  const eligibility = rules.eligibility ?? {};
  return (
    <Stack gap={4}>
      {rules.items.map((item, index) => {
        const commodity = commodities.data?.get(item.commodity);
        const units = commodity ?? plainUnits;
        const name = commodity ? localName(commodity) : item.commodity;
        if (item.per_person !== undefined) {
          return (
            <Text key={index}>
              {name}:{' '}
              {t('programmes.summary.perPerson', {
                quantity: format.quantity(item.per_person, units),
              })}
              {item.min !== undefined &&
                `، ${t('programmes.summary.min', { quantity: format.quantity(item.min, units) })}`}
              {item.max !== undefined &&
                `، ${t('programmes.summary.max', { quantity: format.quantity(item.max, units) })}`}
            </Text>
          );
        }
        return (
          <Text key={index}>
            {name}:{' '}
            {(item.tiers ?? [])
              .map((tier) =>
                tier.size_max === undefined
                  ? t('programmes.summary.tierRest', {
                      quantity: format.quantity(tier.quantity, units),
                    })
                  : t('programmes.summary.tier', {
                      size: format.number(tier.size_max),
                      quantity: format.quantity(tier.quantity, units),
                    }),
              )
              .join(t('common.groupSeparator'))}
          </Text>
        );
      })}
      {(eligibility.tags_any ??
        eligibility.tags_all ??
        eligibility.tags_none ??
        eligibility.area_pcodes) && (
        <Text size="sm" c="dimmed">
          {[
            eligibility.tags_any &&
              `${t('programmes.fields.tags_any')}: ${eligibility.tags_any.join(t('common.listSeparator'))}`,
            eligibility.tags_all &&
              `${t('programmes.fields.tags_all')}: ${eligibility.tags_all.join(t('common.listSeparator'))}`,
            eligibility.tags_none &&
              `${t('programmes.fields.tags_none')}: ${eligibility.tags_none.join(t('common.listSeparator'))}`,
            eligibility.area_pcodes &&
              `${t('programmes.fields.area_pcodes')}: ${eligibility.area_pcodes.join(t('common.listSeparator'))}`,
          ]
            .filter(Boolean)
            .join(' — ')}
        </Text>
      )}
    </Stack>
  );
}
