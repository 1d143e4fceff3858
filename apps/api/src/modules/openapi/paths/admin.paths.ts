import { CheckinInput, CheckinResult, EventCancelResult, EventStats, IdParams, Problem, QueueSettings, QueueSettingsInput, TicketAlreadyUsedProblem } from '@ticketing/shared';
import { z } from 'zod';
import { jsonBody, jsonResponse, problems, sessionAuth, type OpenApiPaths } from '../openapi.helpers.js';

/** OpenAPI paths of the admin operations other than venue/event editing (written from API.md; the admin module may take them over). */
export const adminPaths: OpenApiPaths = {
  '/admin/events/{id}/stats': {
    get: {
      tags: ['Admin'],
      operationId: 'getEventStats',
      summary: 'Live sales and waiting-room figures.',
      security: sessionAuth,
      requestParams: { path: IdParams },
      responses: { '200': jsonResponse(EventStats, 'The figures.'), ...problems(400, 401, 403, 404) },
    },
  },
  '/admin/events/{id}/queue': {
    put: {
      tags: ['Admin'],
      operationId: 'updateQueueSettings',
      summary: 'Change the waiting-room admission rate or concurrency.',
      security: sessionAuth,
      requestParams: { path: IdParams },
      requestBody: jsonBody(QueueSettingsInput),
      responses: { '200': jsonResponse(QueueSettings, 'The live settings.'), ...problems(400, 401, 403, 404) },
    },
  },
  '/admin/events/{id}/cancel': {
    post: {
      tags: ['Admin'],
      operationId: 'cancelEvent',
      summary: 'Cancel the event and refund every order.',
      security: sessionAuth,
      requestParams: { path: IdParams },
      responses: { '200': jsonResponse(EventCancelResult, 'The cancellation.'), ...problems(400, 401, 403, 404, 409, 503) },
    },
  },
  '/admin/checkins': {
    post: {
      tags: ['Admin'],
      operationId: 'checkIn',
      summary: 'Check a ticket in by its scanned code.',
      security: sessionAuth,
      requestBody: jsonBody(CheckinInput),
      responses: {
        '200': jsonResponse(CheckinResult, 'Checked in.'),
        ...problems(400, 401, 403, 404),
        '409': {
          description: '`ticket_already_used` (a `TicketAlreadyUsedProblem`: also when it was checked in and which seat) or `ticket_void`.',
          content: { 'application/problem+json': { schema: z.union([TicketAlreadyUsedProblem, Problem]) } },
        },
      },
    },
  },
};
