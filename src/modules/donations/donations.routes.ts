/** /donors and /donations: who gives, what was received, receipts and statements. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { renderDonationReceipt } from './donations.receipt.js';
import {
  CreateDonationBody,
  CreateDonorBody,
  Donation,
  Donor,
  DonorList,
  DonorStatement,
} from './donations.schema.js';
import {
  createDonation,
  createDonor,
  getDonation,
  getDonorStatement,
  listDonors,
} from './donations.service.js';

/** The receipt is one document with its style inline: nothing else loads. */
export const printPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export async function donationRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/donors',
    {
      config: { access: 'donors.write' },
      schema: {
        operationId: 'createDonor',
        tags: ['donations'],
        summary: 'Add a donor (member, person, organisation or anonymous)',
        body: CreateDonorBody,
        response: { 201: Donor },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createDonor(app.awn.storage, request.actor!, request.body, app.awn.clock)),
  );

  app.get(
    '/donors',
    {
      config: { access: 'donations.read' },
      schema: {
        operationId: 'listDonors',
        tags: ['donations'],
        summary: 'Every donor',
        response: { 200: DonorList },
      },
    },
    async () => ({ items: await listDonors(app.awn.storage.db) }),
  );

  app.get(
    '/donors/:id/statement',
    {
      config: { access: 'donations.read' },
      schema: {
        operationId: 'getDonorStatement',
        tags: ['donations'],
        summary:
          'Everything a donor gave (in your scope) and where it went: released, rejected, held, allocated, received by whom, lost',
        params: IdParams,
        response: { 200: DonorStatement },
      },
    },
    async (request) =>
      getDonorStatement(app.awn.storage.db, request.actor!, request.params.id, app.awn.clock),
  );

  app.post(
    '/donations',
    {
      config: { access: 'donations.write' },
      schema: {
        operationId: 'receiveDonation',
        tags: ['donations'],
        summary:
          'Receive a donation at a warehouse: one lot per line, quarantined when the commodity requires inspection (201; same id and body: 200 with the first answer; other body: 409 id-conflict)',
        description:
          '409 lot-number-taken when a given lot number is already used for the commodity.',
        body: CreateDonationBody,
        response: { 200: Donation, 201: Donation },
      },
    },
    async (request, reply) => {
      const { created, donation } = await createDonation(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(donation);
    },
  );

  app.get(
    '/donations/:id',
    {
      config: { access: 'donations.read' },
      schema: {
        operationId: 'getDonation',
        tags: ['donations'],
        summary: 'A donation as received',
        params: IdParams,
        response: { 200: Donation },
      },
    },
    async (request) =>
      (await getDonation(app.awn.storage.db, request.actor!, request.params.id)).donation,
  );

  app.get(
    '/donations/:id/receipt',
    {
      config: { access: 'donations.read' },
      schema: {
        operationId: 'printDonationReceipt',
        tags: ['donations'],
        summary: 'The printable donation receipt (Arabic with English, HTML for A4)',
        params: IdParams,
        produces: ['text/html'],
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', printPolicy)
        .type('text/html; charset=utf-8')
        .send(await renderDonationReceipt(app.awn.storage.db, request.actor!, request.params.id)),
  );
}
