import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { buildOpenApiDocument } from './openapi.document.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/**
 * Every route registered on the Express app as `METHOD /path`, rebuilt from the router stack:
 * a mounted router contributes its mount path (`rawPath`), a route its own path.
 */
function registeredRoutes(stack: Layer[], prefix = ''): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const layer of stack) {
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`route with a non-string path under ${prefix}`);
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method, path: `${prefix}${layer.route.path}` });
      }
    } else if (layer.handle?.stack) {
      out.push(...registeredRoutes(layer.handle.stack, `${prefix}${mount}`));
    }
  }
  return out;
}

/** `/api/v1/events/:eventId/` → `/events/{eventId}` (the document's servers entry carries /api/v1). */
function toOpenApiPath(expressPath: string): string {
  const p = expressPath
    .replace(/^\/api\/v1/, '')
    .replace(/:(\w+)/g, '{$1}')
    .replace(/\/+$/, '');
  return p || '/';
}

describe('OpenAPI document', () => {
  it('when served, then it is a valid OpenAPI 3.1 document', async () => {
    const res = await ctx.agent().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('when built, then shared schemas are components and every operation has an id and a problem+json error', () => {
    const doc = buildOpenApiDocument();
    const schemas = Object.keys(doc.components?.schemas ?? {});
    for (const id of ['EventList', 'Event', 'EventInput', 'Venue', 'VenueInput', 'Problem', 'User', 'Hold', 'Order']) expect(schemas).toContain(id);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { operationId?: string; responses?: Record<string, { content?: Record<string, unknown> }> }>)) {
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
        expect(ids.has(op.operationId!), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId!);
        if (path !== '/openapi.json') {
          expect(Object.values(op.responses ?? {}).some((r) => r.content?.['application/problem+json']), `${method} ${path} has no problem response`).toBe(true);
        }
      }
    }
  });

  it("when built, then the 409 of POST /admin/checkins references TicketAlreadyUsedProblem (with checkedInAt and seat) besides the plain Problem", () => {
    const doc = buildOpenApiDocument();
    const conflict = (doc.paths?.['/admin/checkins'] as { post: { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> } }).post.responses['409'];
    const schema = conflict?.content?.['application/problem+json']?.schema as { anyOf?: { $ref?: string }[]; oneOf?: { $ref?: string }[] } | undefined;
    const refs = (schema?.anyOf ?? schema?.oneOf ?? []).map((s) => s.$ref);
    expect(refs).toEqual(expect.arrayContaining(['#/components/schemas/TicketAlreadyUsedProblem', '#/components/schemas/Problem']));
    const component = doc.components?.schemas?.TicketAlreadyUsedProblem as { required?: string[] } | undefined;
    expect(component?.required).toEqual(expect.arrayContaining(['code', 'checkedInAt', 'seat']));
  });

  it('when walking the Express router of createApp(), then every /api/v1 route is in the document', () => {
    const doc = buildOpenApiDocument();
    const stack = (ctx.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const routes = registeredRoutes(stack).filter((r) => r.path.startsWith('/api/v1/'));
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes
      .map((r) => ({ method: r.method, path: toOpenApiPath(r.path) }))
      .filter((r) => !(doc.paths?.[r.path] as Record<string, unknown> | undefined)?.[r.method])
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('when the document lists a path, then the app has a route for it (no phantom operations)', () => {
    const doc = buildOpenApiDocument();
    const stack = (ctx.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const registered = new Set(registeredRoutes(stack).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    const phantom: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item as object)) if (!registered.has(`${method} ${path}`)) phantom.push(`${method.toUpperCase()} ${path}`);
    }
    expect(phantom).toEqual([]);
  });
});
