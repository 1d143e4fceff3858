#!/usr/bin/env node
// The bare-Node floor for bench/holds-bench.mjs (b): a plain node:http server answering every
// request with a prebuilt 20 kB availability-shaped body — no Express, no middleware, no Redis.
// PORT (3918), SEATS (20000). Run it, then: API_URL=http://127.0.0.1:3918 ONLY_AVAIL_PATH=/ API_PID=<pid> node bench/holds-bench.mjs
import http from 'node:http';
const seats = Number(process.env.SEATS ?? 20000);
const body = Buffer.from(JSON.stringify({ eventId: 'floor', version: 1, statuses: 'a'.repeat(seats), counts: { available: seats, held: 0, sold: 0 } }));
const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-cache', ETag: 'W/"av-1"' };
http.createServer((_req, res) => { res.writeHead(200, headers); res.end(body); }).listen(Number(process.env.PORT ?? 3918), '127.0.0.1');
