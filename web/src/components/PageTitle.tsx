/**
 * Per-route page titles ("الأسر — عون") and, after each in-app navigation, focus on the new
 * page's main heading, so that screen readers announce the page and keyboard users start there.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets document.title to the page's title and the app's name, in the current language. */
export function PageTitle({ title }: { title: string }) {
  const { t } = useTranslation();
  const full = t('app.pageTitle', { page: title, app: t('app.name') });
  useEffect(() => {
    document.title = full;
  }, [full]);
  return null;
}

/** How long a screen may take to show its heading (it may wait for data) before main is focused. */
const headingWait_ms = 3000;

/** Focuses the first h1/h2 of `main` (or `main` itself), unless focus already moved into it. */
function focusMainHeading(main: HTMLElement, fallback: boolean): boolean {
  const active = document.activeElement;
  // The person already moved on inside the new page: leave their focus where it is.
  if (active && active !== document.body && main.contains(active)) return true;
  const heading = main.querySelector<HTMLElement>('h1, h2');
  const target = heading ?? (fallback ? main : null);
  if (!target) return false;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
  return true;
}

/**
 * On every change of `path` after the first render, moves focus to the page's main heading once
 * it is there (lazy screens and their data arrive after navigation); on first load the browser's
 * own focus is kept.
 */
export function useHeadingFocusOnNavigation(path: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = () => document.querySelector<HTMLElement>('main');
    const now = main();
    if (now && focusMainHeading(now, false)) return;
    const observer = new MutationObserver(() => {
      const element = main();
      if (element && focusMainHeading(element, false)) stop();
    });
    const timer = window.setTimeout(() => {
      const element = main();
      if (element) focusMainHeading(element, true);
      stop();
    }, headingWait_ms);
    function stop() {
      observer.disconnect();
      window.clearTimeout(timer);
    }
    observer.observe(document.body, { childList: true, subtree: true });
    return stop;
  }, [path]);
}
