import type { AppModule } from '../../platform/module.js';
import { buildOpenApiDocument } from './openapi.document.js';
import { openApiRoutes } from './openapi.routes.js';

/** The generated OpenAPI document (GET /openapi.json). Needs nothing from another module. */
export function createOpenApiModule(): AppModule<{ document: typeof buildOpenApiDocument }> {
  return { service: { document: buildOpenApiDocument }, routes: [openApiRoutes()] };
}
