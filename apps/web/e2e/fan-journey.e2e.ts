import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, FAN, SUCCESS_CARD, seatIndex } from './helpers/api';
import { launchBrowser, newContext, shot, signInUi, watchErrors } from './helpers/browser';

const HAMLET = '5eed0002-0000-4000-8000-000000000004';
const STAND_UP = '5eed0002-0000-4000-8000-000000000006';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('fan journey', () => {
  it('when a fan searches, picks two seats on the map, holds and pays, then the order page shows two tickets with QR codes and the order is completed', async () => {
    // Arrange
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInUi(page, FAN.email, FAN.password);

    // Act: search → event
    await page.getByRole('searchbox', { name: 'Search events' }).fill('Hamlet');
    await page.getByRole('searchbox', { name: 'Search events' }).press('Enter');
    await page.getByRole('link', { name: /Hamlet/ }).first().click();
    await page.waitForURL(`**/events/${HAMLET}**`);
    const map = page.getByRole('application').or(page.locator('canvas[tabindex="0"]')).first();
    await map.waitFor();
    await shot(page, 'a1-event-page');

    // Pick two neighbouring seats with the map's keyboard navigation (arrow → focus, Enter → select).
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('2 / 6 seats').count()).toBe(1);
    await page.getByRole('button', { name: 'Hold seats' }).click();

    // Assert: held, with a countdown
    await page.getByRole('heading', { name: 'Your seats are held' }).waitFor();
    const countdown = page.locator('[aria-labelledby="hold-title"]').getByText(/\d+:\d\d/).first();
    await countdown.waitFor();
    await shot(page, 'a2-held-with-countdown');

    // Act: checkout with the success card
    await page.getByRole('button', { name: 'Continue to checkout' }).click();
    await page.waitForURL(`**/events/${HAMLET}/checkout`);
    await page.getByLabel('Name on card').fill('E2E Fan');
    await page.getByLabel('Card number').fill(SUCCESS_CARD);
    await page.getByLabel('Month').selectOption('12');
    await page.getByLabel('Year').selectOption(String(new Date().getFullYear() + 2));
    await page.getByLabel('CVC').fill('123');
    await shot(page, 'a3-checkout');
    await page.getByRole('button', { name: /^Pay / }).click();

    // Assert: order page with two tickets and QR images that load
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const orderId = page.url().split('/').pop()!;
    const qrs = page.getByRole('img', { name: /QR code for/ });
    await expect.poll(() => qrs.count()).toBe(2);
    await expect
      .poll(() => qrs.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)), { timeout: 10_000 })
      .toBe(true);
    await shot(page, 'a4-order', { fullPage: true });

    const api = await ApiClient.create();
    await api.login(FAN);
    const order = await api.call<{ status: string; eventId: string; tickets: unknown[]; totalCents: number }>('GET', `/orders/${orderId}`);
    expect(order).toMatchObject({ status: 'completed', eventId: HAMLET });
    expect(order.tickets).toHaveLength(2);
    expect(order.totalCents).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await api.dispose();
    await ctx.close();
  });

  it('when another user holds a seat the fan has selected, then it leaves the selection with a notice and shows as taken', async () => {
    // Arrange: fan A has one seat selected on the map
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const a = await ApiClient.create();
    const userA = await a.registerFan('seat-a');
    await signInUi(page, userA.email, userA.password, `/events/${STAND_UP}`);
    await page.waitForURL(`**/events/${STAND_UP}`);
    const map = page.locator('canvas[tabindex="0"]').first();
    await map.waitFor();
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('1 / 6 seats').count()).toBe(1);
    const label = (await page.locator('[aria-labelledby="sel-title"] li').first().innerText()).split('\n')[0]!.trim();
    const { byLabel } = await seatIndex(a, STAND_UP);
    const seatId = byLabel.get(label);
    expect(seatId, `seat for "${label}"`).toBeDefined();

    // Act: user B holds that very seat through the API
    const b = await ApiClient.create();
    await b.registerFan('seat-b');
    await b.call('POST', `/events/${STAND_UP}/holds`, { seatIds: [seatId] });

    // Assert: within a few seconds the seat leaves A's selection with a notice…
    await expect.poll(() => page.getByText('0 / 6 seats').count(), { timeout: 8_000 }).toBe(1);
    await page.getByText(/just taken by someone else/).first().waitFor({ timeout: 5_000 });
    await shot(page, 'c1-seat-taken-notice');
    // …and the list view no longer offers it.
    await page.getByRole('button', { name: 'List' }).click();
    const [, row, number] = /Row (\S+) · Seat (\S+)/.exec(label)!;
    await page.getByRole('region', { name: /Seats in/ }).waitFor();
    expect(await page.getByRole('button', { name: new RegExp(`^Row ${row}, seat ${number}(,|$)`) }).count()).toBe(0);
    // The server agrees: the seat is held (through the front door's 1 s micro-cache, ADR 0010).
    const map2 = await seatIndex(a, STAND_UP);
    const index = map2.all.find((s) => s.id === seatId)!.index;
    await expect.poll(async () => (await a.call<{ statuses: string }>('GET', `/events/${STAND_UP}/availability`)).statuses[index], { timeout: 5_000 }).toBe('h');
    expect(errors).toEqual([]);
    await Promise.all([a.dispose(), b.dispose()]);
    await ctx.close();
  });
});
