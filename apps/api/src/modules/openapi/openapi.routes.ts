import { Router } from 'express';
import { buildOpenApiDocument } from './openapi.document.js';

/** GET /openapi.json: the generated OpenAPI 3.1 document. */
export function openApiRoutes(): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(buildOpenApiDocument());
  });
  return r;
}
