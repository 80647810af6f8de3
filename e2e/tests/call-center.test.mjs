// 呼叫中台 as a Chinese user meets it: AI呼叫2.0 (新建任务 from the prefilled form, 导入号码,
// the 电话号码 tab with its filters and paging, 启动 / 暂停), 黑名单, 呼叫时间 (templates and the
// holiday calendar), the home page's balance, and the operator's 线路管理 (a SIP line assigned to
// the demo company, then listed on the company's 线路 page).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, config, loginAsAdmin, loginUi, screenshot, sharedBrowser, unique } from '../lib/harness.mjs';

const harness = sharedBrowser();
/** Every test of this file runs on a laptop-sized screen (1366×768). */
const withPage = (name, fn) => harness.withPage(name, fn, { width: 1366, height: 768 });

/** Screenshots at 1366×768 and at 1920×1080 (`name-1366`, `name-1920`), back to 1366×768 after. */
async function shots(page, name) {
  await screenshot(page, `${name}-1366`);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, `${name}-1920`);
  await page.setViewportSize({ width: 1366, height: 768 });
}

const DEMO_SCRIPT = '少儿编程体验课邀约';
const DEMO_COMPANY = '演示企业（示例教育科技有限公司）';
const OPERATOR_LOGIN = process.env.VOXDIAL_OPERATOR_LOGIN || 'operator';
const OPERATOR_PASSWORD = process.env.VOXDIAL_OPERATOR_PASSWORD || config.demoPassword;

/** Four random digits (a number's tail), so that runs on one server do not collide. */
const tail4 = () => String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
/** `n` random digits. */
const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** Goes to a 呼叫中台 page through the main menu (opening the group when it is closed). */
async function openCallCenter(page, label) {
  const menu = page.getByRole('menu', { name: '主菜单' });
  const link = menu.getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) await menu.getByText('呼叫中台', { exact: true }).click();
  await link.click();
}

/** A task made through the API from GET /api/tasks/defaults, under a unique name. */
async function createTaskApi(context, prefix = 'e2e任务') {
  const defaults = await apiCall(context, 'GET', '/api/tasks/defaults');
  const name = `${prefix}${unique()}`;
  const task = await apiCall(context, 'POST', '/api/tasks', { ...defaults, name });
  return { id: task.id, name };
}

/** Uploads a CSV into a task through the API and waits for its notification to finish. */
async function importCsvApi(context, taskId, csv) {
  const cookies = await context.cookies(config.url);
  const csrf = cookies.find((c) => c.name === 'voxdial_csrf')?.value ?? '';
  const res = await context.request.post(`${config.url}/api/tasks/${taskId}/numbers/import`, {
    headers: { 'X-CSRF-Token': csrf },
    multipart: { file: { name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') }, to_pool: 'false' },
  });
  assert.equal(res.status(), 202, await res.text());
  const { notification_id: nid } = await res.json();
  return waitNotification(context, nid);
}

/** Polls GET /api/notifications until notification `id` has finished; returns it. */
async function waitNotification(context, id, match) {
  for (let i = 0; i < 150; i += 1) {
    const list = await apiCall(context, 'GET', '/api/notifications?page_size=50');
    const n = list.items.find((x) => (id != null ? x.id === id : match(x)));
    if (n && (n.status === 'succeeded' || n.status === 'failed')) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`notification ${id ?? ''} did not finish`);
}

/** The rows of an AntD table body (not the measure row or the empty placeholder). */
const bodyRows = (scope) => scope.locator('.ant-table-tbody > tr.ant-table-row');

async function rowCountIs(scope, n) {
  await scope.page().waitForFunction(
    ([el, want]) => el.querySelectorAll('.ant-table-tbody > tr.ant-table-row').length === want && !el.querySelector('.ant-spin-spinning'),
    [await scope.elementHandle(), n],
  );
}

describe('呼叫中台: 外呼任务, 号码, 黑名单, 呼叫时间, 余额, 线路', () => {
  it('the admin creates a task from the prefilled form and sees it 未开始 in the list', async () => {
    await withPage('call-task-create', async (page) => {
      await loginAsAdmin(page);
      await openCallCenter(page, 'AI呼叫2.0');
      await page.getByRole('heading', { name: 'AI呼叫2.0' }).waitFor();

      await page.getByRole('button', { name: '新建任务' }).click();
      await page.waitForURL(/\/call-center\/tasks\/new$/);
      const name = page.getByRole('textbox', { name: '任务名称' });
      // The form comes filled in: a default name, the workday schedule and the simulated line.
      await name.waitFor();
      assert.match(await name.inputValue(), /^外呼任务/);
      const lineItem = page.locator('.ant-form-item').filter({ has: page.locator('label', { hasText: /^线路$/ }) });
      await lineItem.getByText('模拟线路').first().waitFor();
      await shots(page, 'call-02-task-form-top');

      const taskName = `回访任务${unique()}`;
      await name.fill(taskName);
      const scriptItem = page.locator('.ant-form-item').filter({ has: page.locator('label', { hasText: /^话术$/ }) });
      await scriptItem.getByRole('combobox').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${DEMO_SCRIPT}$`) }).click();
      await scriptItem.filter({ hasText: DEMO_SCRIPT }).waitFor();

      await page.getByRole('button', { name: '提交' }).scrollIntoViewIfNeeded();
      await shots(page, 'call-03-task-form-bottom');
      await page.getByRole('button', { name: '提交' }).click();
      await page.locator('.ant-message').getByText('任务已创建').waitFor();
      await page.waitForURL(/\/call-center\/tasks\/\d+$/);
      await page.getByRole('heading', { name: taskName }).waitFor();

      await openCallCenter(page, 'AI呼叫2.0');
      const search = page.getByRole('searchbox', { name: '搜索任务名称，回车确认' });
      await search.fill(taskName);
      await search.press('Enter');
      const row = page.getByRole('row').filter({ hasText: taskName });
      await row.getByText('未开始', { exact: true }).waitFor();
      await row.getByText('模拟线路').waitFor();
      await row.getByTestId('task-progress').filter({ hasText: '0 / 0' }).waitFor();
      await search.fill('');
      await search.press('Enter');
      await row.waitFor();
      await shots(page, 'call-01-task-list');
    });
  });

  it('the admin imports numbers from a CSV: 7 taken, 3 refused, with the refused rows to download', async () => {
    await withPage('call-task-import', async (page, context) => {
      await loginAsAdmin(page);
      const task = await createTaskApi(context, '导入测试');
      const beijing1 = `1380013${tail4()}`;
      let beijing2 = `1380013${tail4()}`;
      while (beijing2 === beijing1) beijing2 = `1380013${tail4()}`;
      const plus86 = `13912${digits(6)}`;
      const csv = [
        '号码,联系人,公司',
        `${beijing1},张三,北京某科技`,
        `${beijing2},李四,`,
        `+86 ${plus86.slice(0, 3)} ${plus86.slice(3, 7)} ${plus86.slice(7)},王五,`,
        `010-6${digits(7)},前台,某公司`,
        `1501234${tail4()},赵六,`,
        `1861234${tail4()},,`,
        `1771234${tail4()},,`,
        '12345,号码太短,',
        '2000000000a,不是号码,',
        `${beijing1},重复,`,
      ].join('\n');

      await openCallCenter(page, 'AI呼叫2.0');
      await page.getByRole('searchbox', { name: '搜索任务名称，回车确认' }).fill(task.name);
      await page.getByRole('searchbox', { name: '搜索任务名称，回车确认' }).press('Enter');
      const row = page.getByRole('row').filter({ hasText: task.name });
      await row.getByRole('button', { name: '导入号码' }).click();
      const dialog = page.getByRole('dialog', { name: `导入号码：${task.name}` });
      const template = dialog.getByRole('link', { name: /下载导入模板/ });
      await template.waitFor();
      assert.equal(await template.getAttribute('href'), '/api/numbers/import-template');
      const tpl = await context.request.get(`${config.url}/api/numbers/import-template`);
      assert.equal(tpl.status(), 200);

      await dialog.locator('input[type=file]').setInputFiles({ name: '客户号码.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await dialog.getByText('客户号码.csv').waitFor();
      await shots(page, 'call-04-import-modal');
      await dialog.getByRole('button', { name: '开始导入' }).click();
      await dialog.getByText('已开始导入，可在通知列表查看进度').waitFor();
      await shots(page, 'call-05-import-accepted');

      const done = await waitNotification(context, null, (n) => n.title === `号码导入：${task.name}`);
      assert.equal(done.status, 'succeeded');
      await dialog.getByRole('link', { name: '前往通知列表查看进度' }).click();
      await page.getByRole('heading', { name: '通知列表' }).waitFor();
      const note = page.getByRole('row').filter({ hasText: `号码导入：${task.name}` });
      await note.getByText('成功', { exact: true }).waitFor();
      assert.equal(await note.getByTestId('success-count').innerText(), '7');
      assert.equal(await note.getByTestId('fail-count').innerText(), '3');
      const report = note.getByRole('link', { name: /下载失败明细/ });
      await report.waitFor();
      const file = await context.request.get(`${config.url}${await report.getAttribute('href')}`);
      assert.equal(file.status(), 200);
      await shots(page, 'call-06-import-notification');

      // The task's 电话号码 tab: the seven numbers with their regions and carriers.
      await page.goto(`${config.url}/call-center/tasks/${task.id}`);
      await page.getByRole('heading', { name: task.name }).waitFor();
      await page.getByRole('tab', { name: '电话号码' }).click();
      const panel = page.getByRole('tabpanel', { name: '电话号码' });
      await rowCountIs(panel, 7);
      await panel.getByText('共 7 条').waitFor();
      const bj = bodyRows(panel).filter({ hasText: beijing1 });
      // 北京 is a municipality: its city is not repeated.
      await bj.getByRole('cell', { name: '北京', exact: true }).waitFor();
      await bj.getByRole('cell', { name: '移动', exact: true }).waitFor();
      await bj.getByRole('cell', { name: '张三', exact: true }).waitFor();
      await bodyRows(panel).filter({ hasText: plus86 }).waitFor();
      await bodyRows(panel).filter({ hasText: /^\s*010/ }).getByRole('cell', { name: '北京', exact: true }).waitFor();
      await shots(page, 'call-07-numbers-tab');

      // 运营商 移动: 138 ×2, 139 and 150.
      await panel.getByRole('combobox', { name: '运营商' }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^移动$/ }).click();
      await panel.getByRole('button', { name: '查询' }).click();
      await rowCountIs(panel, 4);
      for (const text of await bodyRows(panel).allInnerTexts()) assert.match(text, /移动/);
      await shots(page, 'call-08-numbers-filtered');

      // 重置, then 状态 待呼叫 (every number so far).
      await panel.getByRole('button', { name: '重置' }).click();
      await rowCountIs(panel, 7);
      await panel.getByRole('combobox', { name: '状态' }).click();
      const statusOption = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /（7）$/ });
      await statusOption.click();
      await panel.getByRole('button', { name: '查询' }).click();
      await rowCountIs(panel, 7);
    });
  });

  it('the 电话号码 tab pages through a bigger list', async () => {
    await withPage('call-numbers-paging', async (page, context) => {
      await loginAsAdmin(page);
      const task = await createTaskApi(context, '分页测试');
      const base = Number(`1501${digits(3)}0000`) + Math.floor(Math.random() * 9000);
      const rows = Array.from({ length: 45 }, (_, i) => String(base + i));
      const n = await importCsvApi(context, task.id, ['号码', ...rows].join('\n'));
      assert.equal(n.success_count, 45, JSON.stringify(n));

      await page.goto(`${config.url}/call-center/tasks/${task.id}`);
      await page.getByRole('tab', { name: '电话号码' }).click();
      const panel = page.getByRole('tabpanel', { name: '电话号码' });
      await rowCountIs(panel, 20);
      await panel.getByText('共 45 条').waitFor();
      const first = await bodyRows(panel).first().innerText();
      await panel.getByRole('listitem', { name: '3' }).click();
      await rowCountIs(panel, 5);
      await panel.getByRole('listitem', { name: '2' }).click();
      await rowCountIs(panel, 20);
      assert.notEqual(await bodyRows(panel).first().innerText(), first);
      // 50 a page shows them all.
      await panel.locator('.ant-pagination-options .ant-select').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '50' }).click();
      await rowCountIs(panel, 45);
    });
  });

  it('the admin starts a task (执行中) and pauses it (已暂停) from the list', async () => {
    await withPage('call-task-run', async (page, context) => {
      await loginAsAdmin(page);
      const task = await createTaskApi(context, '启停测试');
      await openCallCenter(page, 'AI呼叫2.0');
      const search = page.getByRole('searchbox', { name: '搜索任务名称，回车确认' });
      await search.fill(task.name);
      await search.press('Enter');
      const row = page.getByRole('row').filter({ hasText: task.name });
      await row.getByText('未开始', { exact: true }).waitFor();

      // The import's pop-up (弹屏提醒) shows in the header bar, beside the bell, and covers
      // none of the list: the pointer on it keeps it open while the row's buttons are used.
      // Enough numbers that the simulated line, sped up 20 times, cannot finish them all
      // before the pause: with two, a quick 空号 and 关机 once completed the task first.
      const phones = Array.from({ length: 40 }, (_, i) => `186${String(i).padStart(4, '0')}${tail4()}`);
      await importCsvApi(context, task.id, `号码\n${phones.join('\n')}\n`);
      const popup = page.getByTestId('job-popup').filter({ hasText: `号码导入：${task.name}` });
      await popup.hover();
      await popup.getByText('成功 40 条，失败 0 条').waitFor();
      const header = await page.locator('.vx-header').boundingBox();
      const box = await popup.boundingBox();
      assert.ok(header && box, 'the header and the pop-up are on screen');
      assert.ok(box.y >= header.y && box.y + box.height <= header.y + header.height, `the pop-up stays in the header: ${JSON.stringify({ box, header })}`);
      await shots(page, 'call-09-task-list-popup');
      await row.getByRole('button', { name: '启动' }).click();
      await page.locator('.ant-message').getByText('任务已启动').waitFor();
      await row.getByText('执行中', { exact: true }).first().waitFor();
      await shots(page, 'call-09-task-running');
      await row.getByRole('button', { name: '暂停' }).click();
      await page.locator('.ant-message').getByText('任务已暂停').waitFor();
      await row.getByText('已暂停', { exact: true }).waitFor();
      const d = await apiCall(context, 'GET', `/api/tasks/${task.id}`);
      assert.equal(d.status, 'paused');
    });
  });

  it('the admin adds a number to the blacklist with an expiry, finds it and deletes it', async () => {
    await withPage('call-blacklist', async (page) => {
      await loginAsAdmin(page);
      await openCallCenter(page, '黑名单');
      await page.getByRole('heading', { name: '黑名单' }).waitFor();
      const entries = page.getByTestId('blacklist-entries');
      const phone = `1591234${tail4()}`;
      const note = `投诉${unique()}`;
      await entries.getByRole('button', { name: '添加号码' }).click();
      const dialog = page.getByRole('dialog', { name: '添加号码' });
      await dialog.getByLabel('号码').fill(phone);
      await dialog.getByLabel('备注').fill(note);
      const expiry = dialog.getByLabel('到期时间');
      await expiry.click();
      await expiry.fill('2030-06-30 18:00');
      await expiry.press('Enter');
      await shots(page, 'call-10-blacklist-add');
      await dialog.getByRole('button', { name: '确定', exact: true }).click();
      await page.locator('.ant-message').getByText('已加入黑名单').waitFor();
      await dialog.waitFor({ state: 'hidden' });

      const search = entries.getByRole('searchbox', { name: '搜索号码，回车确认' });
      await search.fill(phone);
      await search.press('Enter');
      const row = entries.getByRole('row').filter({ hasText: phone });
      await row.getByText(note).waitFor();
      await row.getByText('2030-06-30 18:00').waitFor();
      await search.fill('');
      await search.press('Enter');
      await shots(page, 'call-11-blacklist');
      await search.fill(phone);
      await search.press('Enter');

      await row.getByRole('button', { name: '删除' }).click();
      const confirm = page.getByRole('dialog').filter({ hasText: '移出黑名单' });
      await confirm.getByRole('button', { name: /删\s*除|确\s*定/ }).click();
      await page.locator('.ant-message').getByText(/已删除/).waitFor();
      await row.waitFor({ state: 'detached' });
      await entries.getByText('没有黑名单号码').waitFor();
    });
  });

  it('呼叫时间 shows the four system templates and 2026 国庆节 in the holiday calendar', async () => {
    await withPage('call-time', async (page) => {
      await loginAsAdmin(page);
      await openCallCenter(page, '呼叫时间');
      await page.getByRole('heading', { name: '呼叫时间' }).waitFor();
      for (const name of ['工作日默认', '早九晚六', '早九晚五', '早十晚六']) {
        await page.getByText(name, { exact: true }).first().waitFor();
      }
      await shots(page, 'call-12-call-time-templates');

      await page.getByRole('tab', { name: '节假日日历' }).click();
      const year = page.getByRole('combobox', { name: '年份' });
      await year.waitFor();
      const panel = page.locator('.ant-card').filter({ has: year });
      if (!(await panel.locator('.vx-toolbar').innerText()).includes('2026 年')) {
        await year.click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '2026 年' }).click();
      }
      const national = panel.getByRole('row').filter({ hasText: '国庆节' });
      await national.filter({ hasText: '2026-10-01' }).getByText('节假日').waitFor();
      assert.ok((await national.count()) >= 7, '国庆节 lasts a week');
      await national.filter({ hasText: '2026-10-01' }).scrollIntoViewIfNeeded();
      await shots(page, 'call-13-holidays');
    });
  });

  it('the home page shows the balance card', async () => {
    await withPage('call-home-balance', async (page, context) => {
      await loginAsAdmin(page);
      const card = page.getByTestId('balance-card');
      await card.getByText('账户余额').waitFor();
      const b = await apiCall(context, 'GET', '/api/balance');
      const yuan = (b.balance_mfen / 100_000).toFixed(2);
      await card.getByText(/^余额$/).waitFor();
      await card.getByText('透支额度').waitFor();
      await card.getByText('可用', { exact: true }).waitFor();
      const text = (await card.innerText()).replace(/[\s,]/g, '');
      assert.ok(text.includes(`余额${yuan}元`), `${text} shows ${yuan}`);
      // The demo company starts with 500 元; calls made by earlier tests may have spent some.
      assert.ok(b.balance_mfen > 0 && b.balance_mfen <= 50_000_000, JSON.stringify(b));
      await shots(page, 'call-14-home-balance');
    });
  });

  it('the operator creates a SIP line and assigns it to the demo company, which then lists it', async () => {
    const lineName = `联通SIP${unique()}`;
    await withPage('call-operator-lines', async (page, context) => {
      await loginUi(page, OPERATOR_LOGIN, OPERATOR_PASSWORD);
      await page.waitForURL(/\/operator/);
      await page.getByRole('link', { name: '线路管理' }).click();
      await page.getByRole('heading', { name: '线路管理' }).waitFor();

      await page.getByRole('button', { name: '新建线路' }).click();
      const drawer = page.locator('.ant-drawer').filter({ hasText: '新建线路' });
      await drawer.getByLabel('名称').fill(lineName);
      await drawer.getByLabel('地址').fill('sip.example.com:5060');
      await drawer.getByLabel('账号').fill('vox');
      const password = drawer.getByLabel('密码');
      assert.equal(await password.getAttribute('type'), 'password');
      await password.fill('s3cret!');
      const callers = drawer.getByLabel('主叫号码池');
      await callers.fill('02161234567');
      await callers.press('Enter');
      await shots(page, 'call-15-operator-line-form');
      await drawer.getByRole('button', { name: '保 存' }).or(drawer.getByRole('button', { name: '保存' })).click();
      await page.locator('.ant-message').getByText('线路已创建').waitFor();
      await drawer.waitFor({ state: 'hidden' });
      const row = page.getByRole('row').filter({ hasText: lineName });
      await row.getByText('未分配').waitFor();

      await row.getByRole('button', { name: '分配企业' }).click();
      const assign = page.getByRole('dialog', { name: `分配企业：${lineName}` });
      await assign.getByRole('combobox', { name: '分配企业' }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: DEMO_COMPANY }).click();
      // Close the multi-select's list (it covers the footer) by clicking the dialog's hint.
      await assign.getByText('选中的企业可以在外呼任务中使用这条线路。').click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      await assign.getByRole('button', { name: /保\s*存/ }).click();
      await assign.waitFor({ state: 'hidden' });
      await row.getByText(DEMO_COMPANY).waitFor();
      await shots(page, 'call-16-operator-lines');
      // The password is never sent back.
      const lines = await apiCall(context, 'GET', '/api/operator/lines');
      const created = (lines.items ?? lines).find((l) => l.name === lineName);
      assert.ok(created, 'the line is listed');
      assert.equal(created.password, undefined);
    });

    await withPage('call-company-lines', async (page) => {
      await loginAsAdmin(page);
      await openCallCenter(page, '线路');
      await page.getByRole('heading', { name: '线路' }).waitFor();
      await page.getByRole('row').filter({ hasText: '模拟线路' }).first().waitFor();
      const sip = page.getByRole('row').filter({ hasText: lineName });
      await sip.getByText('SIP线路').waitFor();
      await shots(page, 'call-17-company-lines');
    });
  });
});
