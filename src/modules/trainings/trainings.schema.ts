/** Trainings on the wire: the catalogue of courses a volunteer may hold, each valid for some days. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const CreateTrainingBody = StrictObject({
  code: Type.String({
    pattern: '^[a-z][a-z0-9_]{0,39}$',
    description: 'lower-case code, e.g. ipc_ppe',
  }),
  name_ar: Name,
  name_en: Name,
  valid_days: Type.Union(
    [Type.Integer({ minimum: 1, maximum: 36500 }), Type.String({ maxLength: 10 })],
    {
      description: 'How many days a completed training stays valid (digits may be Arabic-Indic)',
    },
  ),
});
export type CreateTrainingInput = Static<typeof CreateTrainingBody>;

export const Training = Type.Object({
  code: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  valid_days: Type.Integer(),
  created_at: Type.String(),
});
export type TrainingView = Static<typeof Training>;

export const TrainingList = Type.Object({ items: Type.Array(Training) });
