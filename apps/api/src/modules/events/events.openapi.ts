import { Event, EventIdParams, EventInput, EventList, EventListQuery, IdParams } from '@ticketing/shared';
import { jsonBody, jsonResponse, notModified, problems, sessionAuth, type OpenApiPaths } from '../openapi/openapi.helpers.js';

/** OpenAPI paths of the events module (discovery and admin create/edit). */
export const eventsPaths: OpenApiPaths = {
  '/events': {
    get: {
      tags: ['Discovery'],
      operationId: 'listEvents',
      summary: 'Search and filter events.',
      description:
        '`q` is a full-text search over name, performer, venue and city (the last word matches as a prefix). ' +
        'Without `status`, cancelled events are hidden, and without `status` or `from`, past ones too. ' +
        '`sort` defaults to `relevance` with `q`, else `date`. Cached briefly; sends an ETag.',
      requestParams: { query: EventListQuery },
      responses: { '200': jsonResponse(EventList, 'A page of events.'), ...notModified, ...problems(400) },
    },
  },
  '/events/{eventId}': {
    get: {
      tags: ['Discovery'],
      operationId: 'getEvent',
      summary: 'One event with its venue, price range and availability counts.',
      requestParams: { path: EventIdParams },
      responses: { '200': jsonResponse(Event, 'The event.'), ...notModified, ...problems(400, 404) },
    },
  },
  '/admin/events': {
    get: {
      tags: ['Admin'],
      operationId: 'adminListEvents',
      summary: 'Every event, including past and cancelled ones (same filters as /events, uncached).',
      security: sessionAuth,
      requestParams: { query: EventListQuery },
      responses: { '200': jsonResponse(EventList, 'A page of events.'), ...problems(400, 401, 403) },
    },
    post: {
      tags: ['Admin'],
      operationId: 'createEvent',
      summary: "Create an event; its seats are generated from the venue's layout.",
      security: sessionAuth,
      requestBody: jsonBody(EventInput),
      responses: { '201': jsonResponse(Event, 'The created event.'), ...problems(400, 401, 403) },
    },
  },
  '/admin/events/{id}': {
    put: {
      tags: ['Admin'],
      operationId: 'updateEvent',
      summary: 'Edit an event (name, times, description, settings). Changing the venue of an event with seats is 409.',
      security: sessionAuth,
      requestParams: { path: IdParams },
      requestBody: jsonBody(EventInput),
      responses: { '200': jsonResponse(Event, 'The updated event.'), ...problems(400, 401, 403, 404, 409) },
    },
  },
};
