import { IdParams, Venue, VenueIdParams, VenueInput, VenueList, VenueListQuery } from '@ticketing/shared';
import { jsonBody, jsonResponse, notModified, problems, sessionAuth, type OpenApiPaths } from '../openapi/openapi.helpers.js';

/** OpenAPI paths of the venues module (public reads and admin writes). */
export const venuesPaths: OpenApiPaths = {
  '/venues': {
    get: {
      tags: ['Discovery'],
      operationId: 'listVenues',
      summary: 'List venues, optionally in one city (case-insensitive).',
      requestParams: { query: VenueListQuery },
      responses: { '200': jsonResponse(VenueList, 'A page of venues.'), ...notModified, ...problems(400) },
    },
  },
  '/venues/{venueId}': {
    get: {
      tags: ['Discovery'],
      operationId: 'getVenue',
      summary: 'One venue with its section layout.',
      requestParams: { path: VenueIdParams },
      responses: { '200': jsonResponse(Venue, 'The venue.'), ...notModified, ...problems(400, 404) },
    },
  },
  '/admin/venues': {
    post: {
      tags: ['Admin'],
      operationId: 'createVenue',
      summary: 'Create a venue with its layout.',
      security: sessionAuth,
      requestBody: jsonBody(VenueInput),
      responses: { '201': jsonResponse(Venue, 'The created venue.'), ...problems(400, 401, 403) },
    },
  },
  '/admin/venues/{id}': {
    put: {
      tags: ['Admin'],
      operationId: 'updateVenue',
      summary: "Replace a venue's fields and layout template (existing events keep their seats).",
      security: sessionAuth,
      requestParams: { path: IdParams },
      requestBody: jsonBody(VenueInput),
      responses: { '200': jsonResponse(Venue, 'The updated venue.'), ...problems(400, 401, 403, 404) },
    },
  },
};
