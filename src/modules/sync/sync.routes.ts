/** /sync and the field app's other endpoints: device enrolment, downloads, the exception queue. */
import { actorOf, bearerToken } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  deviceOfSecret,
  enrolDevice,
  fieldRuns,
  listDevices,
  revokeDevice,
} from './devices.service.js';
import { approveException, listExceptions, rejectException } from './exceptions.service.js';
import {
  DeviceList,
  Enrolment,
  EnrolBody,
  FieldException,
  FieldExceptionList,
  FieldExceptionQuery,
  FieldRuns,
  RejectBody,
  SyncBody,
  SyncResponse,
} from './sync.schema.js';
import { syncOps } from './sync.service.js';

/** Header in which the phone says how many ops it has ever recorded (to notice a wiped store). */
export const deviceOpsHeader = 'awn-device-ops';

export async function syncRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/sync',
    {
      config: { access: 'field.sync' },
      schema: {
        operationId: 'syncFieldOps',
        tags: ['field'],
        summary: 'Send field ops (up to 1,000), answered per op in order',
        body: SyncBody,
        response: { 200: SyncResponse },
      },
    },
    async (request, reply) => {
      const device = await deviceOfSecret(app.awn.storage.db, bearerToken(request));
      const header = request.headers[deviceOpsHeader];
      const count =
        typeof header === 'string' && /^\d{1,12}$/u.test(header) ? Number(header) : undefined;
      const outcome = await syncOps(
        app.awn.storage,
        { actor: actorOf(request), device, deviceOpCount: count },
        request.body.ops,
        app.awn.clock,
      );
      if (outcome.deviceWiped) void reply.header('awn-device-wiped', '1');
      return { results: outcome.results };
    },
  );

  app.get(
    '/field/runs',
    {
      config: { access: 'field.sync' },
      schema: {
        operationId: 'listFieldRuns',
        tags: ['field'],
        summary: 'The runs of your teams, with what each visit needs',
        response: { 200: FieldRuns },
      },
    },
    async (request) => fieldRuns(app.awn.storage, actorOf(request), app.awn.clock),
  );

  app.post(
    '/field-devices',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'enrolFieldDevice',
        tags: ['field'],
        summary: 'Enrol a phone for a volunteer: a device token and its enrolment QR',
        body: EnrolBody,
        response: { 201: Enrolment },
      },
    },
    async (request, reply) => {
      const origin = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
      return reply
        .code(201)
        .send(
          await enrolDevice(app.awn.storage, actorOf(request), request.body, origin, app.awn.clock),
        );
    },
  );

  app.get(
    '/field-devices',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'listFieldDevices',
        tags: ['field'],
        summary: 'Enrolled devices, with ops received and whether one was wiped',
        response: { 200: DeviceList },
      },
    },
    async () => ({ items: await listDevices(app.awn.storage.db) }),
  );

  app.delete(
    '/field-devices/:id',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'revokeFieldDevice',
        tags: ['field'],
        summary: 'Revoke a device',
        params: IdParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await revokeDevice(app.awn.storage, actorOf(request), request.params.id, app.awn.clock);
      return reply.code(204).send();
    },
  );

  app.get(
    '/field-exceptions',
    {
      config: { access: 'fieldExceptions.read' },
      schema: {
        operationId: 'listFieldExceptions',
        tags: ['field'],
        summary: 'The exception queue',
        querystring: FieldExceptionQuery,
        response: { 200: FieldExceptionList },
      },
    },
    async (request) => ({
      items: await listExceptions(app.awn.storage.db, actorOf(request), request.query),
    }),
  );

  app.post(
    '/field-exceptions/:id/approve',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'approveFieldException',
        tags: ['field'],
        summary: 'Approve: book the goods against the overdraw account',
        params: IdParams,
        response: { 200: FieldException },
      },
    },
    async (request) =>
      approveException(app.awn.storage, actorOf(request), request.params.id, app.awn.clock),
  );

  app.post(
    '/field-exceptions/:id/reject',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'rejectFieldException',
        tags: ['field'],
        summary: 'Reject, saying why',
        params: IdParams,
        body: RejectBody,
        response: { 200: FieldException },
      },
    },
    async (request) =>
      rejectException(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        request.body.reason,
        app.awn.clock,
      ),
  );
}
