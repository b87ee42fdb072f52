/**
 * A day chosen from a calendar in the user's language, direction and digits, instead of the
 * browser's own date field (mm/dd/yyyy in many browsers, whatever the page's language). The
 * value is a calendar day, `YYYY-MM-DD`, or '' for none; days are handled in UTC so that no
 * time zone moves them. Keyboard: arrows move a day or a week, Page Up/Down a month, Enter
 * chooses, Escape closes.
 */
import {
  ActionIcon,
  Button,
  Group,
  Input,
  Popover,
  SimpleGrid,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';
import { useSettings } from '../lib/settings-context';

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** The day as a UTC midnight, or null when the text is not a real calendar day. */
export function parseDay(text: string): Date | null {
  const match = dayPattern.exec(text);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text ? date : null;
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

export interface DateFieldProps {
  label: string;
  value: string;
  onChange: (day: string) => void;
  error?: string | undefined;
  description?: string | undefined;
  required?: boolean | undefined;
  name?: string | undefined;
  mt?: string;
  'data-testid'?: string;
}

export function DateField({
  label,
  value,
  onChange,
  error,
  description,
  required,
  name,
  mt,
  'data-testid': testId,
}: DateFieldProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const { settings } = useSettings();
  const chosen = parseDay(value);
  const [opened, setOpened] = useState(false);
  const [cursor, setCursor] = useState<Date>(chosen ?? todayUtc());
  const grid = useRef<HTMLDivElement>(null);

  // The week starts on Saturday in Arabic (as in Syria's calendars), Monday in English.
  const firstWeekday = settings.language === 'ar' ? 6 : 1;
  const formats = useMemo(
    () => ({
      day: new Intl.DateTimeFormat(format.locale, { dateStyle: 'long', timeZone: 'UTC' }),
      month: new Intl.DateTimeFormat(format.locale, {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
      weekday: new Intl.DateTimeFormat(format.locale, { weekday: 'short', timeZone: 'UTC' }),
    }),
    [format.locale],
  );

  const monthStart = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth(), 1));
  const leading = (monthStart.getUTCDay() - firstWeekday + 7) % 7;
  const gridStart = addDays(monthStart, -leading);
  const days = Array.from({ length: 42 }, (_, index) => addDays(gridStart, index));
  const weekdays = days.slice(0, 7).map((day) => formats.weekday.format(day));

  useEffect(() => {
    if (!opened) return;
    const button = grid.current?.querySelector<HTMLButtonElement>(`[data-day="${dayOf(cursor)}"]`);
    button?.focus();
  }, [opened, cursor]);

  const open = () => {
    setCursor(chosen ?? todayUtc());
    setOpened(true);
  };
  const choose = (day: Date) => {
    onChange(dayOf(day));
    setOpened(false);
  };
  // Right and left follow the reading direction: in Arabic, left is the next day.
  const forward = settings.language === 'ar' ? -1 : 1;
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, () => Date> = {
      ArrowRight: () => addDays(cursor, forward),
      ArrowLeft: () => addDays(cursor, -forward),
      ArrowDown: () => addDays(cursor, 7),
      ArrowUp: () => addDays(cursor, -7),
      PageDown: () => addMonths(cursor, 1),
      PageUp: () => addMonths(cursor, -1),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setCursor(move());
    }
  };

  const inputId = `date-${name ?? label}`;
  return (
    <Input.Wrapper
      label={label}
      required={required}
      error={error}
      description={description}
      mt={mt}
      id={inputId}
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-start"
        trapFocus
        returnFocus
        withinPortal
        shadow="md"
        transitionProps={{ duration: 0 }}
      >
        <Popover.Target>
          <Input
            component="button"
            type="button"
            id={inputId}
            name={name}
            value={value}
            pointer
            error={Boolean(error)}
            aria-haspopup="dialog"
            aria-expanded={opened}
            onClick={() => (opened ? setOpened(false) : open())}
            data-testid={testId}
            data-value={value}
          >
            {chosen ? (
              formats.day.format(chosen)
            ) : (
              <Input.Placeholder>{t('datePicker.choose')}</Input.Placeholder>
            )}
          </Input>
        </Popover.Target>
        <Popover.Dropdown
          role="dialog"
          aria-label={label}
          data-testid="date-picker"
          onKeyDown={onKeyDown}
        >
          <Group justify="space-between" mb="xs" wrap="nowrap">
            <ActionIcon
              variant="subtle"
              onClick={() => setCursor(addMonths(cursor, -1))}
              aria-label={t('datePicker.previousMonth')}
            >
              {settings.language === 'ar' ? '›' : '‹'}
            </ActionIcon>
            <Text fw={600} aria-live="polite" data-testid="date-picker-month">
              {formats.month.format(monthStart)}
            </Text>
            <ActionIcon
              variant="subtle"
              onClick={() => setCursor(addMonths(cursor, 1))}
              aria-label={t('datePicker.nextMonth')}
            >
              {settings.language === 'ar' ? '‹' : '›'}
            </ActionIcon>
          </Group>
          <SimpleGrid cols={7} spacing={2} verticalSpacing={2} ref={grid}>
            {weekdays.map((weekday) => (
              <Text key={weekday} size="xs" c="dimmed" ta="center" aria-hidden>
                {weekday}
              </Text>
            ))}
            {days.map((day) => {
              const key = dayOf(day);
              const inMonth = day.getUTCMonth() === monthStart.getUTCMonth();
              const selected = key === value;
              return (
                <UnstyledButton
                  key={key}
                  data-day={key}
                  tabIndex={key === dayOf(cursor) ? 0 : -1}
                  // The focus trap starts on the day in view, so the arrows move from it.
                  data-autofocus={key === dayOf(cursor) || undefined}
                  aria-label={formats.day.format(day)}
                  aria-pressed={selected}
                  onClick={() => choose(day)}
                  onFocus={() => setCursor(day)}
                  style={{
                    textAlign: 'center',
                    padding: '0.35rem 0',
                    borderRadius: 4,
                    minWidth: '2.2rem',
                    background: selected ? 'var(--mantine-primary-color-filled)' : undefined,
                    color: selected
                      ? 'var(--mantine-color-white)'
                      : inMonth
                        ? undefined
                        : 'var(--mantine-color-dimmed)',
                  }}
                >
                  {format.number(day.getUTCDate())}
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
          <Group justify="space-between" mt="xs">
            <Button variant="subtle" size="compact-sm" onClick={() => choose(todayUtc())}>
              {t('datePicker.today')}
            </Button>
            {!required && value && (
              <Button
                variant="subtle"
                size="compact-sm"
                color="gray"
                onClick={() => {
                  onChange('');
                  setOpened(false);
                }}
              >
                {t('common.clear')}
              </Button>
            )}
          </Group>
        </Popover.Dropdown>
      </Popover>
    </Input.Wrapper>
  );
}
