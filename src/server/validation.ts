/**
 * How every route's schema validates (path, query and body alike), on top of Fastify's Ajv:
 *
 * - Every string goes through the one text rule (src/domain/text/clean.ts) as an Ajv keyword,
 *   `x-text`, that each string schema gets unless it names another mode: control characters
 *   are refused with a 400 naming the field, bidi controls and zero-width characters are
 *   removed before the length and pattern checks. A schema opts into `multiline` with
 *   `MultilineText`; `format: 'password'` is kept as typed (`secret`).
 * - No number is non-finite. Ajv's type coercion turns the text "Infinity" (or "1e400") into a
 *   number and then skips `minimum`/`maximum`, which it checks only for finite numbers, and
 *   JSON.parse reads 1e400 as Infinity; so after Ajv, any non-finite number in the validated
 *   data is refused, whatever the schema says.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import type { Plugin } from 'ajv';
import type { FastifyServerOptions } from 'fastify';
import type {
  FastifySchemaValidationError,
  FastifyValidationResult,
} from 'fastify/types/schema.js';
import { cleanText, textModes, type TextMode } from '../domain/text/clean.js';
import { textKeyword } from '../shared/schema.js';

/** The Ajv keyword that applies the text rule in the mode its value names. */
const textRule: Plugin<unknown> = (ajv) => {
  ajv.addFormat('password', true);
  ajv.addKeyword({
    keyword: textKeyword,
    type: 'string',
    schemaType: 'string',
    metaSchema: { enum: [...textModes] },
    modifying: true,
    errors: true,
    // Before maxLength, minLength, pattern and format: they judge the cleaned text.
    before: 'maxLength',
    validate: function validateText(
      this: unknown,
      mode: TextMode,
      data: string,
      _schema: unknown,
      context?: {
        parentData?: Record<string | number, unknown>;
        parentDataProperty?: string | number;
      },
    ): boolean {
      const cleaned = cleanText(data, mode);
      if (!cleaned.ok) {
        (validateText as { errors?: unknown[] }).errors = [
          { keyword: textKeyword, message: cleaned.message, params: { mode } },
        ];
        return false;
      }
      if (cleaned.value !== data && context?.parentData && context.parentDataProperty !== undefined)
        context.parentData[context.parentDataProperty] = cleaned.value;
      return true;
    },
  });
  return ajv;
};

/** A copy of the schema in which every string schema names its text mode (`line` by default). */
export function withTextRule(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withTextRule);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values, not schemas: leave them as they are.
    copy[key] =
      key === 'enum' || key === 'const' || key === 'default' || key === 'examples'
        ? value
        : withTextRule(value);
  }
  const type = copy.type;
  const isString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  if (isString && copy[textKeyword] === undefined) {
    copy[textKeyword] = copy.format === 'password' ? 'secret' : 'line';
  }
  return copy;
}

/** JSON pointers of the non-finite numbers in the data. */
function nonFinitePaths(data: unknown, path = '', found: string[] = []): string[] {
  if (typeof data === 'number') {
    if (!Number.isFinite(data)) found.push(path);
  } else if (Array.isArray(data)) {
    data.forEach((item, index) => nonFinitePaths(item, `${path}/${index}`, found));
  } else if (data !== null && typeof data === 'object' && !Buffer.isBuffer(data)) {
    for (const [key, value] of Object.entries(data)) {
      nonFinitePaths(value, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, found);
    }
  }
  return found;
}

type ValidatorFactory = NonNullable<
  NonNullable<
    NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
  >['buildValidator']
>;

/** Fastify's Ajv validators with the text rule on every string and no non-finite number. */
export function buildValidator(): ValidatorFactory {
  const pool = AjvCompiler();
  const factory = (externalSchemas: Parameters<ValidatorFactory>[0], options: object) => {
    const compile = pool(
      externalSchemas as never,
      {
        ...options,
        plugins: [textRule],
      } as never,
    );
    return (route: { schema: unknown }) => {
      const validate = compile({ ...route, schema: withTextRule(route.schema) as never });
      const checked: FastifyValidationResult = (data: unknown) => {
        const valid = validate(data) as boolean;
        const nonFinite = nonFinitePaths(data);
        if (nonFinite.length === 0) {
          checked.errors = validate.errors as FastifySchemaValidationError[] | null;
          return valid;
        }
        checked.errors = [
          ...((valid ? [] : validate.errors) ?? []),
          ...nonFinite.map((instancePath) => ({
            keyword: 'finite',
            instancePath,
            schemaPath: '#',
            params: {},
            message: 'must be a finite number',
          })),
        ] as FastifySchemaValidationError[];
        return false;
      };
      return checked;
    };
  };
  // Fastify types the factory as Ajv's own; it calls the result only as a validator.
  return factory as unknown as ValidatorFactory;
}
