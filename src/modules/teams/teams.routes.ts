/** /teams: volunteers dispatched together. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CreateTeamBody, Team, TeamList } from './teams.schema.js';
import { createTeam, getTeam, listTeams, updateTeam } from './teams.service.js';

export async function teamRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/teams',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'listTeams',
        tags: ['teams'],
        summary: 'Teams serving areas in your scope',
        response: { 200: TeamList },
      },
    },
    async (request) => ({ items: await listTeams(app.awn.storage.db, actorOf(request)) }),
  );

  app.get(
    '/teams/:id',
    {
      config: { access: 'volunteers.read' },
      schema: {
        operationId: 'getTeam',
        tags: ['teams'],
        summary: 'One team',
        params: IdParams,
        response: { 200: Team },
      },
    },
    async (request) => getTeam(app.awn.storage.db, actorOf(request), request.params.id),
  );

  app.post(
    '/teams',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'createTeam',
        tags: ['teams'],
        summary: 'Create a team',
        body: CreateTeamBody,
        response: { 201: Team },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createTeam(app.awn.storage, actorOf(request), request.body, app.awn.clock)),
  );

  app.put(
    '/teams/:id',
    {
      config: { access: 'volunteers.write' },
      schema: {
        operationId: 'updateTeam',
        tags: ['teams'],
        summary: 'Replace a team: name, unit, leader, members, areas, capacity, required trainings',
        params: IdParams,
        body: CreateTeamBody,
        response: { 200: Team },
      },
    },
    async (request) =>
      updateTeam(app.awn.storage, actorOf(request), request.params.id, request.body, app.awn.clock),
  );
}
