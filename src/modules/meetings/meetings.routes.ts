/** /venues, /meetings, /action-items: meetings and seminars under distancing, and their follow-up. */
import QRCode from 'qrcode';
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { createActionItem, followUp, setActionItemStatus } from './meetings.actions.js';
import {
  ActionItem,
  ActionItemFollowUp,
  ActionItemQuery,
  Attendance,
  CheckInBody,
  CreateActionItemBody,
  CreatedRegistration,
  CreateMeetingBody,
  CreateVenueBody,
  Meeting,
  MeetingList,
  MeetingListQuery,
  MinutesBody,
  RegisterBody,
  Registration,
  RegistrationList,
  RegistrationListQuery,
  RegistrationParams,
  UpdateActionItemBody,
  Venue,
  VenueList,
} from './meetings.schema.js';
import {
  attendance,
  cancelRegistration,
  checkIn,
  createMeeting,
  createVenue,
  getMeeting,
  listMeetings,
  listRegistrations,
  listVenues,
  register,
  registrationQrText,
  saveMinutes,
} from './meetings.service.js';
import { Type } from '@sinclair/typebox';

const tags = ['meetings'];

export async function meetingRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;

  app.post(
    '/venues',
    {
      config: { access: 'meetings.write' },
      schema: {
        operationId: 'createVenue',
        tags,
        summary: 'A venue: its floor area and seats set the capacity under a distancing rule',
        body: CreateVenueBody,
        response: { 201: Venue },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createVenue(storage, actorOf(request), request.body, clock)),
  );

  app.get(
    '/venues',
    {
      config: { access: 'meetings.read' },
      schema: { operationId: 'listVenues', tags, summary: 'Venues', response: { 200: VenueList } },
    },
    async () => ({ items: await listVenues(storage.db) }),
  );

  app.post(
    '/meetings',
    {
      config: { access: 'meetings.write' },
      schema: {
        operationId: 'createMeeting',
        tags,
        summary: 'A meeting or seminar; capacity = min(seats, floor area / m² per person)',
        body: CreateMeetingBody,
        response: { 201: Meeting },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createMeeting(storage, actorOf(request), request.body, clock)),
  );

  app.get(
    '/meetings',
    {
      config: { access: 'meetings.read' },
      schema: {
        operationId: 'listMeetings',
        tags,
        summary: 'Meetings by start time (the calendar), paged',
        querystring: MeetingListQuery,
        response: { 200: MeetingList },
      },
    },
    async (request) => listMeetings(storage.db, request.query),
  );

  app.get(
    '/meetings/:id',
    {
      config: { access: 'meetings.read' },
      schema: {
        operationId: 'getMeeting',
        tags,
        summary: 'One meeting with its minutes and decisions',
        params: IdParams,
        response: { 200: Meeting },
      },
    },
    async (request) => getMeeting(storage.db, request.params.id),
  );

  app.put(
    '/meetings/:id/minutes',
    {
      config: { access: 'meetings.write' },
      schema: {
        operationId: 'saveMeetingMinutes',
        tags,
        summary: 'The minutes and decisions of a meeting',
        params: IdParams,
        body: MinutesBody,
        response: { 200: Meeting },
      },
    },
    async (request) =>
      saveMinutes(storage, actorOf(request), request.params.id, request.body, clock),
  );

  app.post(
    '/meetings/:id/registrations',
    {
      config: { access: 'meetings.register' },
      schema: {
        operationId: 'registerForMeeting',
        tags,
        summary: 'Register someone: confirmed up to the capacity, waitlisted past it',
        params: IdParams,
        body: RegisterBody,
        response: { 201: CreatedRegistration },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await register(storage, actorOf(request), request.params.id, request.body, clock)),
  );

  app.get(
    '/meetings/:id/registrations',
    {
      config: { access: 'meetings.read' },
      schema: {
        operationId: 'listMeetingRegistrations',
        tags,
        summary: 'Registrations in order of registration, paged',
        params: IdParams,
        querystring: RegistrationListQuery,
        response: { 200: RegistrationList },
      },
    },
    async (request) => listRegistrations(storage.db, request.params.id, request.query),
  );

  app.delete(
    '/meetings/:id/registrations/:registration_id',
    {
      config: { access: 'meetings.register' },
      schema: {
        operationId: 'cancelMeetingRegistration',
        tags,
        summary:
          'Cancel a registration; a freed seat goes to the first on the waiting list, who is told',
        params: RegistrationParams,
        response: {
          200: Type.Object({
            registration: Registration,
            promoted: Type.Union([Registration, Type.Null()]),
          }),
        },
      },
    },
    async (request) =>
      cancelRegistration(
        storage,
        actorOf(request),
        request.params.id,
        request.params.registration_id,
        clock,
      ),
  );

  app.get(
    '/meetings/:id/registrations/:registration_id/qr.svg',
    {
      config: { access: 'meetings.register' },
      schema: {
        operationId: 'getRegistrationQr',
        tags,
        summary: "The registration's check-in QR code (SVG)",
        params: RegistrationParams,
      },
    },
    async (request, reply) => {
      const text = await registrationQrText(
        storage.db,
        request.params.id,
        request.params.registration_id,
      );
      const svg = await QRCode.toString(text, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 1,
      });
      return reply.type('image/svg+xml').send(svg);
    },
  );

  app.post(
    '/meetings/:id/check-in',
    {
      config: { access: 'meetings.register' },
      schema: {
        operationId: 'checkInToMeeting',
        tags,
        summary: 'Check in the holder of a QR code at the door',
        params: IdParams,
        body: CheckInBody,
        response: { 200: Registration },
      },
    },
    async (request) =>
      checkIn(storage, actorOf(request), request.params.id, request.body.code, clock),
  );

  app.get(
    '/meetings/:id/attendance',
    {
      config: { access: 'meetings.read' },
      schema: {
        operationId: 'getMeetingAttendance',
        tags,
        summary: 'Capacity, confirmed, waitlisted, cancelled and checked in',
        params: IdParams,
        response: { 200: Attendance },
      },
    },
    async (request) => attendance(storage.db, request.params.id),
  );

  app.post(
    '/meetings/:id/action-items',
    {
      config: { access: 'meetings.write' },
      schema: {
        operationId: 'createActionItem',
        tags,
        summary: 'An action item with an owner and a due date',
        params: IdParams,
        body: CreateActionItemBody,
        response: { 201: ActionItem },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createActionItem(storage, actorOf(request), request.params.id, request.body, clock),
        ),
  );

  app.patch(
    '/action-items/:id',
    {
      config: { access: 'meetings.write' },
      schema: {
        operationId: 'updateActionItem',
        tags,
        summary: "Change an action item's status",
        params: IdParams,
        body: UpdateActionItemBody,
        response: { 200: ActionItem },
      },
    },
    async (request) =>
      setActionItemStatus(storage, actorOf(request), request.params.id, request.body.status, clock),
  );

  app.get(
    '/action-items',
    {
      config: { access: 'meetings.read' },
      schema: {
        operationId: 'listActionItems',
        tags,
        summary: 'Follow-up: action items across meetings, open and late counts per unit',
        querystring: ActionItemQuery,
        response: { 200: ActionItemFollowUp },
      },
    },
    async (request) => followUp(storage.db, request.query, clock),
  );
}
