/**
 * /households and /duplicates. Registrars, coordinators and admins write; auditors read
 * everything; outlet clerks read who a household is (no contact details, tags or members).
 * Everything is scoped: a household outside the actor's scope is a 404.
 */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { listDuplicates, resolveDuplicate } from './duplicates.service.js';
import { loadHouseholdConfig } from './households.config.js';
import {
  CreatedHousehold,
  CreateHouseholdBody,
  DuplicateList,
  DuplicateListQuery,
  Household,
  HouseholdList,
  HouseholdListQuery,
  ResolveDuplicateBody,
  ResolvedDuplicate,
  SaveVulnerabilityTagsBody,
  UpdatedHousehold,
  UpdateHouseholdBody,
  VulnerabilityTagList,
} from './households.schema.js';
import { createHousehold } from './households.create.js';
import { getHousehold, listHouseholds } from './households.search.js';
import { saveVulnerabilityTags } from './households.tags.js';
import { updateHousehold } from './households.update.js';

export async function householdRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/households',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'createHousehold',
        tags: ['households'],
        summary: 'Register a household (card number assigned when empty)',
        description:
          '409 `duplicate-national-id` / `duplicate-card-number` name the existing household in `household_id` when it is in your scope, else say `outside_scope: true` (and the lookup is audited); a shared phone is a `phone-shared` warning; likely duplicates are flagged for review.',
        body: CreateHouseholdBody,
        response: { 201: CreatedHousehold },
      },
    },
    async (request, reply) => {
      const created = await createHousehold(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/households',
    {
      config: { access: 'households.read' },
      schema: {
        operationId: 'searchHouseholds',
        tags: ['households'],
        summary: 'Search households in your scope',
        description:
          '`q` matches a name in any spelling, a card number, a phone number in any local form or a national id; `area` includes the area subtree. Cursor pagination in a stable order. Outlet clerks search by card number only (400 `card-number-only` on `/q` otherwise).',
        querystring: HouseholdListQuery,
        response: { 200: HouseholdList },
      },
    },
    async (request) =>
      listHouseholds(app.awn.storage, request.actor!, request.query, app.awn.clock),
  );

  app.get(
    '/households/tags',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listVulnerabilityTags',
        tags: ['households'],
        summary: 'The vulnerability tags households may carry, with Arabic and English labels',
        response: { 200: VulnerabilityTagList },
      },
    },
    async () => ({ items: [...(await loadHouseholdConfig(app.awn.storage.db)).tags] }),
  );

  app.put(
    '/households/tags',
    {
      config: { access: 'households.configure' },
      schema: {
        operationId: 'saveVulnerabilityTags',
        tags: ['households'],
        summary: 'Replace the list of vulnerability tags (codes with Arabic and English labels)',
        description:
          'Labels may change at any time; a code some household still carries cannot be left out (409 tag-in-use, naming `tags`).',
        body: SaveVulnerabilityTagsBody,
        response: { 200: VulnerabilityTagList },
      },
    },
    async (request) => ({
      items: await saveVulnerabilityTags(
        app.awn.storage,
        request.actor!,
        request.body.items,
        app.awn.clock,
      ),
    }),
  );

  app.get(
    '/households/:id',
    {
      config: { access: 'households.read' },
      schema: {
        operationId: 'getHousehold',
        tags: ['households'],
        summary: 'One household (404 when outside your scope); the read is audit-logged',
        params: IdParams,
        response: { 200: Household },
      },
    },
    async (request) =>
      getHousehold(app.awn.storage, request.actor!, request.params.id, app.awn.clock),
  );

  app.patch(
    '/households/:id',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'updateHousehold',
        tags: ['households'],
        summary: 'Edit a household; a status change needs `status_reason`',
        params: IdParams,
        body: UpdateHouseholdBody,
        response: { 200: UpdatedHousehold },
      },
    },
    async (request) =>
      updateHousehold(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );

  app.get(
    '/duplicates',
    {
      config: { access: 'duplicates.read' },
      schema: {
        operationId: 'listDuplicates',
        tags: ['households'],
        summary: 'Likely duplicate households waiting for review (both in your scope)',
        description:
          '`total` counts every candidate with the status in your scope, not just the page; ' +
          '`count=only` answers the total alone, without reading (or logging reads of) names.',
        querystring: DuplicateListQuery,
        response: { 200: DuplicateList },
      },
    },
    async (request) =>
      listDuplicates(app.awn.storage, request.actor!, request.query, app.awn.clock),
  );

  app.post(
    '/duplicates/:id/resolve',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'resolveDuplicate',
        tags: ['households'],
        summary: 'Keep both households, or merge one into the other (`keep`)',
        description:
          'A merge marks the other household `merged` with `merged_into`, revokes its cards and carries its ledger balances to the kept household by transfers; nothing is deleted.',
        params: IdParams,
        body: ResolveDuplicateBody,
        response: { 200: ResolvedDuplicate },
      },
    },
    async (request) =>
      resolveDuplicate(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );
}
