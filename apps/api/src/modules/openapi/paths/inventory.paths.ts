import { Availability, CurrentHoldQuery, EventIdParams, Hold, HoldIdParams, HoldInput, SeatMap } from '@ticketing/shared';
import { emptyResponse, jsonBody, jsonResponse, notModified, problems, sessionAuth, type OpenApiPaths } from '../openapi.helpers.js';

/** OpenAPI paths of seat maps, availability and holds (written from API.md; the inventory module may take them over). */
export const inventoryPaths: OpenApiPaths = {
  '/events/{eventId}/seatmap': {
    get: {
      tags: ['Seats'],
      operationId: 'getSeatMap',
      summary: "The event's static seat layout; long cache + ETag.",
      requestParams: { path: EventIdParams },
      responses: { '200': jsonResponse(SeatMap, 'The layout.'), ...notModified, ...problems(400, 404) },
    },
  },
  '/events/{eventId}/availability': {
    get: {
      tags: ['Seats'],
      operationId: 'getAvailability',
      summary: 'One status character per seat index (a available, h held, s sold) and counts; ETag from `version`.',
      requestParams: { path: EventIdParams },
      responses: { '200': jsonResponse(Availability, 'The snapshot.'), ...notModified, ...problems(400, 404) },
    },
  },
  '/events/{eventId}/availability/stream': {
    get: {
      tags: ['Seats'],
      operationId: 'streamAvailability',
      summary: 'Server-Sent Events: `availability` messages `{ version, changes: [[index, status], ...] }`.',
      requestParams: { path: EventIdParams },
      responses: {
        '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problems(400, 404),
      },
    },
  },
  '/events/{eventId}/holds': {
    post: {
      tags: ['Holds'],
      operationId: 'createHold',
      summary: 'Hold chosen seats or the best available ones (all or nothing); replaces your previous hold on the event.',
      security: sessionAuth,
      requestParams: { path: EventIdParams },
      requestBody: jsonBody(HoldInput),
      responses: { '201': jsonResponse(Hold, 'The hold.'), ...problems(400, 401, 403, 404, 409) },
    },
  },
  '/holds/current': {
    get: {
      tags: ['Holds'],
      operationId: 'getCurrentHold',
      summary: 'Your active hold (optionally on one event).',
      security: sessionAuth,
      requestParams: { query: CurrentHoldQuery },
      responses: { '200': jsonResponse(Hold, 'The hold.'), ...problems(400, 401, 404) },
    },
  },
  '/holds/{holdId}': {
    delete: {
      tags: ['Holds'],
      operationId: 'releaseHold',
      summary: 'Release a hold; its seats are available again at once.',
      security: sessionAuth,
      requestParams: { path: HoldIdParams },
      responses: { '204': emptyResponse('Released.'), ...problems(400, 401, 403, 404) },
    },
  },
};
