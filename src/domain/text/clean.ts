/**
 * The one rule for text that people send: every request string (the schemas apply it through
 * the validator, see src/server/validation.ts) and every imported spreadsheet cell.
 *
 * - Control characters are refused: they have no place in a name, PostgreSQL refuses NUL, and
 *   a CR or TAB in a label breaks the files and sheets it ends up in. Multi-line text may keep
 *   line breaks and tabs.
 * - Bidi controls and zero-width characters are removed: pasted text often carries them
 *   invisibly, and an override can make a stored name read differently from what it is
 *   (search already ignores them; see arabic.ts).
 * - Lone surrogate halves are refused: they are not text and do not survive UTF-8.
 */

/** `line`: names, codes, labels, queries; `multiline`: free text; `secret`: passwords, kept as typed. */
export type TextMode = 'line' | 'multiline' | 'secret';

export const textModes: readonly TextMode[] = ['line', 'multiline', 'secret'];

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
const CONTROL = /[\p{Cc}\p{Cs}]/u;
const CONTROL_BUT_BREAKS = /[\0-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}]/u;

export type CleanText = { ok: true; value: string } | { ok: false; message: string };

/** The text with invisible marks removed (not in `secret`), or why it is refused. */
export function cleanText(text: string, mode: TextMode = 'line'): CleanText {
  if ((mode === 'multiline' ? CONTROL_BUT_BREAKS : CONTROL).test(text)) {
    return {
      ok: false,
      message:
        mode === 'multiline'
          ? 'must not contain control characters (other than line breaks and tabs)'
          : 'must not contain control characters (NUL, line breaks, tabs and the like)',
    };
  }
  if (mode === 'secret') return { ok: true, value: text };
  return { ok: true, value: text.replace(INVISIBLE, '') };
}
