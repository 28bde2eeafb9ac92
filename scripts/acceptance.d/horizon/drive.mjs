// Drives Horizon's Database pages (trove-dashboard) in Debian's Chromium as a project member would, against
// TroveJ on the local back end: the pages render with no error banner and no 5xx answer, an instance launched from
// the form reaches Active, a backup is created and restored into a new instance, a configuration group is created
// and attached. A screenshot of each page goes to SCREENSHOT_DIR. Exit 1 on the first failure, saying which step.
//
// Settings (environment; scripts/acceptance horizon sets them): HORIZON_URL, HORIZON_USER, HORIZON_PASSWORD,
// CHROMIUM, SCREENSHOT_DIR, BUILD_TIMEOUT (seconds), DATASTORE and DATASTORE_VERSION (what is launched: the
// names Horizon shows as "<datastore> - <version>"), FLAVOR_ID.
import { chromium } from 'playwright-core';

const env = process.env;
const base = env.HORIZON_URL.replace(/\/$/, '');
const buildTimeout = Number(env.BUILD_TIMEOUT || 600) * 1000;
const datastore = env.DATASTORE || 'postgresql';
const datastoreLabel = `${datastore} - ${env.DATASTORE_VERSION || ''}`;
const flavorId = env.FLAVOR_ID || 'd2';
const run = Date.now().toString(36);
// no name is a part of another: rows are found by the text they contain
const names = {
  instance: `hz-${run}-first`,
  restored: `hz-${run}-restored`,
  backup: `hz-${run}-backup`,
  config: `hz-${run}-config`,
  database: 'shop',
  user: 'clerk',
};
// a password this run makes up; Horizon never shows it back
const dbPassword = `Pw-${run}-${Math.random().toString(36).slice(2, 10)}`;

const started = Date.now();
let shot = 0;
let step = 'start';
const serverErrors = [];

function log(message) {
  console.log(`horizon: ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${message}`);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  // this machine's network is closed: no background calls home (they fail, many at a time)
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.setDefaultTimeout(60_000);
page.on('response', (response) => {
  if (response.status() >= 500) {
    serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  }
});

async function screenshot(name) {
  shot += 1;
  const file = `${env.SCREENSHOT_DIR}/${String(shot).padStart(2, '0')}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The page as it stands: no 5xx answer since the last check, no error banner (Horizon's messages and alerts).
async function checkPage(name) {
  await page.waitForLoadState('networkidle');
  const file = await screenshot(name);
  const banners = (await page.locator('.alert-danger:visible, .alert-error:visible').allInnerTexts())
    .map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t);
  const errors = serverErrors.splice(0);
  const title = await page.title();
  if (/server error|not found|forbidden/i.test(title)) {
    errors.push(`page title "${title}"`);
  }
  if (banners.length || errors.length) {
    throw new Error(`${name}: ${[...banners.map((b) => `error banner "${b}"`), ...errors].join('; ')} (${file})`);
  }
  log(`${name}: ok (${file.split('/').pop()})`);
}

async function open(path, name) {
  step = name;
  const response = await page.goto(base + path);
  if (!response || response.status() >= 400) {
    throw new Error(`${name}: GET ${path} answered ${response ? response.status() : 'nothing'}`);
  }
  await checkPage(name);
}

// Selects the option whose label starts with the given text; returns its label.
async function selectByLabelPrefix(select, prefix) {
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
  const option = options.find((o) => o.label.toLowerCase().startsWith(prefix.toLowerCase()));
  if (!option) {
    throw new Error(`${step}: no option starting with "${prefix}" among ${options.map((o) => o.label).join(', ')}`);
  }
  await select.selectOption(option.value);
  return option.label;
}

// A row of the page's table whose text has this name; reloads until its status cell matches `done` (or fails on
// `failed`), within the timeout.
async function waitForRow(path, name, done, failed, timeout, what) {
  const until = Date.now() + timeout;
  for (;;) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    const row = page.locator('table tbody tr', { hasText: name }).first();
    const text = (await row.count()) ? (await row.innerText()).replace(/\s+/g, ' ') : '';
    if (done.test(text)) {
      return row;
    }
    if (failed.test(text)) {
      await screenshot(`${what}-failed`);
      throw new Error(`${what}: ${name} failed: ${text}`);
    }
    if (Date.now() > until) {
      await screenshot(`${what}-timeout`);
      throw new Error(`${what}: ${name} not there within ${timeout / 1000} s (row: "${text}")`);
    }
    await page.waitForTimeout(3000);
  }
}

// Submits the modal form on screen and checks the page it leads to.
async function submitModal(name) {
  const modal = page.locator('.modal:visible form').first();
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'networkidle' }).catch(() => null),
    modal.locator('.modal-footer [type=submit]').click(),
  ]);
  await checkPage(name);
  const success = (await page.locator('.alert-success:visible').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
  if (success) {
    log(`${name}: "${success.replace(/^×\s*/, '').trim()}"`);
  }
}

async function instanceId(name) {
  await page.goto(`${base}/project/databases/`);
  const link = page.locator('table tbody tr', { hasText: name }).first().locator('a[href*="/project/databases/"]').first();
  const href = await link.getAttribute('href');
  const match = href && href.match(/\/project\/databases\/([0-9a-f-]{36})\//);
  if (!match) {
    throw new Error(`${step}: no link to ${name}'s detail page (href ${href})`);
  }
  return match[1];
}

async function launch(name, fromBackup) {
  const form = page.locator('.modal:visible form').first();
  await form.waitFor();
  await form.locator('#id_name').fill(name);
  await form.locator('#id_volume').fill('1');
  if (!fromBackup) {
    const label = await selectByLabelPrefix(form.locator('#id_datastore'), datastoreLabel);
    log(`${step}: datastore "${label}"`);
  }
  // the flavor field of the chosen datastore version (the other versions' fields are hidden)
  const flavor = form.locator('select.switched[data-switch-on="datastore"]:visible').first();
  await flavor.selectOption(flavorId);
  if (!fromBackup) {
    await form.locator('a[data-toggle="tab"]', { hasText: 'Initialize Databases' }).click();
    await form.locator('#id_databases').fill(names.database);
    await form.locator('#id_user').fill(names.user);
    await form.locator('#id_password').fill(dbPassword);
  }
  await screenshot(`${step}-form`);
  await submitModal(step);
}

async function detailTabs(id, name, expect) {
  step = 'instance detail';
  await open(`/project/databases/${id}/`, 'instance');
  // Horizon reopens the tab last shown
  await page.locator('.nav-tabs a', { hasText: /^\s*Overview\s*$/ }).first().click();
  await checkPage('instance-overview');
  const overview = (await page.locator('.tab-pane.active').first().innerText()).replace(/\s+/g, ' ');
  for (const text of [name, 'Active', 'Flavor', 'RAM', ...expect.overview]) {
    if (!overview.includes(text)) {
      throw new Error(`instance overview: "${text}" missing from: ${overview.slice(0, 600)}`);
    }
  }
  const tabs = [['Users', expect.users], ['Databases', expect.databases], ['Backups', expect.backups],
    ['Logs', []], ['Defaults', []]];
  for (const [tab, texts] of tabs) {
    step = `tab ${tab}`;
    await page.locator('.nav-tabs a', { hasText: new RegExp(`^\\s*${tab}\\s*$`) }).first().click();
    await page.waitForLoadState('networkidle');
    const pane = page.locator('.tab-pane.active').first();
    await pane.waitFor();
    // tabs loaded on demand say "Loading…" until their content arrives
    await page.waitForFunction(() => {
      const active = document.querySelector('.tab-pane.active');
      return active && !/Loading/.test(active.innerText);
    }, null, { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await checkPage(`instance-${tab.toLowerCase().replace(/ /g, '-')}`);
    const text = (await pane.innerText()).replace(/\s+/g, ' ');
    for (const t of texts) {
      if (!text.includes(t)) {
        throw new Error(`${step}: "${t}" missing from: ${text.slice(0, 600)}`);
      }
    }
  }
}

// The instance's general log through the Logs tab: enabled, published to the object store, then read back from it
// by the log's page (trove-dashboard reads published logs from Swift: here TroveJ's object store).
async function guestLog(id) {
  const logsTab = async () => {
    await page.goto(`${base}/project/databases/${id}/`);
    await page.locator('.nav-tabs a', { hasText: /^\s*Logs\s*$/ }).first().click();
    await page.waitForFunction(() => {
      const active = document.querySelector('.tab-pane.active');
      return active && !/Loading/.test(active.innerText) && active.querySelector('table');
    }, null, { timeout: 60_000 });
    return page.locator('.tab-pane.active table tbody tr', { hasText: 'general' }).first();
  };
  for (const action of ['Enable Log', 'Publish Log']) {
    step = `log: ${action}`;
    const row = await logsTab();
    const button = row.locator('a, button', { hasText: action }).first();
    if (!(await button.isVisible())) {
      await row.locator('.dropdown-toggle').click();
    }
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle' }).catch(() => null), button.click()]);
    await checkPage(`log-${action.toLowerCase().replace(/ /g, '-')}`);
  }
  step = 'log: View Log';
  const row = await logsTab();
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  if (!/\bPublished\b/.test(text)) {
    throw new Error(`${step}: the general log is not Published after publishing: ${text}`);
  }
  await row.locator('.dropdown-toggle').click();
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle' }),
    row.locator('a', { hasText: 'View Log' }).first().click()]);
  await checkPage('log-view');
  const contents = (await page.locator('pre').first().innerText()).trim();
  // Debian's pair cannot show any log, whichever Trove serves it: trove-dashboard 19 calls troveclient's
  // log_generator with publish= (trove_dashboard/api/trove.py, log_tail), which troveclient 8 no longer takes
  if (/unexpected keyword argument 'publish'/.test(contents)) {
    log(`log: the log's page renders; its contents cannot be shown with Debian's trove-dashboard 19 and troveclient 8 ("${contents.replace(/\s+/g, ' ')}")`);
    return;
  }
  if (!/\bLOG:\s/.test(contents)) {
    throw new Error(`${step}: the published general log shows no PostgreSQL log line: ${contents.slice(0, 400)}`);
  }
  log(`log: general published and read back (${contents.length} characters on its page)`);
}

try {
  step = 'login';
  await page.goto(`${base}/auth/login/`);
  await page.locator('#id_username').fill(env.HORIZON_USER);
  await page.locator('#id_password').fill(env.HORIZON_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('#loginBtn').click()]);
  if (page.url().includes('/auth/login')) {
    throw new Error(`login: still on the login page (${await screenshot('login-refused')})`);
  }
  // where a user lands after logging in
  await checkPage('overview');

  await open('/project/databases/', 'instances');
  step = 'launch';
  await page.locator('a', { hasText: 'Launch Instance' }).first().click();
  await launch(names.instance, false);
  await waitForRow('/project/databases/', names.instance, /\bActive\b/, /\bError\b/, buildTimeout, 'launch');
  await checkPage('instances-active');
  const id = await instanceId(names.instance);
  log(`launch: ${names.instance} (${id}) is Active`);

  await detailTabs(id, names.instance, {
    overview: [`${datastore}`], users: [names.user], databases: [names.database], backups: [],
  });

  if (datastore === 'postgresql') {
    await guestLog(id);
  }

  // a backup of it, from the Backups panel
  await open('/project/database_backups/', 'backups');
  step = 'create backup';
  await page.locator('a', { hasText: 'Create Backup' }).first().click();
  const backupForm = page.locator('.modal:visible form').first();
  await backupForm.waitFor();
  await backupForm.locator('#id_name').fill(names.backup);
  await selectByLabelPrefix(backupForm.locator('#id_instance'), names.instance);
  await screenshot('create-backup-form');
  await submitModal('create-backup');
  await waitForRow('/project/database_backups/', names.backup, /\bCompleted\b/, /\bError|Failed\b/, buildTimeout,
    'backup');
  await checkPage('backups-completed');
  log(`backup: ${names.backup} is Completed`);
  await page.locator('table tbody tr', { hasText: names.backup }).first().locator('a', { hasText: names.backup }).click();
  await checkPage('backup-detail');

  // restored into a new instance: the backup row's "Restore Backup" opens the launch form with it chosen
  await open('/project/database_backups/', 'backups-again');
  step = 'restore';
  const backupRow = page.locator('table tbody tr', { hasText: names.backup }).first();
  const restore = backupRow.locator('a', { hasText: 'Restore Backup' });
  if (!(await restore.isVisible())) {
    await backupRow.locator('.dropdown-toggle').click();
  }
  await restore.click();
  await launch(names.restored, true);
  await waitForRow('/project/databases/', names.restored, /\bActive\b/, /\bError\b/, buildTimeout, 'restore');
  await checkPage('restored-active');
  const restoredId = await instanceId(names.restored);
  log(`restore: ${names.restored} (${restoredId}) is Active`);
  await detailTabs(restoredId, names.restored, {
    overview: [`${datastore}`], users: [names.user], databases: [names.database], backups: [],
  });

  // a configuration group, attached to the first instance
  await open('/project/database_configurations/', 'configurations');
  step = 'create configuration group';
  await page.locator('a', { hasText: 'Create Configuration Group' }).first().click();
  const configForm = page.locator('.modal:visible form').first();
  await configForm.waitFor();
  await configForm.locator('#id_name').fill(names.config);
  // grouped by datastore here: the option's value is "<datastore>,<version>"
  await configForm.locator('#id_datastore').selectOption(`${datastore},${env.DATASTORE_VERSION}`);
  await screenshot('create-configuration-form');
  await submitModal('create-configuration');
  await waitForRow('/project/database_configurations/', names.config, new RegExp(datastore), /$^/, 30_000,
    'configuration');
  await page.locator('table tbody tr', { hasText: names.config }).first().locator('a', { hasText: names.config }).click();
  await checkPage('configuration-detail');
  const configId = (page.url().match(/\/database_configurations\/([0-9a-f-]{36})\//) || [])[1];
  if (!configId) {
    throw new Error(`${step}: the configuration group's page ${page.url()} names no id`);
  }

  step = 'attach configuration group';
  await page.goto(`${base}/project/databases/`);
  const row = page.locator('table tbody tr', { hasText: names.instance }).first();
  const attach = row.locator('a', { hasText: 'Attach Configuration Group' });
  await row.locator('.dropdown-toggle').click();
  await attach.click();
  const attachForm = page.locator('.modal:visible form').first();
  await attachForm.waitFor();
  await selectByLabelPrefix(attachForm.locator('select').first(), names.config);
  await screenshot('attach-configuration-form');
  await submitModal('attach-configuration');
  await waitForRow('/project/databases/', names.instance, /\bActive\b/, /\bError\b/, buildTimeout, 'attach');
  await page.goto(`${base}/project/databases/${id}/`);
  // Horizon reopens the tab last shown
  await page.locator('.nav-tabs a', { hasText: /^\s*Overview\s*$/ }).first().click();
  await checkPage('instance-with-configuration');
  const overview = (await page.locator('.tab-pane.active').first().innerText()).replace(/\s+/g, ' ');
  // the overview names the group by its id
  if (!overview.includes(`Configuration Group ${configId}`)) {
    throw new Error(`attach configuration group: ${names.config} (${configId}) not on the instance's overview: ${overview.slice(0, 600)}`);
  }
  log(`configuration: ${names.config} attached to ${names.instance}`);

  const content = await page.content();
  if (content.includes(dbPassword)) {
    throw new Error('the database user\'s password appears in a page');
  }
  log(`passed: ${shot} screenshots in ${env.SCREENSHOT_DIR}`);
  await browser.close();
} catch (e) {
  console.error(`horizon: FAILED at ${step}: ${e.message}`);
  try {
    console.error(`horizon: last page ${page.url()} (${await screenshot('failure')})`);
  } catch (ignored) {
    // the browser went away: the message above is all there is
  }
  await browser.close();
  process.exit(1);
}
