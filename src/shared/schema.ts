/** Schema helpers shared by every route: objects reject unknown fields; problems are documented once. */
import {
  Type,
  type ObjectOptions,
  type StringOptions,
  type TObject,
  type TProperties,
  type TString,
} from '@sinclair/typebox';

/** An object schema that rejects fields it does not name. */
export function StrictObject<T extends TProperties>(
  properties: T,
  options: ObjectOptions = {},
): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          message: Type.String(),
          code: Type.Optional(
            Type.String({
              description:
                'The rule broken, stable: required, unknown-field, too-short, too-long, too-small, too-large, too-few, too-many, repeated, pattern, format, not-allowed, invalid-type, or a service rule such as ends-before-starts or area-outside-scope',
            }),
          ),
          params: Type.Optional(
            Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
              description: "The rule's values, e.g. { limit: 12 } for a minimum length",
            }),
          ),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export const IdParams = StrictObject({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** The schema keyword naming a string's text mode (src/server/validation.ts applies it). */
export const textKeyword = 'x-text';

/**
 * Free text that may hold line breaks and tabs (other strings may not: see src/server/validation.ts); still
 * no other control character, and invisible bidi and zero-width marks are removed.
 */
export function MultilineText(options: StringOptions = {}): TString {
  return Type.String({ ...options, [textKeyword]: 'multiline' });
}
