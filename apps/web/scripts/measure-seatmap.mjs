// Time from "seat-map data arrived" (end of the route loader) to the end of the first canvas
// draw, for the 20,000-seat demo event, over N fresh page loads in headless Chromium.
// Usage: node scripts/measure-seatmap.mjs [baseUrl] [runs]
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const runs = Number(process.argv[3] ?? 9);
const EVENT = process.env.BIG_EVENT ?? '5eed0002-0000-4000-8000-000000000008';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const rows = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}/events/${EVENT}`);
    await page.waitForFunction(() => window.__seatmapMetrics && window.__seatmapMetrics.firstDrawMs >= 0, null, { timeout: 30000 });
    // A few pans/zooms to sample redraw cost too.
    const box = await page.locator('canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 5; k++) await page.mouse.wheel(0, -120);
    await page.waitForTimeout(300);
    rows.push(await page.evaluate(() => ({ ...window.__seatmapMetrics })));
  }
  for (const r of rows) console.log(`seats=${r.seats} firstDrawMs=${r.firstDrawMs} layoutMs=${r.layoutMs} firstDrawCallMs=${r.firstDrawCallMs} renderToDrawMs=${r.renderToDrawMs} redrawMs=[${r.drawMs.slice(1).join(', ')}]`);
  const redraws = rows.flatMap((r) => r.drawMs.slice(1));
  console.log(
    `median over ${runs} loads: firstDrawMs=${median(rows.map((r) => r.firstDrawMs))} (min ${Math.min(...rows.map((r) => r.firstDrawMs))}, max ${Math.max(...rows.map((r) => r.firstDrawMs))}), layoutMs=${median(rows.map((r) => r.layoutMs))}, firstDrawCallMs=${median(rows.map((r) => r.firstDrawCallMs))}, redraw median ${median(redraws)} ms`,
  );
} finally {
  await browser.close();
}
