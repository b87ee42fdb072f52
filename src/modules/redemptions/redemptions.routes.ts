/** /redemptions: hand-overs at service points; /households/{id}/entitlements: what is left. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CardCheck,
  CardCheckBody,
  Entitlements,
  RedeemBody,
  Redemption,
  RedemptionListQuery,
  RedemptionPage,
} from './redemptions.schema.js';
import { checkCard, getEntitlements, listRedemptions, redeem } from './redemptions.service.js';

export async function redemptionRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/redemptions',
    {
      config: { access: 'redemptions.write' },
      schema: {
        operationId: 'createRedemption',
        tags: ['redemptions'],
        summary:
          'Hand over goods to the household whose card is presented: entitlement and stock move together, all or nothing',
        description:
          '201 with what remains; the same id and body again: 200 with the first answer; the same id with another body: 409 id-conflict. ' +
          'Other refusals: 400 card-invalid, 409 card-revoked, household-not-active (with `status`), commodity-not-served, cycle-not-started (with `starts_on`), cycle-closed, wrong-service-point (with `home_service_point_id`; a coordinator may pass `override_reason`), service-point-not-assigned (a clerk tied to other service points), visit-limit-reached (with `per_visit_max`), daily-limit-reached (with `left_today`), insufficient-entitlement (with `remaining`), insufficient-stock (with `available`); 400 on `/collected_by` (code collector-unknown) for someone who is not the head, a member or a registered proxy of the household; 403 for an `override_reason` from a role without `redemptions.override`; 404 for a household or service point outside your scope.',
        body: RedeemBody,
        response: { 200: Redemption, 201: Redemption },
      },
    },
    async (request, reply) => {
      const result = await redeem(app.awn.storage, request.actor!, request.body, app.awn.clock);
      return reply.code(result.created ? 201 : 200).send(result.redemption);
    },
  );

  app.post(
    '/redemptions/card-check',
    {
      config: { access: 'redemptions.write' },
      schema: {
        operationId: 'checkRedemptionCard',
        tags: ['redemptions'],
        summary:
          'Check a presented card as a hand-over would (signature, check digits, revocation, scope), before anything is handed over',
        description:
          'Answers the household behind the current card. Refusals: 400 card-invalid (also a forged signature), 409 card-revoked, 404 for a household outside your scope.',
        body: CardCheckBody,
        response: { 200: CardCheck },
      },
    },
    async (request) => checkCard(app.awn.storage.db, request.actor!, request.body.card),
  );

  app.get(
    '/redemptions',
    {
      config: { access: 'redemptions.read' },
      schema: {
        operationId: 'listRedemptions',
        tags: ['redemptions'],
        summary: 'Hand-overs to households in your scope, newest first, a page at a time',
        description:
          'Filter by household, service point, or `since` (an ISO date-time, e.g. midnight today). ' +
          'Items carry no personal data. Continue with `next_cursor`; an invalid cursor is 400.',
        querystring: RedemptionListQuery,
        response: { 200: RedemptionPage },
      },
    },
    async (request) => listRedemptions(app.awn.storage.db, request.actor!, request.query),
  );

  app.get(
    '/households/:id/entitlements',
    {
      config: {
        access: 'entitlements.read',
      },
      schema: {
        operationId: 'listHouseholdEntitlements',
        tags: ['redemptions'],
        summary: "The household's entitlements in open cycles: credited and remaining (base units)",
        params: IdParams,
        response: { 200: Entitlements },
      },
    },
    async (request) =>
      getEntitlements(app.awn.storage.db, request.actor!, request.params.id, app.awn.clock),
  );
}
