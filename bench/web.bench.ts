// `pnpm bench web`: the dashboard's weight and speed against a floor. Builds the console (vite build)
// and, with the same Vite, a floor page: a bare Cloudscape AppLayout with a Table of the same first page
// of rows and nothing else (bench/web/floor). Measures the JavaScript and CSS the first route loads,
// gzipped (from the Vite manifest: the entry, its static imports, and the /dashboard route chunk with
// its own), then Lighthouse 12.2.3 (desktop preset, Debian's Chromium) on the dashboard served by the
// API with 10,000 secrets in moto and its index ready, and on the floor page. Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { firstPage, startFleet } from './web/fleet.ts';
import { median, runLighthouse, type PageMetrics } from './web/lighthouse.ts';
import { entryKey, gzipKb, htmlAssets, readManifest, staticClosure } from './web/sizes.ts';
import { serveStatic } from './web/static-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '../apps/web');
const floorRoot = path.join(here, 'web', 'floor');
const SECRETS = Number(process.env.BENCH_SECRETS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// The dashboard page rides in the entry chunk; if it ever becomes a lazy chunk, it is counted too.
const DASHBOARD_ROUTE = 'src/features/dashboard/routes/dashboard-page.tsx';
// Loaded by the dashboard after its first sections are on screen: the list (below the first screen) and the chart.
const DEFERRED = ['src/features/dashboard/components/secrets-list.tsx', 'src/features/dashboard/components/status-chart.tsx'];
const SCREENSHOT_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

// 1. Both builds, same Vite, each into its own temporary folder (apps/web/dist is left alone).
const webDist = mkdtempSync(path.join(tmpdir(), 'rc-bench-web-dist-'));
const floorDist = mkdtempSync(path.join(tmpdir(), 'rc-bench-floor-dist-'));
await build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: webDist, manifest: true } });
await build({ root: floorRoot, configFile: path.join(floorRoot, 'vite.config.ts'), build: { outDir: floorDist } });

// 2. What the first route loads.
const web = readManifest(webDist);
const shell = staticClosure(web, [entryKey(web)]);
const firstRoute = staticClosure(web, [entryKey(web), ...(web[DASHBOARD_ROUTE] ? [DASHBOARD_ROUTE] : [])]);
const deferred = new Set(
  [
    ...staticClosure(
      web,
      DEFERRED.filter((key) => web[key]),
    ),
  ].filter((file) => !firstRoute.has(file)),
);
const floor = readManifest(floorDist);
const floorFiles = staticClosure(floor, [entryKey(floor)]);
const sizes = {
  jsGzipKb: gzipKb(webDist, firstRoute, '.js'),
  cssGzipKb: gzipKb(webDist, firstRoute, '.css'),
  htmlJsGzipKb: gzipKb(webDist, htmlAssets(webDist), '.js'),
  shellJsGzipKb: gzipKb(webDist, shell, '.js'),
  deferredJsGzipKb: gzipKb(webDist, deferred, '.js'),
  floorJsGzipKb: gzipKb(floorDist, floorFiles, '.js'),
  floorCssGzipKb: gzipKb(floorDist, floorFiles, '.css'),
};

// 3. The console with 10,000 secrets, and the floor with the same first page of rows.
console.log(`Seeding ${SECRETS} secrets in moto and waiting for the dashboard index...`);
const fleet = await startFleet({ count: SECRETS, webDist });
const floorServer = await serveStatic(floorDist);
// Both compressed by the same middleware: the API's own, and the floor's static server's.
const appUrl = `${fleet.url}/dashboard`;
const floorUrl = `${floorServer.url}/`;
const app: PageMetrics[] = [];
const floorRuns: PageMetrics[] = [];
try {
  const page = await firstPage(fleet.url);
  writeFileSync(path.join(floorDist, 'rows.json'), JSON.stringify(page.items));
  console.log(
    `seeded in ${round(fleet.seedMs / 1000, 1)} s, indexed in ${round(fleet.indexMs / 1000, 1)} s; first page: ${page.items.length} of ${page.total} rows`,
  );
  // Alternate the two pages, so drift on a busy machine hits both alike.
  for (let run = 0; run < RUNS; run += 1) {
    floorRuns.push(await runLighthouse(floorUrl));
    app.push(await runLighthouse(appUrl));
  }
  if (process.env.BENCH_DEBUG) {
    // What Lighthouse's desktop viewport shows of each page, for a person to look at.
    const pages: [string, string][] = [
      ['dashboard', appUrl],
      ['floor', floorUrl],
    ];
    for (const [name, url] of pages) {
      const shot = path.join(tmpdir(), `rc-bench-web-${name}.png`);
      spawnSync('/usr/bin/chromium', [...SCREENSHOT_FLAGS, `--screenshot=${shot}`, '--window-size=1350,940', '--virtual-time-budget=5000', url], {
        stdio: 'ignore',
        timeout: 30_000,
      });
      console.log(`screenshot: ${shot}`);
    }
  }
} finally {
  await floorServer.close();
  await fleet.stop();
}

const pick = (runs: PageMetrics[], key: 'lcpMs' | 'tbtMs' | 'cls' | 'fcpMs' | 'scriptBytes') => median(runs.map((run) => run[key]));
const result = {
  bench: 'web',
  js_gzip_kb: sizes.jsGzipKb,
  css_gzip_kb: sizes.cssGzipKb,
  lcp_ms: round(pick(app, 'lcpMs')),
  tbt_ms: round(pick(app, 'tbtMs')),
  cls: round(pick(app, 'cls'), 3),
  floor_js_gzip_kb: sizes.floorJsGzipKb,
  floor_lcp_ms: round(pick(floorRuns, 'lcpMs')),
  floor_tbt_ms: round(pick(floorRuns, 'tbtMs')),
};

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(`Data: the API (apps/api) against moto with ${SECRETS} seeded secrets, dashboard index ready; the floor got the same first page as /rows.json.`);
console.log("Served: both pages compressed by the same middleware (the API's `compression`, and the floor's static server with it).");
console.log(
  `First route (/dashboard) JS ${sizes.jsGzipKb} kB gzip (shell ${sizes.shellJsGzipKb} kB, index.html tags alone ${sizes.htmlJsGzipKb} kB), CSS ${sizes.cssGzipKb} kB; the list and the status chart load after the first sections are on screen: ${sizes.deferredJsGzipKb} kB more JS`,
);
console.log(`Floor JS ${sizes.floorJsGzipKb} kB gzip, CSS ${sizes.floorCssGzipKb} kB`);
for (const [label, runs] of [
  ['dashboard', app],
  ['floor', floorRuns],
] as const) {
  for (const [index, run] of runs.entries()) {
    console.log(
      `  ${label.padEnd(9)} run ${index + 1}: LCP ${round(run.lcpMs)} ms, FCP ${round(run.fcpMs)} ms, TBT ${round(run.tbtMs)} ms, CLS ${round(run.cls, 3)}, scripts ${round(run.scriptBytes / 1024)} kB sent`,
    );
  }
}
console.log(
  `LCP ${result.lcp_ms} ms vs floor ${result.floor_lcp_ms} ms: ${round(result.lcp_ms / result.floor_lcp_ms, 2)}x (goal <= 1.2x, ${verdict(result.lcp_ms <= 1.2 * result.floor_lcp_ms)})`,
);
console.log(`TBT ${result.tbt_ms} ms vs floor ${result.floor_tbt_ms} ms (goal <= floor + 50 ms, ${verdict(result.tbt_ms <= result.floor_tbt_ms + 50)})`);
console.log(`CLS ${result.cls} (goal < 0.05, ${verdict(result.cls < 0.05)})`);
console.log(
  `First-route JS ${round(result.js_gzip_kb / result.floor_js_gzip_kb, 2)}x the floor's (goal <= 1.3x, ${verdict(result.js_gzip_kb <= 1.3 * result.floor_js_gzip_kb)})`,
);
console.log(JSON.stringify(result));
