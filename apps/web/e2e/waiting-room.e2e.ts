import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient } from './helpers/api';
import { DESKTOP, PHONE, launchBrowser, newContext, shot, signInUi, watchErrors } from './helpers/browser';

const AURORA = '5eed0002-0000-4000-8000-000000000001';

let browser: Browser;
let admin: ApiClient;
beforeAll(async () => {
  browser = await launchBrowser();
  admin = await ApiClient.create();
  await admin.login(ADMIN);
});
afterAll(async () => {
  await admin?.dispose();
  await browser?.close();
});

/** A high-demand event on sale since a minute ago in the small comedy club. */
async function createQueueEvent(name: string, settings: { admissionRatePerMinute: number; maxConcurrentShoppers: number }): Promise<string> {
  const venues = await admin.call<{ items: { id: string; name: string }[] }>('GET', '/venues?limit=100');
  const club = venues.items.find((v) => v.name === 'The Vault Comedy Club')!;
  const event = await admin.call<{ id: string }>('POST', '/admin/events', {
    name,
    category: 'comedy',
    venueId: club.id,
    startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    onSaleAt: new Date(Date.now() - 60_000).toISOString(),
    highDemand: true,
    ...settings,
  });
  return event.id;
}

describe('waiting room', () => {
  it('when a fan opens a high-demand event without an admission, then the waiting room admits them and they land on the seat map, and a hold is accepted', async () => {
    // Arrange: a high admission rate so admission happens within a second or two
    await admin.call('PUT', `/admin/events/${AURORA}/queue`, { admissionRatePerMinute: 6000, maxConcurrentShoppers: 1000 });
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const api = await ApiClient.create();
    const fan = await api.registerFan('queue');
    const visited: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) visited.push(new URL(f.url()).pathname);
    });

    // Act: sign in and open the event page itself
    await signInUi(page, fan.email, fan.password, `/events/${AURORA}`);

    // Assert: sent through the waiting room, which joins and then moves on by itself to the seat map
    await expect.poll(() => visited.includes(`/events/${AURORA}/queue`), { timeout: 10_000 }).toBe(true);
    await page.waitForURL((u) => u.pathname === `/events/${AURORA}`, { timeout: 20_000 });
    await page.locator('canvas[tabindex="0"]').first().waitFor();
    await page.getByText('You are in! Pick your seats.').first().waitFor();
    await shot(page, 'b1-admitted-seatmap');

    // The admission is real: the browser's session may hold seats of this high-demand event.
    const status = await page.evaluate(async (id) => (await fetch(`/api/v1/events/${id}/queue`)).json(), AURORA);
    expect(status.status).toBe('admitted');
    const hold = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/events/${id}/holds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quantity: 1 }) });
      return res.status;
    }, AURORA);
    expect(hold).toBe(201);
    expect(errors).toEqual([]);
    await api.dispose();
    await ctx.close();
  });

  it('when the queue is slow, then the page shows the place, people ahead and wait, survives a reload, and leaving gives the place up', async () => {
    // Arrange: one shopper at a time, one per minute; ten other visitors join first
    const eventId = await createQueueEvent('E2E Queue Showcase', { admissionRatePerMinute: 1, maxConcurrentShoppers: 1 });
    const others = await Promise.all(Array.from({ length: 10 }, () => ApiClient.create()));
    for (const o of others) await o.call('POST', `/events/${eventId}/queue`);
    const api = await ApiClient.create();
    const fan = await api.registerFan('slowq');

    // The operator's view of this queue (documentation screenshot of the live dashboard)
    const adminCtx = await newContext(browser);
    const adminPage = await adminCtx.newPage();
    await signInUi(adminPage, ADMIN.email, ADMIN.password, `/admin/events/${eventId}`);
    await expect.poll(async () => Number((await adminPage.getByTestId('stat-queue').innerText()).replace(/\D/g, '')), { timeout: 10_000 }).toBeGreaterThanOrEqual(9);
    await adminPage.getByRole('heading', { name: 'Waiting room controls' }).waitFor();
    await shot(adminPage, 'admin-dashboard', { docs: true });
    await adminPage.setViewportSize(PHONE);
    await shot(adminPage, 'admin-dashboard-phone', { docs: true, fullPage: true });
    // Controls take effect live: the new settings come back from the API
    await adminPage.setViewportSize(DESKTOP);
    await adminPage.getByLabel('Admission rate per minute').fill('2');
    await adminPage.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await admin.call<{ admissionRatePerMinute: number }>('GET', `/admin/events/${eventId}/stats`)).admissionRatePerMinute).toBe(2);
    await adminCtx.close();

    for (const [label, viewport] of [
      ['', DESKTOP],
      ['-phone', PHONE],
    ] as const) {
      const ctx = await newContext(browser, viewport);
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await signInUi(page, fan.email, fan.password, `/events/${eventId}/queue`);
      await page.getByTestId('queue-position').waitFor();
      const position = Number((await page.getByTestId('queue-position').innerText()).replace(/\D/g, ''));
      expect(position).toBeGreaterThanOrEqual(10);
      await page.getByText(/people are ahead of you/).waitFor();
      await page.getByText(/Estimated wait/).waitFor();
      await page.getByRole('progressbar').waitFor();
      await shot(page, `waiting-room${label}`, { docs: true, fullPage: label !== '' });

      // A reload keeps the place (the server keys it by session/user; the page just re-polls).
      await page.reload();
      await page.getByTestId('queue-position').waitFor();
      expect(Number((await page.getByTestId('queue-position').innerText()).replace(/\D/g, ''))).toBeLessThanOrEqual(position);
      expect(errors).toEqual([]);
      await ctx.close();
    }

    // Leaving gives the place up (server state checked through the browser's own session).
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, fan.email, fan.password, `/events/${eventId}/queue`);
    await page.getByTestId('queue-position').waitFor();
    await page.getByRole('button', { name: 'Leave the queue' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    const after = await page.evaluate(async (id) => (await fetch(`/api/v1/events/${id}/queue`)).json(), eventId);
    expect(after.status).toBe('not_in_queue');
    await ctx.close();
    await Promise.all([...others, api].map((o) => o.dispose()));
  });
});
