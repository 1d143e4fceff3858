import { EventIdParams, QueueStatus } from '@ticketing/shared';
import { emptyResponse, jsonResponse, problems, type OpenApiPaths } from '../openapi.helpers.js';

/** OpenAPI paths of the waiting room (written from API.md; the queue module may take them over). */
export const queuePaths: OpenApiPaths = {
  '/events/{eventId}/queue': {
    post: {
      tags: ['Waiting room'],
      operationId: 'joinQueue',
      summary: "Join the event's waiting room.",
      requestParams: { path: EventIdParams },
      responses: { '200': jsonResponse(QueueStatus, 'Your place (joining twice keeps it).'), ...problems(400, 403, 404, 409) },
    },
    get: {
      tags: ['Waiting room'],
      operationId: 'getQueueStatus',
      summary: 'Your place in the waiting room.',
      requestParams: { path: EventIdParams },
      responses: { '200': jsonResponse(QueueStatus, 'Your place.'), ...problems(400, 404) },
    },
    delete: {
      tags: ['Waiting room'],
      operationId: 'leaveQueue',
      summary: 'Leave the waiting room.',
      requestParams: { path: EventIdParams },
      responses: { '204': emptyResponse('Left.'), ...problems(400, 403, 404) },
    },
  },
};
