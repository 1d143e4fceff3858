// Time from "seat-map data arrived" (end of the route loader) to the end of the first canvas
// draw, for the 20,000-seat demo event, over N fresh page loads in headless Chromium.
// The app emits User Timing entries (src/features/seatmap/lib/seatmap-timing.ts); this script
// reads them with performance.getEntriesByName, so nothing is put on `window` for it.
// Usage: node scripts/measure-seatmap.mjs [baseUrl] [runs]   (needs the API + web server running, demo seed loaded)
import { chromium } from 'playwright-core';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: node scripts/measure-seatmap.mjs [baseUrl=http://127.0.0.1:4173] [runs=9]\n  env: BIG_EVENT (event id), CHROMIUM (browser path)');
  process.exit(0);
}
const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const runs = Number(process.argv[3] ?? 9);
const EVENT = process.env.BIG_EVENT ?? '5eed0002-0000-4000-8000-000000000008';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const round = (ms) => Math.round(ms * 10) / 10;

/** Runs in the page: the seat-map timings of this load (names from seatmap-timing.ts). */
function readTimings() {
  const first = (name) => performance.getEntriesByName(name)[0];
  const layout = first('seatmap:layout');
  const firstDraw = first('seatmap:first-draw');
  const draws = performance.getEntriesByName('seatmap:draw').map((e) => e.duration);
  return {
    seats: firstDraw?.detail?.seats ?? layout?.detail?.seats,
    firstDrawMs: first('seatmap:data-to-first-draw')?.duration,
    layoutMs: layout?.duration,
    firstDrawCallMs: draws[0],
    // Layout built (during the page's render) → end of the first draw: React render + commit + draw.
    layoutToDrawMs: layout && firstDraw ? firstDraw.startTime - (layout.startTime + layout.duration) : undefined,
    drawMs: draws,
  };
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const rows = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}/events/${EVENT}`);
    await page.waitForFunction(() => performance.getEntriesByName('seatmap:data-to-first-draw').length > 0, null, { timeout: 30000 });
    // A few pans/zooms to sample redraw cost too.
    const box = await page.locator('canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 5; k++) await page.mouse.wheel(0, -120);
    await page.waitForTimeout(300);
    const r = await page.evaluate(readTimings);
    for (const k of ['firstDrawMs', 'layoutMs', 'firstDrawCallMs', 'layoutToDrawMs']) r[k] = r[k] === undefined ? undefined : round(r[k]);
    r.drawMs = r.drawMs.map(round);
    rows.push(r);
  }
  for (const r of rows)
    console.log(
      `seats=${r.seats} firstDrawMs=${r.firstDrawMs} layoutMs=${r.layoutMs} firstDrawCallMs=${r.firstDrawCallMs} layoutToDrawMs=${r.layoutToDrawMs} redrawMs=[${r.drawMs.slice(1).join(', ')}]`,
    );
  const redraws = rows.flatMap((r) => r.drawMs.slice(1));
  console.log(
    `median over ${runs} loads: firstDrawMs=${median(rows.map((r) => r.firstDrawMs))} (min ${Math.min(...rows.map((r) => r.firstDrawMs))}, max ${Math.max(...rows.map((r) => r.firstDrawMs))}), layoutMs=${median(rows.map((r) => r.layoutMs))}, firstDrawCallMs=${median(rows.map((r) => r.firstDrawCallMs))}, redraw median ${median(redraws)} ms`,
  );
} finally {
  await browser.close();
}
