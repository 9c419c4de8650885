#!/usr/bin/env node
/*
 * Browser check of the plugin's editors in a real Chromium.
 *
 * How to run (from the repository root, after `npm ci`):
 *
 *   apt-get install -y chromium     # once: Debian's Chromium at /usr/bin/chromium
 *   npm run test:browser            # or: node browser-test/run.js
 *
 * What it does: bundles browser-test/harness/ (the real QueryEditor in builder and code mode,
 * AnnotationQueryEditor, VariableQueryEditor and ConfigEditor, and an Explore-like view of the
 * backend's logs frame, with @grafana/runtime replaced by harness/runtime-stub.ts) with webpack,
 * serves it from a node http server on 127.0.0.1 (which also answers the datasource's
 * `values`, `stats`, `warnings` and `validate` resources and serves @grafana/ui's icons), opens it in headless Chromium through
 * playwright-core, checks each editor renders, changes one thing in each and checks the JSON
 * the editor reported through onChange, and saves screenshots to artifacts/browser/.
 *
 * It fails on any console error, uncaught page error, failed or unexpected request.
 * Without /usr/bin/chromium it skips (exit 0), unless CI is set: then it fails.
 * Environment: CHROMIUM overrides the browser path; HEADFUL=1 shows the window (needs a display).
 * Playwright downloads no browser here: `npx playwright install` is neither needed nor used.
 */
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'artifacts', 'browser');
const BUNDLE = path.join(OUT, 'bundle');
const ICONS = path.join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI);
// A hard stop, well above the usual run time (20-45 s; about 80 s cold on a loaded machine), so a
// hung browser cannot hang CI.
const WATCHDOG_MS = 180_000;

// The range the harness gives the editors (harness/index.tsx), as the backend receives it.
const RANGE = { from: String(Date.parse('2026-11-01T00:00:00Z')), to: String(Date.parse('2026-11-02T00:00:00Z')) };

// What the fake backend suggests per dimension (the datasource's `values` resource).
const VALUES = {
  app: ['Microsoft Teams', 'Microsoft Teams Web Client', 'Office 365 Exchange Online', 'Azure Portal'],
  country: ['DE', 'FR', 'GB', 'NL', 'US'],
  status: ['success', 'failure', 'interrupted'],
};

// The cache counters of the `stats` resource (the config editor's cache status).
const STATS = {
  graphRequests: 42,
  graphThrottled: 1,
  graphRetries: 1,
  windowsCached: 24,
  eventsCached: 18250,
  bytesCached: 7340032,
  windowsPending: 0,
  l1Hits: 310,
  l1Misses: 24,
  l2Hits: 0,
  l2Misses: 0,
  warmWindowsTotal: 672,
  warmWindowsLoaded: 96,
  warmSignIns: 18250,
  warmSecondsLeft: 720,
};

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// product is a harness section's editor alone, without the harness's own
// output (the last onChange value): what the catalog's screenshots show.
const product = (section) => section.locator('[data-testid$="-product"]').first();
const log = (msg) => console.log(`[browser-test ${elapsed()}] ${msg}`);

class CheckFailed extends Error {}

function check(ok, message) {
  if (!ok) {
    throw new CheckFailed(message);
  }
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    if (IN_CI) {
      console.error(`browser-test: ${CHROMIUM} not found and CI is set: install it (apt-get install -y chromium).`);
      return 1;
    }
    console.log(`browser-test: SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium). CI would fail here.`);
    return 0;
  }

  fs.mkdirSync(OUT, { recursive: true });
  for (const old of [
    'query-editor',
    'query-editor-code',
    'annotation-editor',
    'explore-logs',
    'variable-query-editor',
    'config-editor',
    'failure',
  ]) {
    fs.rmSync(path.join(OUT, `${old}.png`), { force: true });
  }
  await bundle();
  log('harness bundled');

  const backend = fakeBackend();
  const server = await serve(backend);
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'signinlens-chromium-'));
  const problems = [];
  let context;
  let page;
  try {
    const { chromium } = require('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: !process.env.HEADFUL,
      args: [
        ...(process.env.HEADFUL ? [] : ['--headless']),
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
      viewport: { width: 1400, height: 1000 },
    });
    log(`chromium ${context.browser()?.version() ?? ''} started`);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const network = watchPage(page, base, problems);

    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.getByTestId('harness-ready').waitFor();

    await checkQueryEditor(page, backend);
    log('query editor: ok');
    await checkCodeMode(page, backend);
    log('query editor, code mode: ok');
    await checkAnnotationEditor(page);
    log('annotation editor: ok');
    await checkExploreLogs(page);
    log('Explore-like logs: ok');
    await checkVariableQueryEditor(page);
    log('variable query editor: ok');
    await checkConfigEditor(page);
    log('config editor: ok');

    // Let late requests (icons, suggestions) finish before judging the console.
    await network.settled();
  } catch (err) {
    problems.unshift(err instanceof CheckFailed ? err.message : String(err?.stack ?? err));
    if (page) {
      await page.screenshot({ path: path.join(OUT, 'failure.png'), fullPage: true }).catch(() => {});
      problems.push(`page at failure: ${path.relative(ROOT, path.join(OUT, 'failure.png'))}`);
    }
  } finally {
    await context?.close().catch(() => {});
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(profile, { recursive: true, force: true });
  }

  problems.push(...backend.unexpected.map((u) => `unexpected request: ${u}`));
  if (problems.length > 0) {
    console.error(`browser-test: FAILED after ${elapsed()}:\n- ${problems.join('\n- ')}`);
    return 1;
  }
  log(`PASSED; screenshots in ${path.relative(ROOT, OUT)}/`);
  return 0;
}

/** Bundles the harness with webpack (browser-test/webpack.config.js). */
async function bundle() {
  const webpack = require('webpack');
  const { harnessConfig } = require('./webpack.config');
  const config = await harnessConfig({ outDir: BUNDLE });
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((err, result) => {
      compiler.close(() => (err ? reject(err) : resolve(result)));
    });
  });
  // A warning is most often an export missing from the runtime stub: fail on those too.
  if (stats.hasErrors() || stats.hasWarnings()) {
    throw new Error(`webpack:\n${stats.toString({ all: false, errors: true, warnings: true, colors: false })}`);
  }
}

/** The datasource backend as the editors see it: its `values`, `stats` and `warnings` resources, calls recorded. */
function fakeBackend() {
  return {
    valuesRequests: [],
    unexpected: [],
    values(params) {
      this.valuesRequests.push(Object.fromEntries(params));
      const prefix = (params.get('prefix') ?? '').toLowerCase();
      const all = VALUES[params.get('key')] ?? [];
      return { values: all.filter((v) => v.toLowerCase().startsWith(prefix)) };
    },
    stats() {
      return STATS;
    },
    warnings() {
      return { warnings: ['memcached is not used: no secret keys its values'] };
    },
    validateRequests: [],
    /** The backend's check of a query (code mode): its message for an unknown log type, else none. */
    validate(query) {
      this.validateRequests.push(query);
      const logTypes = ['interactive', 'nonInteractive', 'servicePrincipal', 'managedIdentity', 'all'];
      if (query.logType !== undefined && !logTypes.includes(query.logType)) {
        return {
          error: `invalid query: logType: unknown logType "${query.logType}"; want one of interactive, nonInteractive, servicePrincipal, managedIdentity (or all)`,
        };
      }
      return { error: '' };
    },
  };
}

const SPINNER =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
const TYPES = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
  '.ttf': 'font/ttf',
};

/** Serves the page, the bundle, @grafana/ui's icons and the fake backend on 127.0.0.1. */
function serve(backend) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, body, type = 'text/plain') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const sendFile = (file) => {
      fs.readFile(file, (err, data) => {
        if (err) {
          backend.unexpected.push(`${req.method} ${req.url} (no such file)`);
          send(404, 'not found');
        } else {
          send(200, data, TYPES[path.extname(file)] ?? 'application/octet-stream');
        }
      });
    };
    const within = (dir, rel) => {
      const file = path.join(dir, rel);
      return file.startsWith(dir + path.sep) ? file : undefined;
    };

    if (req.method === 'GET' && url.pathname === '/') {
      return sendFile(path.join(__dirname, 'harness', 'index.html'));
    }
    // The loading spinner an async Combobox shows is Grafana's own file, not one of
    // @grafana/ui's icons: the server serves a plain circle in its place.
    if (req.method === 'GET' && url.pathname === '/public/build/img/icons/unicons/spinner.svg') {
      return send(200, SPINNER, 'image/svg+xml');
    }
    const resource = url.pathname.match(/^\/api\/datasources\/uid\/signinlens\/resources\/(\w+)$/)?.[1];
    if (req.method === 'GET' && ['values', 'stats', 'warnings'].includes(resource)) {
      return send(200, JSON.stringify(backend[resource](url.searchParams)), 'application/json');
    }
    if (req.method === 'POST' && resource === 'validate') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => send(200, JSON.stringify(backend.validate(JSON.parse(body))), 'application/json'));
      return;
    }
    const icon = url.pathname.startsWith('/public/build/img/icons/')
      ? within(ICONS, decodeURIComponent(url.pathname.slice('/public/build/img/icons/'.length)))
      : undefined;
    // The bundle's scripts, and the files webpack emits beside them (the code editor's icon font).
    const asset = /^\/[\w.-]+\.(js|map|ttf)$/.test(url.pathname) ? within(BUNDLE, url.pathname.slice(1)) : undefined;
    if (req.method === 'GET' && (icon || asset)) {
      return sendFile(icon ?? asset);
    }
    backend.unexpected.push(`${req.method} ${req.url}`);
    send(404, 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Records console errors, page errors and failed requests: any of them fails the test.
 * Returns settled(), which waits until no request has been in flight for half a second.
 */
function watchPage(page, base, problems) {
  let inFlight = 0;
  let lastChange = Date.now();
  const track = (delta) => () => {
    inFlight += delta;
    lastChange = Date.now();
  };
  page.on('request', track(1));
  page.on('requestfinished', track(-1));
  page.on('requestfailed', track(-1));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url ? ` (${msg.location().url.replace(base, '')})` : '';
      problems.push(`console error: ${msg.text()}${where}`);
    } else if (msg.type() === 'warning') {
      log(`console warning: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return {
    async settled() {
      const deadline = Date.now() + 10_000;
      while ((inFlight > 0 || Date.now() - lastChange < 500) && Date.now() < deadline) {
        await page.waitForTimeout(100);
      }
    },
  };
}

async function visibleText(scope, text) {
  await scope
    .getByText(text, { exact: typeof text === 'string' })
    .first()
    .waitFor({ state: 'visible' })
    .catch(() => {
      throw new CheckFailed(`"${text}" is not visible`);
    });
}

async function expectValue(locator, expected, what) {
  const actual = await locator.inputValue();
  check(actual === expected, `${what}: expected "${expected}", got "${actual}"`);
}

/** Waits until the harness shows an onChange value for which `ok(value)` holds. */
async function receivedValue(page, id, ok, what) {
  const pre = page.getByTestId(`${id}-json`);
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await pre.textContent();
    if (text && text.startsWith('{') && ok(JSON.parse(text))) {
      return JSON.parse(text);
    }
    await page.waitForTimeout(50);
  }
  throw new CheckFailed(`${id}: ${what}; the last onChange value is ${text}`);
}

/** How often the editor called onChange (and onRunQuery), as the harness shows it. */
async function callCounts(page, id) {
  const text = await page.getByTestId(`${id}-counts`).textContent();
  const count = (name) => Number(text.match(new RegExp(`${name} called (\\d+) times`))?.[1] ?? NaN);
  return { onChange: count('onChange'), onRunQuery: count('onRunQuery') };
}

/** Opens a Combobox, types to narrow its list and picks the option whose label is `label`. */
async function choose(page, input, label) {
  await input.click();
  await input.fill(label);
  const option = page.getByRole('option').filter({ has: page.getByText(label, { exact: true }) });
  await option.first().click();
}

async function checkQueryEditor(page, backend) {
  const section = page.getByTestId('query-editor');
  // Optional fields' labels read "Group by - optional".
  for (const text of ['Log type', 'Format', 'Metric', 'Time aggregate', /^Group by/, /^Filters/, 'Add filter']) {
    await visibleText(section, text);
  }
  await expectValue(section.getByLabel('Log type', { exact: true }), 'Interactive', 'Log type');
  await expectValue(section.getByLabel('Metric', { exact: true }), 'Failures', 'Metric');
  check(await section.getByRole('radio', { name: 'Time series' }).isChecked(), 'Format: Time series is not checked');
  check(await section.getByRole('radio', { name: '1h' }).isChecked(), 'Time aggregate: 1h is not checked');
  // Group by: the first key's pill. At the field's width the second one shows as a "…1" count
  // (see the report); the summary below names both.
  await visibleText(section, 'App');
  await expectValue(section.getByLabel('Value of App'), 'Microsoft Teams', 'first filter value');
  // The "in" filter's values are pills of a multi-value Combobox.
  await visibleText(section, '$country');
  const summary = section.getByTestId('query-summary');
  const before = await summary.textContent();
  check(
    before ===
      'Failures of interactive sign-ins by app, country or region where app = Microsoft Teams and country or region in $country, per 1h',
    `summary before the change: "${before}"`
  );

  // Value suggestions as you type: what is typed goes to the backend's values resource
  // (debounced), and its answer is the Combobox's options.
  const appValue = section.getByLabel('Value of App');
  await appValue.click();
  await appValue.fill('Microsoft');
  const expected = JSON.stringify({ key: 'app', logType: 'interactive', ...RANGE, prefix: 'Microsoft' });
  for (let i = 0; i < 100 && !backend.valuesRequests.some((r) => JSON.stringify(r) === expected); i++) {
    await page.waitForTimeout(50);
  }
  check(
    backend.valuesRequests.some((r) => JSON.stringify(r) === expected),
    `values request: expected ${expected}, got ${JSON.stringify(backend.valuesRequests)}`
  );
  await page.getByRole('option').first().waitFor();
  const suggestions = await page.getByRole('option').allTextContents();
  check(
    suggestions.some((s) => s.startsWith('Microsoft Teams')) &&
      suggestions.some((s) => s.startsWith('Microsoft Teams Web Client')),
    `suggestions for the app filter: ${JSON.stringify(suggestions)}`
  );
  await page.mouse.move(0, 0);
  await section.screenshot({ path: path.join(OUT, 'query-editor-suggestions.png') });
  await page.keyboard.press('Escape');
  await expectValue(appValue, 'Microsoft Teams', 'first filter value after Escape');

  // One change: the metric. The editor reports the whole query and runs it.
  await choose(page, section.getByLabel('Metric', { exact: true }), 'Distinct users');
  const query = await receivedValue(
    page,
    'query-editor',
    (q) => q.metric === 'distinctUsers',
    'metric not distinctUsers'
  );
  check(
    query.logType === 'interactive' && query.groupBy.join() === 'app,country' && query.filters.length === 2,
    `the rest of the query changed: ${JSON.stringify(query)}`
  );
  // One pick reports the same query more than once in Chromium (3 onChange and 3 onRunQuery calls
  // in most runs; jsdom sees 1): a Combobox/downshift effect, see the report. Only "at least one"
  // is asserted here; the counts are logged.
  const counts = await callCounts(page, 'query-editor');
  check(counts.onRunQuery >= 1, `onRunQuery was not called after the metric change: ${JSON.stringify(counts)}`);
  log(`query editor, metric pick: onChange called ${counts.onChange} times, onRunQuery ${counts.onRunQuery} times`);
  await expectValue(section.getByLabel('Metric', { exact: true }), 'Distinct users', 'Metric after the change');
  const after = await summary.textContent();
  check(after.startsWith('Distinct users of interactive sign-ins by app'), `summary after the change: "${after}"`);

  await page.mouse.move(0, 0);
  await product(section).screenshot({ path: path.join(OUT, 'query-editor.png') });
}

/**
 * Code mode: the query's JSON in Grafana's CodeEditor (Monaco), checked as you type by the
 * backend's `validate` resource, whose message shows under the editor; a valid query replaces
 * the builder's when the editor loses focus; back in the builder, its fields show it.
 */
async function checkCodeMode(page, backend) {
  const section = page.getByTestId('query-editor');
  await section.getByRole('radio', { name: 'Code' }).click();
  const editor = section.locator('.monaco-editor').first();
  await editor.waitFor();
  await section.getByText('"distinctUsers"').first().waitFor();

  const replaceText = async (text) => {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText types no keys one by one, so Monaco closes no brackets or quotes on its own.
    await page.keyboard.insertText(text);
  };
  await replaceText('{"logType": "everything", "format": "logs"}');
  await visibleText(section, /unknown logType "everything"/);
  check(
    backend.validateRequests.some((q) => q.logType === 'everything' && q.format === 'logs' && !('refId' in q)),
    `validate requests: ${JSON.stringify(backend.validateRequests)}`
  );
  await page.mouse.move(0, 0);
  await section.screenshot({ path: path.join(OUT, 'query-editor-code.png') });

  await replaceText('{"logType": "nonInteractive", "format": "logs", "limit": 5}');
  await section.getByText(/unknown logType/).waitFor({ state: 'detached' });
  await section.getByTestId('query-summary').click(); // the editor loses focus: the query is taken
  const query = await receivedValue(
    page,
    'query-editor',
    (q) => q.logType === 'nonInteractive' && q.format === 'logs' && q.limit === 5,
    'the code editor did not report the query typed'
  );
  check(query.editorMode === 'code' && query.metric === undefined, `code mode query: ${JSON.stringify(query)}`);

  await section.getByRole('radio', { name: 'Builder' }).click();
  await expectValue(section.getByLabel('Log type', { exact: true }), 'Non-interactive', 'Log type after code mode');
  check(await section.getByRole('radio', { name: 'Logs' }).isChecked(), 'Format: Logs is not checked after code mode');
}

/** The annotation editor: Conditional Access blocks first; then buckets above a threshold. */
async function checkAnnotationEditor(page) {
  const section = page.getByTestId('annotation-editor');
  check(await section.getByRole('radio', { name: 'Each sign-in' }).isChecked(), 'Mark: Each sign-in not checked');
  // The "in" filter's values are pills (at this width the second shows as a "… 1" count; the
  // summary names both).
  await visibleText(section, '53003');
  await visibleText(section, 'Annotations: the latest 100 interactive sign-ins where error code in 53003,50053');
  await section.getByRole('radio', { name: 'Above a threshold' }).click();
  const threshold = section.getByRole('spinbutton', { name: 'Threshold' });
  await expectValue(threshold, '25', 'threshold');
  await threshold.fill('40');
  await threshold.press('Enter');
  const query = await receivedValue(page, 'annotation-editor', (q) => q.threshold === 40, 'threshold not 40');
  check(
    query.format === 'annotations' &&
      query.metric === 'failures' &&
      query.groupBy.join() === 'app' &&
      query.timeAggregate === '1h',
    `threshold annotation: ${JSON.stringify(query)}`
  );
  const summary = await section.getByTestId('query-summary').textContent();
  check(
    summary.includes('1h buckets where failures of interactive sign-ins by app') && summary.endsWith('exceed 40'),
    `summary: "${summary}"`
  );
  await page.mouse.move(0, 0);
  await section.screenshot({ path: path.join(OUT, 'annotation-editor.png') });
}

/**
 * The backend's logs frame as Explore shows it: lines by level; a line's details list its
 * labels, and "filter for value" / "filter out value" change the query (the datasource's
 * toggleQueryFilter); the id, user, app and IP address fields carry their links, to Explore and
 * to the value's investigation page.
 */
async function checkExploreLogs(page) {
  const section = page.getByTestId('explore-logs');
  const rows = section.getByTestId('log-row');
  check((await rows.count()) === 3, `log rows: ${await rows.count()}`);
  await visibleText(section, /^failure 50126 alice@contoso\.com → Azure Portal/);
  await rows.first().click();
  const details = section.getByTestId('log-details');
  await details.waitFor();
  await visibleText(details, 'Azure Portal');
  await visibleText(details, /Sign-in logs in the Azure portal/);
  await visibleText(details, /Sign-ins of this IP address in Explore/);
  await visibleText(details, /Investigate this IP address/);

  await details.getByLabel('Filter for value app', { exact: true }).click();
  let query = await receivedValue(
    page,
    'explore-logs',
    (q) => q.filters.length === 1,
    'filter for value did not add a filter'
  );
  check(
    JSON.stringify(query.filters) === JSON.stringify([{ key: 'app', op: '=', value: 'Azure Portal' }]),
    `filter for value: ${JSON.stringify(query.filters)}`
  );
  await details.getByLabel('Filter out value app', { exact: true }).click();
  query = await receivedValue(
    page,
    'explore-logs',
    (q) => q.filters.length === 1 && q.filters[0].op === '!=',
    'filter out value did not replace the filter'
  );
  check(
    JSON.stringify(query.filters) === JSON.stringify([{ key: 'app', op: '!=', value: 'Azure Portal' }]),
    `filter out value: ${JSON.stringify(query.filters)}`
  );
  await page.mouse.move(0, 0);
  await product(section).screenshot({ path: path.join(OUT, 'explore-logs.png') });
}

async function checkVariableQueryEditor(page) {
  const section = page.getByTestId('variable-query-editor');
  for (const text of ['Dimension', 'Log type', /^Filters/]) {
    await visibleText(section, text);
  }
  await expectValue(section.getByLabel('Dimension', { exact: true }), 'App', 'Dimension');
  await expectValue(section.getByLabel('Log type', { exact: true }), 'All', 'Log type');
  await expectValue(section.getByLabel('Value of Status'), 'failure', 'filter value');
  // The variable editor allows one filter: no "Add filter" while one is set.
  check((await section.getByText('Add filter').count()) === 0, '"Add filter" shown with the one filter set');

  await choose(page, section.getByLabel('Dimension', { exact: true }), 'User display name');
  const query = await receivedValue(
    page,
    'variable-query-editor',
    (q) => q.key === 'userDisplayName',
    'key not userDisplayName'
  );
  check(
    query.queryType === 'variable' && query.logType === 'all' && query.filters.length === 1,
    `the rest of the variable query changed: ${JSON.stringify(query)}`
  );
  await expectValue(
    section.getByLabel('Dimension', { exact: true }),
    'User display name',
    'Dimension after the change'
  );

  await page.mouse.move(0, 0);
  await product(section).screenshot({ path: path.join(OUT, 'variable-query-editor.png') });
}

async function checkConfigEditor(page) {
  const section = page.getByTestId('config-editor');
  const source = (name) => section.getByRole('radiogroup', { name: 'Source' }).getByRole('radio', { name });
  for (const text of [
    'Source',
    'Microsoft Entra ID',
    'Cloud',
    'Authentication',
    'Cache',
    'Throttle and limits',
    'Advanced',
  ]) {
    await visibleText(section, text);
  }
  check(await source('Microsoft Graph').isChecked(), 'Source: Microsoft Graph not checked');
  await expectValue(section.getByLabel(/^Cloud/), 'Azure (global)', 'Cloud');
  await expectValue(section.getByLabel(/^Authentication/), 'Client secret', 'Authentication');
  await expectValue(section.getByLabel(/^Tenant ID/), '8f2c1d4e-0b7a-4c3e-9d21-5a6b7c8d9e0f', 'Tenant ID');
  await expectValue(section.getByLabel(/^Client ID/), '3b9e7f10-2c4d-4e8a-b1f2-6d7e8f9a0b1c', 'Client ID');
  await expectValue(section.getByLabel(/^Client secret/), 'configured', 'Client secret');
  await expectValue(section.getByLabel(/^Memory cache size/), '512', 'Memory cache size');
  // The cache status shows the backend's warnings (its `warnings` resource).
  await visibleText(section, 'memcached is not used: no secret keys its values');
  // Warming the last days at start: a bar and what is loaded.
  await section.getByRole('progressbar', { name: 'Warming the cache' }).waitFor();
  await visibleText(section, 'Warming the cache: 96 of 672 time windows, 18,250 sign-ins, about 12 min left');

  await choose(page, section.getByLabel(/^Authentication/), 'Client certificate');
  const settings = await receivedValue(
    page,
    'config-editor',
    (s) => s.jsonData.authType === 'clientCertificate',
    'authType not clientCertificate'
  );
  check(
    settings.jsonData.tenantId === '8f2c1d4e-0b7a-4c3e-9d21-5a6b7c8d9e0f' && settings.jsonData.cacheSizeMB === 512,
    `the rest of the settings changed: ${JSON.stringify(settings.jsonData)}`
  );
  await section.getByLabel(/^Client certificate/).waitFor();
  check((await section.getByLabel(/^Client secret/).count()) === 0, 'Client secret still shown for certificate auth');

  await page.mouse.move(0, 0);
  await product(section).screenshot({ path: path.join(OUT, 'config-editor.png') });

  // A Log Analytics workspace: its ID (a GUID, else an inline error), the same Entra ID identity.
  await source('Log Analytics workspace').click();
  await section.getByLabel(/^Workspace ID/).fill('contoso-signins');
  await visibleText(section, /^Not a GUID/);
  const la = await receivedValue(
    page,
    'config-editor',
    (s) => s.jsonData.source === 'logAnalytics' && s.jsonData.workspaceId === 'contoso-signins',
    'source not logAnalytics with the workspace ID typed'
  );
  check(
    la.jsonData.tenantId === '8f2c1d4e-0b7a-4c3e-9d21-5a6b7c8d9e0f',
    `the Entra ID settings changed: ${JSON.stringify(la.jsonData)}`
  );
  await visibleText(section, 'Log Analytics Reader');
  await section.getByLabel(/^Workspace ID/).fill('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');
  await section.getByText(/^Not a GUID/).waitFor({ state: 'detached' });

  // Push-down: a workspace's default (auto, from 7 days) shown, not written; always hides the days.
  await expectValue(section.getByLabel(/^Push-down/), 'Auto', 'Push-down');
  check(
    (await section.getByLabel(/^Push down from \(days\)/).getAttribute('placeholder')) === '7',
    'Push down from (days): placeholder not 7'
  );
  await choose(page, section.getByLabel(/^Push-down/), 'Always');
  await receivedValue(page, 'config-editor', (s) => s.jsonData.pushDown === 'always', 'pushDown not always');
  await section.getByLabel(/^Push down from \(days\)/).waitFor({ state: 'detached' });
}

const watchdog = setTimeout(() => {
  console.error(`browser-test: FAILED: still running after ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`browser-test: FAILED after ${elapsed()}: ${err?.stack ?? err}`);
    process.exit(1);
  }
);
