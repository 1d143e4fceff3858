import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient, FAN } from './helpers/api';
import { DESKTOP, PHONE, launchBrowser, newContext, shot, signInUi, watchErrors } from './helpers/browser';
import { isoToZonedInput } from '../src/features/admin/lib/datetime-local';

let browser: Browser;
let adminApi: ApiClient;
beforeAll(async () => {
  browser = await launchBrowser();
  adminApi = await ApiClient.create();
  await adminApi.login(ADMIN);
});
afterAll(async () => {
  await adminApi?.dispose();
  await browser?.close();
});

/**
 * A datetime-local value `offsetMs` from now on the clock of `timeZone`: the admin event form reads
 * its inputs on the chosen venue's clock, not the browser's (the form's own conversion is reused).
 */
function localInput(timeZone: string, offsetMs: number): string {
  return isoToZonedInput(new Date(Date.now() + offsetMs).toISOString(), timeZone);
}

/** The IANA time zone of the seeded venue `name` in `city`. */
async function venueTimeZone(name: string, city: string): Promise<string> {
  const list = await adminApi.call<{ items: { name: string; timezone: string }[] }>('GET', `/venues?city=${encodeURIComponent(city)}&limit=100`);
  const venue = list.items.find((v) => v.name === name);
  if (!venue) throw new Error(`no venue ${name} in ${city}`);
  return venue.timezone;
}

describe('admin area', () => {
  it('when an anonymous visitor opens the admin area, then they are sent to sign in; a fan sees a 403 page', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto('/admin/events');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/admin/events');
    await signInUi(page, FAN.email, FAN.password, '/admin/events');
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    expect(await page.getByText('403').count()).toBe(1);
    await ctx.close();
  });

  it('when an admin creates an event in the UI and a fan buys a seat, then the dashboard shows it sold with revenue; check-in tells valid/used/forged; cancelling refunds and voids the ticket', async () => {
    // Arrange
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInUi(page, ADMIN.email, ADMIN.password, '/admin/events');
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    await shot(page, 'd1-admin-events');

    // Act: create the event through the form
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByText('Please fix the highlighted fields.').waitFor(); // client-side validation with the shared schema
    const name = `E2E Admin Show ${Date.now().toString(36)}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Category').selectOption('comedy');
    await page.getByLabel('Venue').selectOption({ label: 'The Vault Comedy Club, Dublin (120 seats)' });
    await page.getByLabel('Performer').fill('The E2E Players');
    const zone = await venueTimeZone('The Vault Comedy Club', 'Dublin'); // Europe/Dublin
    await page.getByLabel('Starts at').fill(localInput(zone, 14 * 86_400_000));
    await page.getByLabel('On sale from').fill(localInput(zone, -3_600_000));
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}$/);
    const eventId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name }).waitFor();

    // A fan buys one seat through the API
    const fan = await ApiClient.create();
    await fan.registerFan('buyer');
    const order = await fan.buy(eventId, 1);
    expect(order.status).toBe('completed');

    // Assert: the dashboard refreshes itself (every 3 s) to show the sale
    await expect.poll(async () => Number((await page.getByTestId('stat-sold').innerText()).replace(/\D/g, '')), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const revenue = await page.getByTestId('stat-revenue').innerText();
    expect(revenue).toMatch(/[1-9]/);
    const stats = await adminApi.call<{ sold: number; revenueCents: number }>('GET', `/admin/events/${eventId}/stats`);
    expect(stats.sold).toBeGreaterThanOrEqual(1);
    expect(stats.revenueCents).toBeGreaterThan(0);
    await shot(page, 'admin-dashboard-sale', { docs: true });

    // Check-in with a ticket of another event (bought through the API): valid, already used, forged
    const STAND_UP = '5eed0002-0000-4000-8000-000000000006';
    const other = await fan.buy(STAND_UP, 1);
    await page.getByRole('link', { name: 'Check-in' }).click();
    const code = page.getByLabel('Ticket code');
    await code.fill(other.tickets[0]!.code);
    await code.press('Enter');
    const verdict = page.getByTestId('checkin-verdict');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('valid');
    expect(await verdict.innerText()).toMatch(/Row .+ Seat/);
    await shot(page, 'admin-checkin', { docs: true });
    await page.setViewportSize(PHONE);
    await shot(page, 'admin-checkin-phone', { docs: true, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await code.fill(other.tickets[0]!.code);
    await page.getByRole('button', { name: 'Check ticket' }).click();
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('used');
    await shot(page, 'admin-checkin-used');
    await code.fill(`${other.tickets[0]!.code.slice(0, -4)}AAAA`);
    await code.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('forged');
    await shot(page, 'admin-checkin-forged');

    // Cancel the new event from its dashboard: confirmation, then the refunds summary
    await page.goto(`/admin/events/${eventId}`);
    await page.getByRole('button', { name: 'Cancel event' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel event and refund' }).click();
    await page.getByRole('dialog').getByText('Orders refunded').waitFor();
    await shot(page, 'd2-cancel-summary');
    expect(await page.getByRole('dialog').locator('dd').first().innerText()).toBe('1');
    const orderAfter = await fan.call<{ status: string }>('GET', `/orders/${order.id}`);
    expect(orderAfter.status).toBe('refunded');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.goto('/admin/events?status=cancelled');
    await page.getByRole('link', { name }).first().waitFor();
    // The refunded order's ticket no longer gets anyone in.
    await page.goto('/admin/checkin');
    await page.getByLabel('Ticket code').fill(order.tickets[0]!.code);
    await page.getByLabel('Ticket code').press('Enter');
    await expect.poll(() => page.getByTestId('checkin-verdict').getAttribute('data-verdict')).toBe('void');
    expect(errors).toEqual([]);
    await fan.dispose();
    await ctx.close();
  });

  it('when an admin builds a venue with the layout editor, then the preview shows the seats and the saved venue has them', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInUi(page, ADMIN.email, ADMIN.password, '/admin/venues/new');
    await page.getByRole('heading', { name: 'New venue' }).waitFor();
    const name = `E2E Arena ${Date.now().toString(36)}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('City').fill('Leipzig');
    await page.getByLabel('Time zone').fill('Europe/Berlin');

    // Section 1: a curved 8 × 16 stalls block; section 2: a 4 × 20 balcony in tier 2
    const first = page.getByTestId('section-editor').nth(0);
    await first.getByLabel('Section name').fill('Stalls');
    await first.getByLabel('Price', { exact: true }).fill('79.50');
    await first.getByLabel('Rows', { exact: true }).fill('8');
    await first.getByLabel('Seats per row').fill('16');
    await first.getByRole('button', { name: 'Generate rows' }).click();
    await first.getByLabel('Curved rows (facing a stage above)').check();
    await page.getByRole('button', { name: 'Add section' }).click();
    const second = page.getByTestId('section-editor').nth(1);
    await second.getByLabel('Section name').fill('Balcony');
    await second.getByLabel('Price tier').fill('2');
    await second.getByLabel('Price', { exact: true }).fill('39');
    await second.getByLabel('Rows', { exact: true }).fill('4');
    await second.getByLabel('Seats per row').fill('20');
    await second.getByRole('button', { name: 'Generate rows' }).click();
    await page.getByText('208 seats').waitFor();
    await shot(page, 'admin-venue-editor', { docs: true });
    await page.setViewportSize(PHONE);
    await shot(page, 'admin-venue-editor-phone', { docs: true, fullPage: true });
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Create venue' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/venues');
    await page.getByRole('link', { name }).waitFor();
    const venues = await adminApi.call<{ items: { id: string; name: string; totalSeats: number }[] }>('GET', '/venues?limit=100');
    const saved = venues.items.find((v) => v.name === name);
    expect(saved?.totalSeats).toBe(8 * 16 + 4 * 20);
    const venue = await adminApi.call<{ sections: { name: string; priceCents: number; priceTier: number; rows: unknown[] }[] }>('GET', `/venues/${saved!.id}`);
    expect(venue.sections.map((s) => [s.name, s.priceTier, s.priceCents, s.rows.length])).toEqual([
      ['Stalls', 1, 7950, 8],
      ['Balcony', 2, 3900, 4],
    ]);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
