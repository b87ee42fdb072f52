/** /volunteers: profiles, training records, permits, readiness and expiring trainings. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  AddPermitBody,
  AddTrainingBody,
  CreateVolunteerBody,
  ExpiringList,
  ExpiringQuery,
  Permit,
  PpeIssue,
  PpeIssueBody,
  SkillList,
  StatusBody,
  TrainingRecord,
  Volunteer,
  VolunteerDetail,
  VolunteerList,
  VolunteerListQuery,
} from './volunteers.schema.js';
import {
  addPermit,
  addTrainingRecord,
  changeVolunteerStatus,
  createVolunteer,
  getVolunteerDetail,
  listExpiringTrainings,
  listSkills,
  listVolunteers,
  recordPpeIssue,
} from './volunteers.service.js';

export async function volunteerRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/volunteers',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'listVolunteers',
        tags: ['volunteers'],
        summary: 'Volunteers in your scope, with what each misses today to be dispatched',
        querystring: VolunteerListQuery,
        response: { 200: VolunteerList },
      },
    },
    async (request) => ({
      items: await listVolunteers(
        app.awn.storage.db,
        actorOf(request),
        request.query,
        app.awn.clock,
      ),
    }),
  );

  app.post(
    '/volunteers',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'registerVolunteer',
        tags: ['volunteers'],
        summary: 'Register a volunteer',
        body: CreateVolunteerBody,
        response: { 201: Volunteer },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createVolunteer(app.awn.storage, actorOf(request), request.body, app.awn.clock),
        ),
  );

  app.get(
    '/volunteers/skills',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listVolunteerSkills',
        tags: ['volunteers'],
        summary: 'The configured skills',
        response: { 200: SkillList },
      },
    },
    async () => ({ items: await listSkills(app.awn.storage.db) }),
  );

  app.get(
    '/volunteers/expiring-trainings',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'listExpiringTrainings',
        tags: ['volunteers'],
        summary:
          'Trainings of active volunteers that expire within the coming days (30 by default)',
        querystring: ExpiringQuery,
        response: { 200: ExpiringList },
      },
    },
    async (request) => ({
      items: await listExpiringTrainings(
        app.awn.storage.db,
        actorOf(request),
        request.query.days ?? 30,
        app.awn.clock,
      ),
    }),
  );

  app.get(
    '/volunteers/:id',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'getVolunteer',
        tags: ['volunteers'],
        summary: 'A volunteer with trainings, permits, runs and hours',
        params: IdParams,
        response: { 200: VolunteerDetail },
      },
    },
    async (request) =>
      getVolunteerDetail(app.awn.storage.db, actorOf(request), request.params.id, app.awn.clock),
  );

  app.post(
    '/volunteers/:id/trainings',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'recordVolunteerTraining',
        tags: ['volunteers'],
        summary: 'Record a completed training',
        params: IdParams,
        body: AddTrainingBody,
        response: { 201: TrainingRecord },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await addTrainingRecord(
            app.awn.storage,
            actorOf(request),
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );

  app.post(
    '/volunteers/:id/permits',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'recordVolunteerPermit',
        tags: ['volunteers'],
        summary: 'Record a movement permit',
        params: IdParams,
        body: AddPermitBody,
        response: { 201: Permit },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await addPermit(
            app.awn.storage,
            actorOf(request),
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );

  app.post(
    '/volunteers/:id/status',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'changeVolunteerStatus',
        tags: ['volunteers'],
        summary: 'Set a volunteer active, paused or left, from a day (today by default)',
        params: IdParams,
        body: StatusBody,
        response: { 200: Volunteer },
      },
    },
    async (request) =>
      changeVolunteerStatus(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );

  app.post(
    '/volunteers/:id/ppe',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'recordVolunteerPpe',
        tags: ['volunteers'],
        summary: 'Record protective equipment handed to a volunteer',
        params: IdParams,
        body: PpeIssueBody,
        response: { 201: PpeIssue },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await recordPpeIssue(
            app.awn.storage,
            actorOf(request),
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );
}
