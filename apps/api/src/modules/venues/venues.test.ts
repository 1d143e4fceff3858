import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';

let ctx: TestContext;
let admin: Awaited<ReturnType<typeof signedInAgent>>['agent'];
beforeAll(async () => {
  ctx = await createTestContext();
  admin = (await signedInAgent(ctx, { role: 'admin' })).agent;
});
afterAll(() => ctx.close());

const token = (tag = 'V') => `${tag}${randomBytes(4).toString('hex')}`;

function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

function venueInput(city: string, patch: Record<string, unknown> = {}) {
  return {
    name: `Hall ${city}`,
    city,
    address: '1 Main St',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    sections: [
      { name: 'Stalls', priceTier: 1, priceCents: 4000, rows: [{ label: 'A', seats: [{ number: 1, x: 10, y: 10, accessible: true }, { number: '2', x: 20, y: 10 }] }, { label: 'B', seats: [{ number: 1, x: 10, y: 20 }] }] },
      { name: 'Balcony', priceTier: 2, priceCents: 2000, rows: [{ label: 'A', seats: [{ number: 1, x: 10, y: 50 }] }] },
    ],
    ...patch,
  };
}

async function venueCount(name: string): Promise<number> {
  const { rows } = await ctx.db.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [name]);
  return rows[0].n;
}

describe('admin venues', () => {
  it('when an admin creates a venue, then 201 with its layout, and sections and seats are stored in order', async () => {
    const city = token('Lisbon');
    const res = await admin.post('/api/v1/admin/venues').send(venueInput(city));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: `Hall ${city}`,
      city,
      timezone: 'Europe/Lisbon',
      totalSeats: 4,
      sections: [
        { name: 'Stalls', priceTier: 1, priceCents: 4000, rows: [{ label: 'A', seats: [{ number: '1', x: 10, y: 10, accessible: true }, { number: '2' }] }, { label: 'B', seats: [{ number: '1' }] }] },
        { name: 'Balcony', priceTier: 2, priceCents: 2000, rows: [{ label: 'A', seats: [{ number: '1' }] }] },
      ],
    });
    const { rows } = await ctx.db.query(
      `SELECT s.name, s.position AS sp, vs.row_label, vs.number, vs.position FROM venue_sections s JOIN venue_seats vs ON vs.section_id = s.id
        WHERE s.venue_id = $1 ORDER BY s.position, vs.position`,
      [res.body.id],
    );
    expect(rows.map((r) => `${r.sp}:${r.name}/${r.row_label}${r.number}#${r.position}`)).toEqual(['0:Stalls/A1#0', '0:Stalls/A2#1', '0:Stalls/B1#2', '1:Balcony/A1#0']);
  });

  it('when an admin replaces a venue, then fields and layout change; an unknown id is 404', async () => {
    const city = token('Upd');
    const { body: created } = await admin.post('/api/v1/admin/venues').send(venueInput(city));
    const res = await admin.put(`/api/v1/admin/venues/${created.id}`).send(
      venueInput(city, { name: 'Renamed', sections: [{ name: 'Floor', priceTier: 1, priceCents: 1000, rows: [{ label: 'Z', seats: [{ number: 9, x: 1, y: 1 }] }] }] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, name: 'Renamed', totalSeats: 1, sections: [{ name: 'Floor', rows: [{ label: 'Z', seats: [{ number: '9' }] }] }] });
    const { rows } = await ctx.db.query('SELECT count(*)::int AS n FROM venue_sections WHERE venue_id = $1', [created.id]);
    expect(rows[0].n).toBe(1);
    expectProblem(await admin.put(`/api/v1/admin/venues/${randomUUID()}`).send(venueInput(city)), 404, 'not_found');
  });

  it.each([
    ['no sections', { sections: [] }, 'body.sections'],
    ['duplicate section names', { sections: [{ name: 'X', priceTier: 1, priceCents: 1, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] }, { name: 'X', priceTier: 1, priceCents: 1, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] }] }, 'body.sections.1.name'],
    ['a duplicate seat number in a row', { sections: [{ name: 'X', priceTier: 1, priceCents: 1, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }, { number: '1', x: 1, y: 0 }] }] }] }, 'body.sections.0.rows.0.seats.1.number'],
    ['a negative price', { sections: [{ name: 'X', priceTier: 1, priceCents: -5, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] }] }, 'body.sections.0.priceCents'],
    ['a missing city', { city: '' }, 'body.city'],
    ['an unknown field', { capacity: 10 }, 'body'],
    ['a time zone that is no IANA zone', { timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
    ['a misspelt time zone', { timezone: 'Europe/Lisboa' }, 'body.timezone'],
    ['a UTC offset for a time zone', { timezone: '+01:00' }, 'body.timezone'],
  ])('when the venue has %s, then 400 validation_failed naming it and nothing is stored', async (_label, patch, path) => {
    const name = `Bad ${token()}`;
    const res = await admin.post('/api/v1/admin/venues').send(venueInput(token('C'), { name, ...patch }));
    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { path: string }[]).some((e) => e.path === path || (path === 'body' && e.path.startsWith('body')))).toBe(true);
    expect(await venueCount(name)).toBe(0);
  });

  it('when an admin replaces a venue with a time zone that is no IANA zone, then 400 validation_failed and the venue is unchanged', async () => {
    const city = token('Tz');
    const { body: created } = await admin.post('/api/v1/admin/venues').send(venueInput(city));
    const res = await admin.put(`/api/v1/admin/venues/${created.id}`).send(venueInput(city, { name: 'Renamed', timezone: 'Europe/Atlantis' }));
    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['body.timezone']);
    const { rows } = await ctx.db.query('SELECT name, timezone FROM venues WHERE id = $1', [created.id]);
    expect(rows[0]).toEqual({ name: `Hall ${city}`, timezone: 'Europe/Lisbon' });
  });

  it('when anonymous or a fan writes a venue, then 401 / 403 and nothing is stored', async () => {
    const input = venueInput(token('Auth'));
    expectProblem(await ctx.agent().post('/api/v1/admin/venues').send(input), 401, 'unauthenticated');
    const { agent: fan } = await signedInAgent(ctx);
    expectProblem(await fan.post('/api/v1/admin/venues').send(input), 403, 'forbidden');
    expect(await venueCount(input.name)).toBe(0);
  });
});

describe('GET /venues', () => {
  it('when listing by city (any case), then only that city, paginated with a total', async () => {
    const city = token('Porto');
    for (let i = 0; i < 3; i++) await admin.post('/api/v1/admin/venues').send(venueInput(city, { name: `Venue ${i} ${city}` }));
    await admin.post('/api/v1/admin/venues').send(venueInput(token('Other')));
    const p1 = await ctx.agent().get('/api/v1/venues').query({ city: city.toLowerCase(), limit: 2 });
    const p2 = await ctx.agent().get('/api/v1/venues').query({ city: city.toLowerCase(), limit: 2, page: 2 });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(p1.body.items.map((v: { name: string }) => v.name)).toEqual([`Venue 0 ${city}`, `Venue 1 ${city}`]);
    expect(p2.body.items.map((v: { name: string }) => v.name)).toEqual([`Venue 2 ${city}`]);
    expect(p1.body.items[0]).toMatchObject({ city, totalSeats: 4, timezone: 'Europe/Lisbon' });
  });

  it('when getting one venue, then its layout comes back; unknown is 404, a non-UUID 400', async () => {
    const { body: created } = await admin.post('/api/v1/admin/venues').send(venueInput(token('One')));
    const res = await ctx.agent().get(`/api/v1/venues/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(res.headers.etag).toBeTruthy();
    expectProblem(await ctx.agent().get(`/api/v1/venues/${randomUUID()}`), 404, 'not_found');
    expectProblem(await ctx.agent().get('/api/v1/venues/123'), 400, 'validation_failed');
  });
});
