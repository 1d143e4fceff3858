// Initial JavaScript of the production build: the entry script plus every chunk index.html
// preloads, gzipped (level 9, as a CDN would). Usage: node scripts/bundle-size.mjs [distDir]
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
let total = 0;
for (const f of initial) {
  const size = gz(f);
  total += size;
  console.log(`initial  ${(size / 1024).toFixed(1).padStart(7)} kB gz  ${f}`);
}
const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`));
let lazyTotal = 0;
for (const f of lazy) lazyTotal += gz(`assets/${f}`);
console.log(`initial JS total: ${(total / 1024).toFixed(1)} kB gzipped (${initial.length} files); lazy route chunks: ${lazy.length} files, ${(lazyTotal / 1024).toFixed(1)} kB gzipped`);
