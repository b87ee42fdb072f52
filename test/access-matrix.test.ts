/**
 * Who may call what: every registered route x every role (and no one), from the app's own
 * route table. EXPECTED lists each `METHOD /url` with the roles its declared access must
 * resolve to (a permission of src/shared/permissions.ts, or public/authenticated); a route
 * missing from it, or a row for a route that no longer exists, fails the test by name.
 * Allowed roles must never get 401/403 (a 400 or 404 still proves authorization passed);
 * other roles get 403; without a session, 401 unless the route is public.
 * Scoped routes also get a request on something inside and outside the signed-in user's
 * scope (area TA; TB is outside): outside must be 404 for every role without a global scope.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwnApp } from '../src/server/app.js';
import { listRoutes, type RouteAccess, type RouteRoles } from '../src/server/access.js';
import { buildHouseholdInput } from '../src/modules/households/households.factories.js';
import { roles, type Role } from '../src/shared/roles.js';
import { buildTestApp, loginAs, testOrigin } from './helpers/app.js';
import { describeEachDialect } from './helpers/database.js';
import { seedScopeFixture } from './helpers/scope-fixture.js';
import { testMessagingConfig } from '../src/modules/messaging/messaging.fixtures.js';

interface Probe {
  url: string;
  payload?: object;
  /** Headers of the request's own (the SMS gateway's bearer token on receipts). */
  headers?: Record<string, string>;
}

interface Fixture {
  /** Service points in area TA0101 (inside the users' scope) and TB (outside). */
  pointInScope: string;
  pointOutOfScope: string;
  /** Households in subdistricts TA0101 (inside) and TB0101 (outside). */
  householdInScope: string;
  householdOutOfScope: string;
  /** Card numbers of the two households, by household id. */
  cards: Map<string, string>;
  /** A fresh suffix for things that must be unique. */
  unique(): string;
}

interface Expectation {
  access: RouteRoles;
  /** The request for the role checks; by default the url with `missing` for each parameter. */
  probe?: (fixture: Fixture) => Probe;
  /** The same route on something inside and outside the user's scope. */
  scoped?: (fixture: Fixture) => { inScope: Probe; outOfScope: Probe };
  /** Lists that together must show what is in scope and hide what is not (ids of service points). */
  listsScoped?: (
    fixture: Fixture,
    role: Role,
  ) => { url: string | string[]; inScopeId: string; outOfScopeId: string };
  /** Calling it ends the session used (sign in again afterwards). */
  endsSession?: boolean;
  /** May answer 503 here: the web app is not built in a test run from a fresh clone. */
  mayBeUnavailable?: boolean;
}

const all = 'authenticated' as const;
const everyone = 'public' as const;
const householdWriters: Role[] = ['admin', 'coordinator', 'registrar'];
const householdReaders: Role[] = [...householdWriters, 'auditor', 'outlet_clerk'];
const volunteerReaders: Role[] = ['admin', 'coordinator', 'team_leader', 'auditor'];
const meetingRegistrars: Role[] = [...householdWriters, 'team_leader'];
const meetingReaders: Role[] = [...meetingRegistrars, 'auditor'];
const circularReaders: Role[] = ['admin', 'coordinator', 'team_leader', 'auditor'];

/** The same household route on a household inside and one outside the scope. */
function householdScoped(path: string, payload?: object) {
  return (fixture: Fixture) => ({
    inScope: {
      url: path.replace(':id', fixture.householdInScope),
      ...(payload ? { payload } : {}),
    },
    outOfScope: {
      url: path.replace(':id', fixture.householdOutOfScope),
      ...(payload ? { payload } : {}),
    },
  });
}

const EXPECTED: Record<string, Expectation> = {
  // Server and documentation
  'GET /healthz': { access: everyone },
  'GET /metrics': { access: ['admin'] },
  'GET /api/openapi.json': { access: everyone },
  'GET /api/docs': { access: everyone },
  'GET /api/docs/static/index.html': { access: everyone },
  'GET /api/docs/static/swagger-initializer.js': { access: everyone },
  'GET /api/docs/json': { access: everyone },
  'GET /api/docs/yaml': { access: everyone },
  'GET /api/docs/static/*': { access: everyone },
  'GET /*': {
    access: everyone,
    probe: () => ({ url: '/office/households' }),
    mayBeUnavailable: true,
  },

  // Auth, users, tokens, audit
  'POST /api/v1/auth/login': { access: everyone },
  'GET /api/v1/demo/logins': { access: everyone },
  'POST /api/v1/auth/logout': { access: everyone, endsSession: true },
  'GET /api/v1/me': { access: all },
  'POST /api/v1/me/password': { access: all },
  'GET /api/v1/users': { access: ['admin'] },
  'POST /api/v1/users': { access: ['admin'] },
  'GET /api/v1/users/:id': { access: ['admin'] },
  'PATCH /api/v1/users/:id': { access: ['admin'] },
  'POST /api/v1/users/:id/password': { access: ['admin'] },
  'POST /api/v1/tokens': { access: all },
  'GET /api/v1/tokens': { access: all },
  'DELETE /api/v1/tokens/:id': { access: all },
  'GET /api/v1/audit-events': { access: ['admin', 'auditor'] },
  'GET /api/v1/exports/audit-events.csv': { access: ['admin', 'auditor'] },
  'GET /api/v1/audit-events/actors': { access: ['admin', 'auditor'] },
  'POST /api/v1/audit-events/verify': { access: ['admin', 'auditor'] },

  // Geography and organisation
  'GET /api/v1/areas': { access: all },
  'GET /api/v1/areas/:pcode': { access: all, probe: () => ({ url: '/api/v1/areas/TA' }) },
  'POST /api/v1/areas': {
    access: ['admin', 'coordinator'],
    scoped: (fixture) => {
      const community = (parent: string) => ({
        url: '/api/v1/areas',
        payload: {
          pcode: `${parent}${fixture.unique()}`,
          parent_pcode: parent,
          kind: 'village',
          name_ar: 'قرية',
          name_en: 'Village',
        },
      });
      return { inScope: community('TA0101'), outOfScope: community('TB0101') };
    },
  },
  'GET /api/v1/org-units': { access: ['admin', 'coordinator'] },
  'GET /api/v1/org-units/:id': { access: ['admin', 'coordinator'] },
  'POST /api/v1/org-units': { access: ['admin'] },
  'PATCH /api/v1/org-units/:id': { access: ['admin'] },
  'GET /api/v1/partners': { access: all },
  'GET /api/v1/partners/:id': { access: all },
  'POST /api/v1/partners': {
    access: ['admin', 'coordinator'],
    scoped: () => {
      const partner = (area: string) => ({
        url: '/api/v1/partners',
        payload: { kind: 'bakery', name_ar: 'مخبز', name_en: 'Bakery', area_pcode: area },
      });
      return { inScope: partner('TA01'), outOfScope: partner('TB') };
    },
  },
  'GET /api/v1/service-points': {
    access: all,
    listsScoped: (fixture) => ({
      url: '/api/v1/service-points',
      inScopeId: fixture.pointInScope,
      outOfScopeId: fixture.pointOutOfScope,
    }),
  },
  'GET /api/v1/service-points/:id': {
    access: all,
    scoped: (fixture) => ({
      inScope: { url: `/api/v1/service-points/${fixture.pointInScope}` },
      outOfScope: { url: `/api/v1/service-points/${fixture.pointOutOfScope}` },
    }),
  },
  'POST /api/v1/service-points': {
    access: ['admin', 'coordinator'],
    scoped: () => {
      const point = (area: string) => ({
        url: '/api/v1/service-points',
        payload: { name_ar: 'منفذ', name_en: 'Outlet', area_pcode: area },
      });
      return { inScope: point('TA0101'), outOfScope: point('TB') };
    },
  },
  'PATCH /api/v1/service-points/:id': {
    access: ['admin', 'coordinator'],
    scoped: (fixture) => ({
      inScope: {
        url: `/api/v1/service-points/${fixture.pointInScope}`,
        payload: { commodities: null },
      },
      outOfScope: {
        url: `/api/v1/service-points/${fixture.pointOutOfScope}`,
        payload: { commodities: null },
      },
    }),
  },

  // Households and cards (creation outside the scope is a 400 on area_pcode, not a 404)
  'POST /api/v1/households': { access: householdWriters },
  'GET /api/v1/households': {
    access: householdReaders,
    // An outlet clerk searches by card number only: one search per card.
    listsScoped: (fixture, role) => ({
      url:
        role === 'outlet_clerk'
          ? [fixture.householdInScope, fixture.householdOutOfScope].map(
              (id) => `/api/v1/households?q=${fixture.cards.get(id) ?? ''}`,
            )
          : '/api/v1/households?limit=200',
      inScopeId: fixture.householdInScope,
      outOfScopeId: fixture.householdOutOfScope,
    }),
  },
  'GET /api/v1/households/tags': { access: all },
  'PUT /api/v1/households/tags': { access: ['admin', 'coordinator'] },
  'GET /api/v1/households/:id': {
    access: householdReaders,
    scoped: householdScoped('/api/v1/households/:id'),
  },
  'PATCH /api/v1/households/:id': {
    access: householdWriters,
    scoped: householdScoped('/api/v1/households/:id', { address: 'حي الزراعة' }),
  },
  'GET /api/v1/duplicates': { access: [...householdWriters, 'auditor'] },
  'POST /api/v1/duplicates/:id/resolve': { access: householdWriters },
  'GET /api/v1/cards/public-key': { access: everyone },
  'GET /api/v1/cards/sheet': {
    access: householdWriters,
    scoped: householdScoped('/api/v1/cards/sheet?household_id=:id'),
  },
  'POST /api/v1/households/:id/card/reissue': {
    access: householdWriters,
    scoped: householdScoped('/api/v1/households/:id/card/reissue', { reason: 'lost' }),
  },
  // Commodities, programmes, cycles, stock and redemptions
  'GET /api/v1/commodities': { access: all },
  'POST /api/v1/commodities': { access: ['admin', 'coordinator'] },
  'PATCH /api/v1/commodities/:code': { access: ['admin', 'coordinator'] },
  // Warehouses, donations, lots, inspection, allocations
  'GET /api/v1/stock': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'POST /api/v1/warehouses': { access: ['admin', 'coordinator'] },
  'PUT /api/v1/stock/reorder-levels': { access: ['admin', 'coordinator'] },
  'GET /api/v1/stock/alerts': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/stock/pipeline': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/warehouses': {
    access: ['admin', 'coordinator', 'storekeeper', 'inspector', 'auditor'],
  },
  'GET /api/v1/warehouses/:id': {
    access: ['admin', 'coordinator', 'storekeeper', 'inspector', 'auditor'],
  },
  'POST /api/v1/warehouses/:id/locations': { access: ['admin', 'coordinator'] },
  'POST /api/v1/donors': { access: ['admin', 'coordinator', 'storekeeper'] },
  'GET /api/v1/donors': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/donors/:id/statement': {
    access: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  },
  'POST /api/v1/donations': { access: ['admin', 'coordinator', 'storekeeper'] },
  'GET /api/v1/donations/:id': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/donations/:id/receipt': {
    access: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  },
  'GET /api/v1/lots': { access: ['admin', 'coordinator', 'storekeeper', 'inspector', 'auditor'] },
  'GET /api/v1/lots/:id': {
    access: ['admin', 'coordinator', 'storekeeper', 'inspector', 'auditor'],
  },
  'POST /api/v1/lots/:id/inspections': { access: ['inspector'] },
  'POST /api/v1/lots/:id/disposals': { access: ['admin', 'coordinator', 'storekeeper'] },
  'POST /api/v1/lots/:id/corrections': { access: ['admin', 'coordinator', 'storekeeper'] },
  'GET /api/v1/lots/labels': {
    access: ['admin', 'coordinator', 'storekeeper', 'inspector', 'auditor'],
  },
  'POST /api/v1/allocations': { access: ['admin', 'coordinator', 'storekeeper'] },
  'GET /api/v1/allocations': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/allocations/:id': { access: ['admin', 'coordinator', 'storekeeper', 'auditor'] },
  'GET /api/v1/allocations/:id/waybill': {
    access: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  },
  'POST /api/v1/allocations/:id/approve': { access: ['admin', 'coordinator'] },
  'POST /api/v1/allocations/:id/cancel': { access: ['admin', 'coordinator'] },
  'POST /api/v1/allocations/:id/dispatch': { access: ['admin', 'coordinator', 'storekeeper'] },
  'POST /api/v1/allocations/:id/receive': { access: ['admin', 'coordinator', 'storekeeper'] },
  'POST /api/v1/warehouses/:id/counts': { access: ['admin', 'coordinator', 'storekeeper'] },
  'GET /api/v1/warehouses/:id/counts': {
    access: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  },
  'GET /api/v1/warehouses/:id/counts/:countId': {
    access: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  },
  'POST /api/v1/warehouses/:id/counts/:countId/approve': {
    access: ['admin', 'coordinator', 'storekeeper'],
  },
  'POST /api/v1/teams/:id/ppe-issues': {
    access: ['admin', 'coordinator', 'storekeeper', 'team_leader'],
  },
  'GET /api/v1/programmes': { access: ['admin', 'coordinator', 'auditor'] },
  'GET /api/v1/programmes/:id': { access: ['admin', 'coordinator', 'auditor'] },
  'POST /api/v1/programmes': { access: ['admin', 'coordinator'] },
  'PATCH /api/v1/programmes/:id': { access: ['admin', 'coordinator'] },
  'POST /api/v1/programmes/preview': { access: ['admin', 'coordinator'] },
  'POST /api/v1/programmes/:id/preview': { access: ['admin', 'coordinator'] },
  'GET /api/v1/cycles': { access: ['admin', 'coordinator', 'auditor'] },
  'GET /api/v1/cycles/:id': { access: ['admin', 'coordinator', 'auditor'] },
  'GET /api/v1/cycles/:id/progress': { access: ['admin', 'coordinator', 'auditor'] },
  'GET /api/v1/cycles/:id/unserved': {
    access: ['admin', 'coordinator', 'registrar', 'auditor'],
  },
  'GET /api/v1/cycles/:id/signature-sheet': {
    access: ['admin', 'coordinator', 'registrar', 'auditor'],
  },
  'POST /api/v1/cycles': { access: ['admin', 'coordinator'] },
  'POST /api/v1/cycles/:id/open': { access: ['admin', 'coordinator'] },
  'POST /api/v1/cycles/:id/households': { access: ['admin', 'coordinator'] },
  'POST /api/v1/cycles/:id/close': { access: ['admin', 'coordinator'] },
  'POST /api/v1/service-points/:id/stock': {
    access: ['admin', 'coordinator', 'storekeeper'],
    scoped: (fixture) => {
      const receipt = (point: string) => ({
        url: `/api/v1/service-points/${point}/stock`,
        payload: {
          id: '0b0e4a7e-8d4f-4f3a-9c1e-2f6d5a4b3c21',
          commodity: 'no_such_commodity',
          quantity: 1,
        },
      });
      return {
        inScope: receipt(fixture.pointInScope),
        outOfScope: receipt(fixture.pointOutOfScope),
      };
    },
  },
  'GET /api/v1/service-points/:id/stock': {
    access: ['admin', 'coordinator', 'storekeeper', 'outlet_clerk', 'auditor'],
    scoped: (fixture) => ({
      inScope: { url: `/api/v1/service-points/${fixture.pointInScope}/stock` },
      outOfScope: { url: `/api/v1/service-points/${fixture.pointOutOfScope}/stock` },
    }),
  },
  'POST /api/v1/service-points/:id/day-close': {
    access: ['admin', 'coordinator', 'storekeeper', 'outlet_clerk'],
    scoped: (fixture) => {
      const close = (point: string) => ({
        url: `/api/v1/service-points/${point}/day-close`,
        payload: { date: '2000-01-01', counts: [{ commodity: 'no_such_commodity', quantity: 1 }] },
      });
      return { inScope: close(fixture.pointInScope), outOfScope: close(fixture.pointOutOfScope) };
    },
  },
  'GET /api/v1/service-points/:id/day-close': {
    access: ['admin', 'coordinator', 'storekeeper', 'outlet_clerk', 'auditor'],
    scoped: (fixture) => ({
      inScope: { url: `/api/v1/service-points/${fixture.pointInScope}/day-close?date=2026-12-05` },
      outOfScope: {
        url: `/api/v1/service-points/${fixture.pointOutOfScope}/day-close?date=2026-12-05`,
      },
    }),
  },
  'GET /api/v1/service-points/:id/day-sheet': {
    access: ['admin', 'coordinator', 'storekeeper', 'outlet_clerk', 'auditor'],
    scoped: (fixture) => ({
      inScope: { url: `/api/v1/service-points/${fixture.pointInScope}/day-sheet?date=2026-12-05` },
      outOfScope: {
        url: `/api/v1/service-points/${fixture.pointOutOfScope}/day-sheet?date=2026-12-05`,
      },
    }),
  },
  'POST /api/v1/service-points/:id/households': {
    access: ['admin', 'coordinator'],
    scoped: (fixture) => {
      const assign = (point: string) => ({
        url: `/api/v1/service-points/${point}/households`,
        payload: { programme_id: 'no-such-programme', area_pcodes: ['TA01'] },
      });
      return { inScope: assign(fixture.pointInScope), outOfScope: assign(fixture.pointOutOfScope) };
    },
  },
  'GET /api/v1/households/:id/home-service-points': {
    access: householdReaders,
    scoped: householdScoped('/api/v1/households/:id/home-service-points'),
  },
  'PUT /api/v1/households/:id/home-service-points': {
    access: householdWriters,
    scoped: householdScoped('/api/v1/households/:id/home-service-points', {
      programme_id: 'no-such-programme',
      service_point_id: null,
    }),
  },
  'GET /api/v1/households/:id/proxies': {
    access: [...householdWriters, 'auditor'],
    scoped: householdScoped('/api/v1/households/:id/proxies'),
  },
  'POST /api/v1/households/:id/proxies': {
    access: householdWriters,
    scoped: householdScoped('/api/v1/households/:id/proxies', { name: 'وكيل' }),
  },
  'PATCH /api/v1/households/:id/proxies/:proxy_id': { access: householdWriters },
  'DELETE /api/v1/households/:id/proxies/:proxy_id': { access: householdWriters },
  'GET /api/v1/households/:id/collectors': {
    access: ['admin', 'coordinator', 'outlet_clerk'],
    scoped: householdScoped('/api/v1/households/:id/collectors'),
  },
  'POST /api/v1/redemptions': { access: ['admin', 'coordinator', 'outlet_clerk'] },
  'POST /api/v1/redemptions/card-check': { access: ['admin', 'coordinator', 'outlet_clerk'] },
  // A list filtered to the scope (households outside it never show), not addressed by id.
  'GET /api/v1/redemptions': {
    access: ['admin', 'coordinator', 'registrar', 'outlet_clerk', 'auditor'],
  },
  'GET /api/v1/households/:id/entitlements': {
    access: ['admin', 'coordinator', 'registrar', 'outlet_clerk', 'team_leader', 'auditor'],
    scoped: householdScoped('/api/v1/households/:id/entitlements'),
  },
  // Household files: import, template, export
  'POST /api/v1/imports/households': { access: ['admin', 'coordinator', 'registrar'] },
  'GET /api/v1/imports/households/template.csv': { access: all },
  'GET /api/v1/imports/households/template.xlsx': { access: all },
  'GET /api/v1/exports/households.csv': {
    access: ['admin', 'coordinator', 'registrar', 'auditor'],
  },
  'GET /api/v1/exports/households.xlsx': {
    access: ['admin', 'coordinator', 'registrar', 'auditor'],
  },
  // Volunteers, trainings, teams
  'GET /api/v1/trainings': { access: volunteerReaders },
  'POST /api/v1/trainings': { access: ['admin', 'coordinator'] },
  'GET /api/v1/volunteers': { access: volunteerReaders },
  'POST /api/v1/volunteers': { access: ['admin', 'coordinator'] },
  'GET /api/v1/volunteers/skills': { access: all },
  'GET /api/v1/volunteers/expiring-trainings': { access: volunteerReaders },
  'GET /api/v1/volunteers/:id': { access: volunteerReaders },
  'POST /api/v1/volunteers/:id/trainings': { access: ['admin', 'coordinator'] },
  'POST /api/v1/volunteers/:id/permits': { access: ['admin', 'coordinator'] },
  'POST /api/v1/volunteers/:id/status': { access: ['admin', 'coordinator'] },
  'POST /api/v1/volunteers/:id/ppe': { access: ['admin', 'coordinator'] },
  'GET /api/v1/teams': { access: volunteerReaders },
  'GET /api/v1/teams/:id': { access: volunteerReaders },
  'POST /api/v1/teams': { access: ['admin', 'coordinator'] },
  'PUT /api/v1/teams/:id': { access: ['admin', 'coordinator'] },
  // Runs, field sync, devices and exceptions
  'POST /api/v1/runs': { access: ['admin', 'coordinator'] },
  'GET /api/v1/runs': { access: ['admin', 'coordinator', 'team_leader', 'volunteer', 'auditor'] },
  'GET /api/v1/runs/:id': {
    access: ['admin', 'coordinator', 'team_leader', 'volunteer', 'auditor'],
  },
  'GET /api/v1/runs/:id/manifest': { access: ['admin', 'coordinator', 'team_leader'] },
  'POST /api/v1/runs/:id/dispatch': { access: ['admin', 'coordinator'] },
  'POST /api/v1/runs/:id/close': { access: ['admin', 'coordinator'] },
  'POST /api/v1/runs/plan-day': { access: ['admin', 'coordinator'] },
  'POST /api/v1/runs/:id/stops/:stop_id/move': { access: ['admin', 'coordinator'] },
  'PUT /api/v1/runs/:id/order': { access: ['admin', 'coordinator'] },
  'POST /api/v1/sync': {
    access: ['admin', 'coordinator', 'team_leader', 'volunteer'],
    probe: () => ({ url: '/api/v1/sync', payload: { ops: [] } }),
  },
  'GET /api/v1/field/runs': { access: ['admin', 'coordinator', 'team_leader', 'volunteer'] },
  'POST /api/v1/field-devices': { access: ['admin', 'coordinator'] },
  'GET /api/v1/field-devices': { access: ['admin', 'coordinator'] },
  'DELETE /api/v1/field-devices/:id': { access: ['admin', 'coordinator'] },
  'GET /api/v1/field-exceptions': { access: ['admin', 'coordinator', 'auditor'] },
  'POST /api/v1/field-exceptions/:id/approve': { access: ['admin', 'coordinator'] },
  'POST /api/v1/field-exceptions/:id/reject': { access: ['admin', 'coordinator'] },

  // Messaging
  'GET /api/v1/messages': { access: ['admin', 'coordinator', 'auditor'] },
  'POST /api/v1/messages/:id/resend': { access: ['admin', 'coordinator'] },
  'POST /api/v1/messaging/receipts': {
    access: everyone,
    probe: () => ({
      url: '/api/v1/messaging/receipts',
      payload: { id: 'missing', status: 'delivered' },
      headers: { authorization: 'Bearer gateway-secret' },
    }),
  },
  'GET /api/v1/message-templates': { access: ['admin', 'coordinator', 'auditor'] },
  'PUT /api/v1/message-templates': { access: ['admin', 'coordinator'] },
  'POST /api/v1/messaging/preview': {
    access: ['admin', 'coordinator', 'auditor'],
    probe: () => ({ url: '/api/v1/messaging/preview', payload: { text: 'x' } }),
  },
  'PUT /api/v1/messaging/opt-outs': { access: householdWriters },
  'POST /api/v1/messaging/webhooks': { access: ['admin'] },
  'GET /api/v1/messaging/webhooks': { access: ['admin'] },
  'GET /api/v1/inbox': { access: all },
  'POST /api/v1/inbox/:id/read': { access: all },

  // Meetings and seminars
  'POST /api/v1/venues': { access: ['admin', 'coordinator'] },
  'GET /api/v1/venues': { access: meetingReaders },
  'POST /api/v1/meetings': { access: ['admin', 'coordinator'] },
  'GET /api/v1/meetings': { access: meetingReaders },
  'GET /api/v1/meetings/:id': { access: meetingReaders },
  'PUT /api/v1/meetings/:id/minutes': { access: ['admin', 'coordinator'] },
  'POST /api/v1/meetings/:id/registrations': { access: meetingRegistrars },
  'GET /api/v1/meetings/:id/registrations': { access: meetingReaders },
  'DELETE /api/v1/meetings/:id/registrations/:registration_id': { access: meetingRegistrars },
  'GET /api/v1/meetings/:id/registrations/:registration_id/qr.svg': { access: meetingRegistrars },
  'POST /api/v1/meetings/:id/check-in': { access: meetingRegistrars },
  'GET /api/v1/meetings/:id/attendance': { access: meetingReaders },
  'POST /api/v1/meetings/:id/action-items': { access: ['admin', 'coordinator'] },
  'PATCH /api/v1/action-items/:id': { access: ['admin', 'coordinator'] },
  'GET /api/v1/action-items': { access: meetingReaders },

  // Notices
  'POST /api/v1/notices': { access: ['admin', 'coordinator'] },
  'POST /api/v1/public/entitlement-check': {
    access: everyone,
    probe: () => ({
      url: '/api/v1/public/entitlement-check',
      payload: { card_number: '0000', phone_last4: '1234' },
    }),
  },

  // Circulars
  'POST /api/v1/circulars': { access: ['admin', 'coordinator'] },
  'GET /api/v1/circulars': { access: circularReaders },
  'GET /api/v1/circulars/:id': { access: circularReaders },
  'POST /api/v1/circulars/:id/publish': { access: ['admin', 'coordinator'] },
  'POST /api/v1/circulars/:id/acknowledge': { access: all },
  'POST /api/v1/circulars/:id/units/:org_unit_id/relay': {
    access: ['admin', 'coordinator', 'team_leader'],
  },
  'GET /api/v1/circulars/:id/reach': { access: circularReaders },
  'POST /api/v1/circulars/:id/remind': { access: ['admin', 'coordinator'] },
  'GET /api/v1/circulars/:id/public.txt': { access: circularReaders },
  'GET /api/v1/circulars/:id/notice.html': { access: circularReaders },
  'POST /api/v1/circulars/:id/attachments': {
    access: ['admin', 'coordinator'],
    probe: () => ({ url: '/api/v1/circulars/missing/attachments?filename=a.pdf' }),
  },
  'GET /api/v1/circulars/:id/attachments': { access: circularReaders },
  'GET /api/v1/circulars/:id/attachments/:attachment_id': { access: circularReaders },
  'GET /api/v1/circular-links/:token/attachments/:attachment_id': {
    access: everyone,
    probe: () => ({ url: '/api/v1/circular-links/missing-token-0000/attachments/missing' }),
  },
  'GET /api/v1/circular-links/:token': {
    access: everyone,
    probe: () => ({ url: '/api/v1/circular-links/missing-token-0000' }),
  },
  'POST /api/v1/circular-links/:token/acknowledge': {
    access: everyone,
    probe: () => ({ url: '/api/v1/circular-links/missing-token-0000/acknowledge' }),
  },
};

/** Roles that see every area, whatever their grants. */
const globalRoles: readonly Role[] = ['admin', 'auditor'];
/** Scope given to every signed-in user of the matrix. */
const userScope = ['TA'];

function routeKey(route: RouteAccess): string {
  return `${route.method} ${route.url}`;
}

function allows(access: RouteRoles, role: Role): boolean {
  return access === 'public' || access === 'authenticated' || access.includes(role);
}

function sameAccess(declared: RouteRoles, expected: RouteRoles): boolean {
  if (typeof declared === 'string' || typeof expected === 'string') return declared === expected;
  return [...declared].sort().join() === [...expected].sort().join();
}

function defaultProbe(route: RouteAccess): Probe {
  const url = route.url.replace(/:[A-Za-z_]+/g, 'missing').replace(/\*$/, 'missing.txt');
  return { url };
}

describeEachDialect('access matrix', (storage) => {
  let app: AwnApp;
  const cookies = new Map<Role, string>();
  let counter = 0;
  const fixture: Fixture = {
    pointInScope: 'matrix-point-in',
    pointOutOfScope: 'matrix-point-out',
    householdInScope: '',
    householdOutOfScope: '',
    cards: new Map(),
    unique: () => String((counter += 1)).padStart(2, '0'),
  };

  async function signIn(role: Role): Promise<void> {
    cookies.set(role, (await loginAs(app, storage(), role, userScope)).cookie);
  }

  beforeAll(async () => {
    await seedScopeFixture(storage());
    await storage()
      .db.insertInto('service_points')
      .values(
        [
          [fixture.pointInScope, 'TA0101'],
          [fixture.pointOutOfScope, 'TB'],
        ].map(([id, area]) => ({
          id: id!,
          partner_id: null,
          name_ar: 'منفذ',
          name_en: 'Outlet',
          area_pcode: area!,
          created_at: '2026-11-29T00:00:00.000Z',
        })),
      )
      .execute();
    app = await buildTestApp(storage(), { messaging: testMessagingConfig(null) });
    for (const role of roles) await signIn(role);
    fixture.householdInScope = await createHousehold('TA0101');
    fixture.householdOutOfScope = await createHousehold('TB0101');
  });

  async function createHousehold(area: string): Promise<string> {
    const response = await inject(
      { url: '/api/v1/households', payload: buildHouseholdInput({ area_pcode: area }) },
      'POST',
      'admin',
    );
    if (response.statusCode !== 201) throw new Error(`household fixture: ${response.body}`);
    const created = response.json<{ id: string; card_number: string }>();
    fixture.cards.set(created.id, created.card_number);
    return created.id;
  }
  afterAll(async () => {
    await app.close();
  });

  function inject(probe: Probe, method: string, role: Role | null) {
    const cookie = role ? cookies.get(role) : undefined;
    return app.inject({
      method: method as 'GET',
      url: probe.url,
      headers: { origin: testOrigin, ...(cookie ? { cookie } : {}), ...probe.headers },
      ...(probe.payload !== undefined
        ? { payload: probe.payload }
        : ['POST', 'PUT', 'PATCH'].includes(method)
          ? { payload: {} }
          : {}),
    });
  }

  it('has an expectation for every registered route, and a route for every expectation', () => {
    const registered = listRoutes(app).map(routeKey);
    const unlisted = registered.filter((key) => !(key in EXPECTED));
    expect(unlisted, `routes missing from EXPECTED in test/access-matrix.test.ts`).toEqual([]);
    const stale = Object.keys(EXPECTED).filter((key) => !registered.includes(key));
    expect(stale, 'EXPECTED rows for routes that are not registered').toEqual([]);
  });

  it('declares the expected access on every route', () => {
    for (const route of listRoutes(app)) {
      const expectation = EXPECTED[routeKey(route)];
      if (!expectation) continue;
      expect(
        sameAccess(route.access, expectation.access),
        `${routeKey(route)} declares ${JSON.stringify(route.access)}, expected ${JSON.stringify(expectation.access)}`,
      ).toBe(true);
    }
  });

  it('lets allowed roles through, refuses the others with 403, and no one without a session', async () => {
    const failures: string[] = [];
    for (const route of listRoutes(app)) {
      const key = routeKey(route);
      const expectation = EXPECTED[key];
      if (!expectation) continue;
      const probe = expectation.probe?.(fixture) ?? defaultProbe(route);
      const failed = (status: number) =>
        [401, 403].includes(status) ||
        (status >= 500 && !(status === 503 && expectation.mayBeUnavailable));

      const anonymous = await inject(probe, route.method, null);
      if (expectation.access === 'public') {
        if (failed(anonymous.statusCode))
          failures.push(`${key} without a session: ${anonymous.statusCode}`);
      } else if (anonymous.statusCode !== 401) {
        failures.push(`${key} without a session: ${anonymous.statusCode}, expected 401`);
      }

      for (const role of roles) {
        const response = await inject(probe, route.method, role);
        const status = response.statusCode;
        if (allows(expectation.access, role)) {
          if (failed(status))
            failures.push(`${key} as ${role}: ${status} ${response.body.slice(0, 200)}`);
        } else if (status !== 403 || response.json<{ code: string }>().code !== 'forbidden') {
          failures.push(`${key} as ${role}: ${status}, expected 403 forbidden`);
        }
        if (expectation.endsSession) await signIn(role);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 404 outside the scope and serves inside it, on every scoped route', async () => {
    const failures: string[] = [];
    for (const route of listRoutes(app)) {
      const key = routeKey(route);
      const expectation = EXPECTED[key];
      for (const role of roles) {
        if (!expectation || !allows(expectation.access, role)) continue;
        if (expectation.scoped) {
          const { inScope, outOfScope } = expectation.scoped(fixture);
          const inside = await inject(inScope, route.method, role);
          if ([401, 403, 404].includes(inside.statusCode) || inside.statusCode >= 500)
            failures.push(
              `${key} as ${role} in scope: ${inside.statusCode} ${inside.body.slice(0, 200)}`,
            );
          const outside = await inject(outOfScope, route.method, role);
          const expected = globalRoles.includes(role) ? 'served' : 404;
          const served = ![401, 403, 404].includes(outside.statusCode) && outside.statusCode < 500;
          if (expected === 404 ? outside.statusCode !== 404 : !served)
            failures.push(
              `${key} as ${role} out of scope: ${outside.statusCode}, expected ${expected}`,
            );
        }
        if (expectation.listsScoped) {
          const { url, inScopeId, outOfScopeId } = expectation.listsScoped(fixture, role);
          const ids: string[] = [];
          for (const one of Array.isArray(url) ? url : [url]) {
            const response = await inject({ url: one }, route.method, role);
            ids.push(...response.json<{ items: { id: string }[] }>().items.map((item) => item.id));
          }
          if (!ids.includes(inScopeId)) failures.push(`${key} as ${role}: in-scope item missing`);
          if (ids.includes(outOfScopeId) !== globalRoles.includes(role))
            failures.push(
              `${key} as ${role}: out-of-scope item ${ids.includes(outOfScopeId) ? 'shown' : 'hidden'}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses at startup a route that does not declare its access', async () => {
    const { buildApp } = await import('../src/server/app.js');
    const probe = await buildApp({ storage: storage(), logger: false });
    try {
      expect(() => probe.get('/undeclared', async () => 'x')).toThrow(
        /route GET \/undeclared must declare config.access/,
      );
    } finally {
      await probe.close();
    }
  });
});
