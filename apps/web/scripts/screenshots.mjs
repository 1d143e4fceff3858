// Walks the fan journey in headless Chromium and saves screenshots + seat-map timings.
// Usage: node scripts/screenshots.mjs [baseUrl] [outDir]   (API + web server must be running, demo seed loaded)
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';

const base = process.argv[2] ?? 'http://127.0.0.1:5173';
const out = process.argv[3] ?? 'shots';
const BIG_EVENT = process.env.BIG_EVENT ?? '5eed0002-0000-4000-8000-000000000008';
const SMALL_EVENT = process.env.SMALL_EVENT ?? '5eed0002-0000-4000-8000-000000000004';
const PASSWORD = process.env.FAN_PASSWORD ?? 'fan-password-1';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = {};
const shot = async (page, name) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: false });
  console.log('saved', name);
};

async function journey(label, viewport) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: label === 'phone' ? 2 : 1 });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
  page.on('console', (m) => m.type() === 'error' && console.error(`[${label}] console:`, m.text()));
  const sfx = label === 'phone' ? '-phone' : '';

  await page.goto(`${base}/`);
  await page.waitForSelector('article');
  await shot(page, `home${sfx}`);

  // The 20,000-seat map: time from data arrival to the first canvas draw.
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${base}/events/${BIG_EVENT}`);
    // User Timing entries the seat map emits (src/features/seatmap/lib/seatmap-timing.ts).
    await page.waitForFunction(() => performance.getEntriesByName('seatmap:data-to-first-draw').length > 0, null, { timeout: 30000 });
    runs.push(
      await page.evaluate(() => {
        const first = performance.getEntriesByName('seatmap:data-to-first-draw')[0];
        return { seats: first.detail?.seats, firstDrawMs: Math.round(first.duration * 10) / 10, drawMs: performance.getEntriesByName('seatmap:draw').map((e) => Math.round(e.duration * 10) / 10) };
      }),
    );
  }
  results[label] = runs.map((r) => ({ seats: r.seats, firstDrawMs: r.firstDrawMs, redrawMs: r.drawMs.slice(-1)[0] }));
  await page.waitForTimeout(800);
  await shot(page, `event-seatmap${sfx}`);
  if (label === 'desktop') {
    // Zoom in with the buttons and hover a seat for the tooltip.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    // Hover until the tooltip shows a seat.
    const box = await page.locator('canvas').boundingBox();
    search: for (let dy = 0; dy < 120; dy += 7) {
      for (let dx = 0; dx < 120; dx += 7) {
        await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 3 + dy);
        if (await page.getByText(/· Row .* · Seat/).first().isVisible().catch(() => false)) break search;
      }
    }
    await shot(page, 'event-seatmap-zoomed');
    await page.getByRole('button', { name: 'List' }).click();
    await shot(page, 'event-seatlist');
  }

  // A fresh account per run (the per-user ticket limit would stop repeated runs), made on the
  // register page, which returns to the event; then pick two seats with the keyboard and hold them.
  await page.goto(`${base}/login?redirect=/events/${SMALL_EVENT}`);
  await shot(page, `login${sfx}`);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Demo Fan');
  await page.getByLabel('E-mail').fill(`fan-${label}-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`**/events/${SMALL_EVENT}**`);
  await page.waitForSelector('canvas');
  // Release any hold left from an earlier run.
  const release = page.getByRole('button', { name: 'Release and change seats' });
  if (await release.isVisible().catch(() => false)) {
    await release.click();
    await page.getByRole('button', { name: 'Clear selection' }).click();
  }
  await page.locator('canvas').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await shot(page, `event-selection${sfx}`);
  if (label === 'desktop') {
    // Another fan holds the first seat we picked: it must leave our selection with a notice.
    const other = await browser.newContext();
    const p2 = await other.newPage();
    await p2.goto(`${base}/login`);
    const taken = await p2.evaluate(async (eventId) => {
      const post = (url, body) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const email = `rival-${Date.now()}@example.com`;
      await post('/api/v1/auth/register', { email, password: 'rival-password-1', name: 'Rival Fan' });
      const map = await (await fetch(`/api/v1/events/${eventId}/seatmap`)).json();
      const av = await (await fetch(`/api/v1/events/${eventId}/availability`)).json();
      for (const sec of map.sections) for (const row of sec.rows) for (const seat of row.seats) {
        if (av.statuses[seat.index] === 'a') {
          const r = await post(`/api/v1/events/${eventId}/holds`, { seatIds: [seat.id] });
          return { status: r.status, seat: `${sec.name} ${row.label}-${seat.number}` };
        }
      }
      return null;
    }, SMALL_EVENT);
    console.log('rival hold', taken);
    await page.getByText(/just taken by someone else/).first().waitFor({ timeout: 10000 });
    await shot(page, 'event-seat-taken');
    await other.close();
  }
  await page.getByRole('button', { name: 'Hold seats' }).click();
  await page.getByText('Your seats are held').waitFor();
  await page.getByRole('heading', { name: 'Your seats are held' }).scrollIntoViewIfNeeded();
  await shot(page, `hold-countdown${sfx}`);

  await page.getByRole('button', { name: 'Continue to checkout' }).click();
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  await shot(page, `checkout${sfx}`);
  // Submitting empty shows the shared-schema validation messages.
  await page.getByRole('button', { name: /^Pay / }).click();
  await shot(page, `checkout-errors${sfx}`);
  await page.getByLabel('Name on card').fill('Test Fan');
  await page.getByLabel('Card number').fill('4000 0000 0000 0002');
  await page.getByLabel('Month').selectOption('12');
  await page.getByLabel('Year').selectOption(String(new Date().getFullYear() + 2));
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByText('Payment declined').waitFor();
  await shot(page, `checkout-declined${sfx}`);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL('**/orders/**');
  await page.locator('img[alt^="QR code"]').first().waitFor();
  await page.waitForTimeout(500);
  await shot(page, `order-with-qr${sfx}`);
  await page.getByRole('link', { name: '← My orders' }).click();
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
  await shot(page, `orders${sfx}`);
  await ctx.close();
}

try {
  await journey('desktop', { width: 1280, height: 800 });
  await journey('phone', { width: 375, height: 812 });
} finally {
  writeFileSync(`${out}/seatmap-metrics.json`, JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results));
  await browser.close();
}
