/** /trainings: the catalogue of volunteer trainings. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { CreateTrainingBody, Training, TrainingList } from './trainings.schema.js';
import { createTraining, listTrainings } from './trainings.service.js';

export async function trainingRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/trainings',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'listTrainings',
        tags: ['trainings'],
        summary: 'The trainings catalogue',
        response: { 200: TrainingList },
      },
    },
    async () => ({ items: await listTrainings(app.awn.storage.db) }),
  );

  app.post(
    '/trainings',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'createTraining',
        tags: ['trainings'],
        summary: 'Add a training to the catalogue',
        body: CreateTrainingBody,
        response: { 201: Training },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createTraining(app.awn.storage, actorOf(request), request.body, app.awn.clock)),
  );
}
