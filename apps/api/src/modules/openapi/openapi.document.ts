import { createDocument } from 'zod-openapi';
import type { oas31 } from 'zod-openapi';
import { eventsPaths } from '../events/events.openapi.js';
import { venuesPaths } from '../venues/venues.openapi.js';
import { mergePaths } from './openapi.helpers.js';
import { adminPaths } from './paths/admin.paths.js';
import { authPaths } from './paths/auth.paths.js';
import { inventoryPaths } from './paths/inventory.paths.js';
import { ordersPaths } from './paths/orders.paths.js';
import { queuePaths } from './paths/queue.paths.js';

/**
 * Every module's path object. A module declares its paths next to its routes
 * (`modules/<name>/<name>.openapi.ts`) and is listed here; paths under ./paths are
 * written from API.md for modules that do not declare their own yet.
 */
const MODULE_PATHS = [authPaths, eventsPaths, venuesPaths, inventoryPaths, queuePaths, ordersPaths, adminPaths];

let cached: oas31.OpenAPIObject | undefined;

/** The OpenAPI 3.1 document of /api/v1, generated from the shared zod schemas (built once). */
export function buildOpenApiDocument(): oas31.OpenAPIObject {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Ticketing API',
      version: '1.0.0',
      description: 'Reserved-seat event ticketing. Errors are application/problem+json (RFC 9457) with a stable `code`.',
    },
    servers: [{ url: '/api/v1' }],
    tags: [
      { name: 'Auth' },
      { name: 'Discovery' },
      { name: 'Seats' },
      { name: 'Holds' },
      { name: 'Waiting room' },
      { name: 'Checkout' },
      { name: 'Orders' },
      { name: 'Admin' },
      { name: 'Meta' },
    ],
    paths: mergePaths(...MODULE_PATHS, {
      '/openapi.json': {
        get: {
          tags: ['Meta'],
          operationId: 'getOpenApiDocument',
          summary: 'This document.',
          responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    }),
    components: {
      securitySchemes: {
        cookieSession: { type: 'apiKey', in: 'cookie', name: 'tk.sid', description: 'The session cookie set by /auth/login and /auth/register.' },
      },
    },
  }) as oas31.OpenAPIObject;
  return cached;
}
