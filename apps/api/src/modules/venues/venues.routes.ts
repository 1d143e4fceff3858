import { Router } from 'express';
import { IdParams, VenueIdParams, VenueInput, VenueListQuery, type Venue } from '@ticketing/shared';
import type { z } from 'zod';
import type { VenuesService } from './venues.service.js';
import { parsed, validate } from '../../platform/http.js';
import { requireRole } from '../../platform/security.js';

/** Public venue reads: GET /venues, GET /venues/:venueId. */
export function venueRoutes(venues: VenuesService): Router {
  const r = Router();

  r.get('/', validate({ query: VenueListQuery }), async (_req, res) => {
    const q = parsed<unknown, z.infer<typeof VenueListQuery>>(res).query;
    res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
    res.json(await venues.list(q));
  });

  r.get('/:venueId', validate({ params: VenueIdParams }), async (_req, res) => {
    const { venueId } = parsed<z.infer<typeof VenueIdParams>>(res).params;
    res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
    res.json(await venues.get(venueId));
  });

  return r;
}

/** Admin venue writes: POST /admin/venues, PUT /admin/venues/:id. */
export function adminVenueRoutes(venues: VenuesService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.post('/', validate({ body: VenueInput }), async (_req, res) => {
    const { venue } = await venues.create(parsed<unknown, unknown, VenueInput>(res).body);
    res.status(201).location(`/api/v1/venues/${venue.id}`).json(venue satisfies Venue);
  });

  r.put('/:id', validate({ params: IdParams, body: VenueInput }), async (_req, res) => {
    const { params, body } = parsed<z.infer<typeof IdParams>, unknown, VenueInput>(res);
    res.json(await venues.update(params.id, body));
  });

  return r;
}
