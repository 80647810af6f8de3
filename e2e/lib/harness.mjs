// Shared set-up for the console's browser tests: configuration from the environment,
// Debian's Chromium through playwright-core, log-in helpers, API calls with the
// session's CSRF token, unique names, xlsx files and screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import ExcelJS from 'exceljs';

const here = path.dirname(fileURLToPath(import.meta.url));

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name} (see e2e/README.md)`);
  return v;
}

export const config = {
  url: required('VOXDIAL_URL').replace(/\/+$/, ''),
  demoLogin: process.env.VOXDIAL_DEMO_LOGIN || '13800000000',
  demoPassword: required('VOXDIAL_DEMO_PASSWORD'),
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  // VOXDIAL_SCREENSHOTS: another folder for the screenshots (default e2e/screenshots/).
  screenshots: path.resolve(process.env.VOXDIAL_SCREENSHOTS || path.join(here, '..', 'screenshots')),
};

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: config.chromium, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookies) and page, Chinese UI, desktop size. */
export async function newPage(browser, { width = 1366, height = 860 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  // The console keeps the language in localStorage; start every test in Chinese.
  await page.addInitScript(() => {
    try {
      if (!localStorage.getItem('voxdial_lang')) localStorage.setItem('voxdial_lang', 'zh');
    } catch {
      /* ignore */
    }
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

let counter = 0;
/** Unique per run and per call: used in names and phone numbers so tests can run twice on one server. */
export function unique() {
  counter += 1;
  const t = Date.now() % 1_000_000; // 6 digits
  const r = Math.floor(Math.random() * 100);
  return `${String(t).padStart(6, '0')}${String((r + counter) % 100).padStart(2, '0')}`;
}

/** A valid, unique mainland mobile number (prefix 15x/17x/19x + 8 digits). */
export function uniquePhone() {
  const prefixes = ['150', '151', '152', '157', '158', '159', '170', '177', '187', '198'];
  const p = prefixes[Math.floor(Math.random() * prefixes.length)];
  return `${p}${unique()}`;
}

/** Logs in through the login page; resolves when the URL left /login. */
export async function loginUi(page, login, password) {
  await page.goto(`${config.url}/login`);
  await page.getByLabel('手机号/邮箱').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function loginAsAdmin(page) {
  await loginUi(page, config.demoLogin, config.demoPassword);
  await page.getByRole('heading', { name: /^欢迎/ }).waitFor();
}

/** Calls the API with the context's cookies and its CSRF token. */
export async function apiCall(context, method, urlPath, data) {
  const cookies = await context.cookies(config.url);
  const csrf = cookies.find((c) => c.name === 'voxdial_csrf')?.value;
  const res = await context.request.fetch(`${config.url}${urlPath}`, {
    method,
    data,
    headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf ?? '' },
  });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok()) throw new Error(`${method} ${urlPath} -> ${res.status()} ${text}`);
  return body;
}

/** Waits until the AntD spinners are gone, then saves a screenshot into e2e/screenshots/. */
export async function screenshot(page, name) {
  fs.mkdirSync(config.screenshots, { recursive: true });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  await page
    .waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-table-placeholder .ant-spin'), null, { timeout: 5_000 })
    .catch(() => {});
  await page.waitForTimeout(300); // let AntD's enter animations finish
  await page.screenshot({ path: path.join(config.screenshots, `${name}.png`) });
}

/**
 * An import file made from the server's own template (GET /api/members/import-template):
 * the example row is removed and `rows` ([姓名, 手机号, 部门, 邮箱, 密码]) are written below
 * the unchanged header row.
 */
export async function memberImportXlsx(context, rows) {
  const res = await context.request.get(`${config.url}/api/members/import-template`);
  if (!res.ok()) throw new Error(`template download -> ${res.status()}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.body());
  const ws = wb.worksheets[0];
  const header = ws.getRow(1).values.slice(1).map(String);
  if (!header[0]?.startsWith('姓名') || !header[1]?.startsWith('手机号')) throw new Error(`unexpected template header: ${header}`);
  if (ws.rowCount > 1) ws.spliceRows(2, ws.rowCount - 1);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * One browser for the test file that calls this (started before its tests, closed after).
 * `withPage` runs a test in a fresh context and screenshots the page when it fails;
 * `open` gives a bare context and page for set-up work.
 */
export function sharedBrowser() {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  async function withPage(name, fn, opts) {
    const { context, page, errors } = await newPage(browser, opts);
    try {
      await fn(page, context);
      assert.deepEqual(errors, [], 'no uncaught errors in the page');
    } catch (e) {
      await screenshot(page, `FAILED-${name}`).catch(() => {});
      throw e;
    } finally {
      await context.close();
    }
  }
  return { withPage, open: (opts) => newPage(browser, opts) };
}
