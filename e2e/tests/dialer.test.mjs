// The dialer as a Chinese user meets it: start the demo task 演示任务 (simulated line, sped up
// with VOXDIAL_SIMULATED_TIME_SCALE), watch it live on its page (通话中, counters), read its
// 通话记录 and a call's conversation, pause it, 重呼 the 无应答 numbers, then 我的账单 with its
// charges and 导出 (the file arrives in 通知列表).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, config, loginAsAdmin, screenshot, sharedBrowser, unique } from '../lib/harness.mjs';

const harness = sharedBrowser();
/** Every test of this file runs on a laptop-sized screen (1366×768). */
const withPage = (name, fn) => harness.withPage(name, fn, { width: 1366, height: 768 });

const DEMO_TASK = '演示任务';

/** Goes to a 呼叫中台 page through the main menu (opening the group when it is closed). */
async function openCallCenter(page, label) {
  const menu = page.getByRole('menu', { name: '主菜单' });
  const link = menu.getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) await menu.getByText('呼叫中台', { exact: true }).click();
  await link.click();
}

/** Polls GET /api/notifications until one matching `match` has finished; returns it. */
async function waitNotification(context, match) {
  for (let i = 0; i < 150; i += 1) {
    const list = await apiCall(context, 'GET', '/api/notifications?page_size=50');
    const n = list.items.find(match);
    if (n && (n.status === 'succeeded' || n.status === 'failed')) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('notification did not finish');
}

/** The number shown by a Statistic of the live view (data-testid `id`). */
async function stat(page, id) {
  const text = await page.getByTestId(id).locator('.ant-statistic-content').innerText();
  return Number(text.replace(/[^\d.]/g, ''));
}

/** Waits until the Statistic `id` satisfies `ok` (the live view pushes a snapshot every second). */
async function waitStat(page, id, ok, timeout = 90_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await stat(page, id).catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`${id} stayed at ${last}`);
}

const bodyRows = (scope) => scope.locator('.ant-table-tbody > tr.ant-table-row');

/**
 * The task to run: 演示任务 when it has numbers to call (not started, or paused early); on a
 * server where an earlier run already called them all, a copy of it (same line, call time and
 * robot) with 60 numbers imported, so the test can run again.
 */
async function taskToRun(context) {
  const list = await apiCall(context, 'GET', `/api/tasks?q=${encodeURIComponent(DEMO_TASK)}&page_size=100`);
  const demo = list.items.find((t) => t.name === DEMO_TASK);
  assert.ok(demo, 'the demo company has the task 演示任务');
  const fresh = demo.status === 'not_started' || (demo.status === 'paused' && demo.called_numbers < demo.total_numbers);
  if (fresh) return { id: demo.id, name: demo.name };
  const copy = await apiCall(context, 'POST', `/api/tasks/${demo.id}/copy`);
  const name = `演示任务重跑${unique()}`;
  // The detail carries the form's fields under `settings`.
  await apiCall(context, 'PUT', `/api/tasks/${copy.id}`, { ...copy.settings, name });
  const stem = unique().slice(-4);
  const rows = Array.from({ length: 60 }, (_, i) => `1391${stem}${String(i).padStart(3, '0')},客户${i}`);
  const cookies = await context.cookies(config.url);
  const csrf = cookies.find((c) => c.name === 'voxdial_csrf')?.value ?? '';
  const res = await context.request.post(`${config.url}/api/tasks/${copy.id}/numbers/import`, {
    headers: { 'X-CSRF-Token': csrf },
    multipart: { file: { name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(`号码,联系人\n${rows.join('\n')}\n`, 'utf8') }, to_pool: 'false' },
  });
  assert.equal(res.status(), 202, await res.text());
  const { notification_id: nid } = await res.json();
  const done = await waitNotification(context, (n) => n.id === nid);
  assert.equal(done.status, 'succeeded');
  return { id: copy.id, name };
}

describe('外呼: 实时监控, 通话记录, 重呼, 我的账单', () => {
  it('the admin runs the demo task, watches it live, reads a call, pauses it and redials 无应答', async () => {
    await withPage('dialer-task', async (page, context) => {
      await loginAsAdmin(page);
      const task = await taskToRun(context);

      await openCallCenter(page, 'AI呼叫2.0');
      const search = page.getByRole('searchbox', { name: '搜索任务名称，回车确认' });
      await search.fill(task.name);
      await search.press('Enter');
      const row = page.getByRole('row').filter({ hasText: task.name });
      await row.getByRole('button', { name: '启动' }).click();
      await page.locator('.ant-message').getByText('任务已启动').waitFor();
      await row.getByRole('link', { name: task.name }).click();
      await page.waitForURL(new RegExp(`/call-center/tasks/${task.id}$`));
      await page.getByRole('heading', { name: task.name }).waitFor();

      // 实时监控: the stream connects, calls show up 呼叫中 / 通话中 and the counters move.
      const panel = page.getByTestId('live-panel');
      await panel.getByText('实时更新').waitFor();
      await waitStat(page, 'live-in-progress', (n) => n > 0, 30_000);
      await panel.getByTestId('live-calls').getByText(/^(呼叫中|通话中)$/).first().waitFor();
      const finished = await stat(page, 'live-finished-today');
      await waitStat(page, 'live-finished-today', (n) => n >= finished + 5);
      await waitStat(page, 'live-called', (n) => n > 0);
      // While it runs, 重呼 waits for a pause.
      assert.equal(await page.getByRole('button', { name: '重呼' }).isDisabled(), true);
      await screenshot(page, 'dialer-01-live-1366');

      // 通话记录: page 1 follows the live view; an answered call opens with its conversation.
      await page.getByRole('tab', { name: '通话记录' }).click();
      const calls = page.getByRole('tabpanel', { name: '通话记录' });
      await bodyRows(calls).filter({ hasText: '呼叫成功' }).first().waitFor({ timeout: 60_000 });
      await screenshot(page, 'dialer-02-calls-1366');
      // 意向等级 A and B: customers who talked with the robot (graded just after their call).
      for (let i = 0; ; i += 1) {
        const ab = await apiCall(context, 'GET', `/api/tasks/${task.id}/calls?grades=A,B&page_size=1`);
        if (ab.total > 0) break;
        assert.ok(i < 150, 'some calls are graded A or B');
        await page.waitForTimeout(200);
      }
      const grades = calls.getByRole('combobox', { name: '意向等级' });
      await grades.click();
      for (const level of ['A', 'B']) await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${level}级`) }).click();
      await page.keyboard.press('Escape');
      await calls.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(
        (el) => {
          const rows = [...el.querySelectorAll('.ant-table-tbody > tr.ant-table-row')];
          return rows.length > 0 && rows.every((r) => /[AB]/.test(r.querySelector('[data-testid=call-grade]')?.textContent ?? '')) && !el.querySelector('.ant-spin-spinning');
        },
        await calls.elementHandle(),
        { timeout: 60_000 },
      );
      const answered = bodyRows(calls).first();
      await answered.getByText('呼叫成功').waitFor();
      await answered.getByRole('button', { name: '详情' }).click();
      const drawer = page.getByTestId('call-drawer');
      await drawer.getByTestId('call-robot').first().waitFor();
      await drawer.getByTestId('call-customer').first().waitFor();
      await drawer.getByText('呼叫过程').waitFor();
      await drawer.getByText('接通时间').waitFor();
      await screenshot(page, 'dialer-03-call-drawer-1366');
      await drawer.getByTestId('call-transcript').scrollIntoViewIfNeeded();
      await screenshot(page, 'dialer-04-call-conversation-1366');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });

      // Filter 呼叫状态 = 无应答: every row is 无应答.
      await calls.getByRole('button', { name: '重置' }).click();
      await calls.getByRole('combobox', { name: '呼叫状态' }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^无应答$/ }).click();
      await page.keyboard.press('Escape');
      await calls.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(
        (el) => {
          const rows = [...el.querySelectorAll('.ant-table-tbody > tr.ant-table-row')];
          return rows.length > 0 && rows.every((r) => r.textContent.includes('无应答')) && !el.querySelector('.ant-spin-spinning');
        },
        await calls.elementHandle(),
      );

      // 暂停 (unless the sped-up task has already finished by itself).
      const pause = page.getByRole('button', { name: '暂停' });
      if (await pause.isVisible()) {
        await pause.click();
        await page.locator('.ant-message').getByText('任务已暂停').waitFor();
      }
      await page.getByRole('heading', { name: task.name }).locator('..').getByText(/^(已暂停|已完成)$/).waitFor();
      await waitStat(page, 'live-in-progress', (n) => n === 0, 30_000);

      // 重呼 on 无应答, with its count from the 电话号码 facets.
      const facets = await apiCall(context, 'GET', `/api/tasks/${task.id}/numbers/facets`);
      const noAnswer = facets.statuses.find((s) => s.code === 'no_answer')?.count ?? 0;
      assert.ok(noAnswer > 0, `some numbers are 无应答: ${JSON.stringify(facets.statuses)}`);
      await page.getByRole('button', { name: '重呼' }).click();
      const dialog = page.getByRole('dialog', { name: `重呼：${task.name}` });
      const box = dialog.getByRole('checkbox', { name: `无应答（${noAnswer}）` });
      await box.check();
      await dialog.getByTestId('redial-total').getByText(`共 ${noAnswer} 个号码`).waitFor();
      assert.equal(await dialog.getByRole('checkbox', { name: /^呼叫成功/ }).count(), 0, '呼叫成功 is not offered');
      await screenshot(page, 'dialer-05-redial-1366');
      await dialog.getByRole('button', { name: '重呼' }).click();
      await dialog.getByText(`已将 ${noAnswer} 个号码加入重呼，启动任务后开始呼叫`).waitFor();
      await screenshot(page, 'dialer-06-redial-done-1366');
      // 启动 from the dialog: the queued numbers are called again (a second attempt); then pause
      // again so that other tests find the line quiet.
      await dialog.getByRole('button', { name: '启动', exact: true }).click();
      await page.locator('.ant-message').getByText('任务已启动').waitFor();
      await dialog.waitFor({ state: 'detached' });
      for (let i = 0; ; i += 1) {
        const again = await apiCall(context, 'GET', `/api/tasks/${task.id}/calls?page_size=100`);
        if (again.items.some((c) => c.attempt >= 2)) break;
        assert.ok(i < 100, 'a redialled number is called again');
        await page.waitForTimeout(200);
      }
      const status = page.getByRole('heading', { name: task.name }).locator('..');
      await pause.or(status.getByText('已完成', { exact: true })).first().waitFor();
      if (await pause.isVisible()) {
        await pause.click();
        await page.locator('.ant-message').getByText('任务已暂停').waitFor();
      }
    });
  });

  it('the admin reads 我的账单 with the calls’ charges and exports it', async () => {
    await withPage('dialer-bills', async (page, context) => {
      await loginAsAdmin(page);
      await openCallCenter(page, '我的账单');
      await page.getByRole('heading', { name: '我的账单' }).waitFor();
      const rows = bodyRows(page);
      await rows.first().waitFor();
      const first = await apiCall(context, 'GET', '/api/bills?page_size=1');
      assert.ok(first.total > 0 && first.total_amount_mfen > 0, JSON.stringify(first));
      const yuan = await page.getByTestId('bills-total-amount').locator('.ant-statistic-content').innerText();
      assert.ok(Number(yuan.replace(/[^\d.]/g, '')) > 0, yuan);
      await rows.first().getByText('模拟线路').waitFor();

      // 任务 filter: 演示任务's charges only.
      await page.getByRole('combobox', { name: '任务' }).click();
      await page.getByRole('combobox', { name: '任务' }).fill(DEMO_TASK);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${DEMO_TASK}$`) }).click();
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForFunction(
        (name) => {
          const trs = [...document.querySelectorAll('.ant-table-tbody > tr.ant-table-row')];
          return trs.length > 0 && trs.every((r) => r.textContent.includes(name)) && !document.querySelector('.ant-spin-spinning');
        },
        DEMO_TASK,
      );
      await screenshot(page, 'dialer-07-bills-1366');

      await page.getByRole('button', { name: '导出' }).click();
      await page.locator('.ant-message').getByText('导出任务已提交，完成后可在通知列表下载').waitFor();
      const started = Date.now();
      const done = await waitNotification(context, (n) => n.title === '账单导出' && Date.parse(n.created_at) >= started - 60_000);
      assert.equal(done.status, 'succeeded', JSON.stringify(done));
      await page.goto(`${config.url}/settings/notifications`);
      await page.getByRole('heading', { name: '通知列表' }).waitFor();
      const note = page.getByRole('row').filter({ hasText: '账单导出' }).first();
      const link = note.getByRole('link', { name: /下载文件/ });
      await link.waitFor();
      const file = await context.request.get(`${config.url}${await link.getAttribute('href')}`);
      assert.equal(file.status(), 200);
      assert.equal((await file.body()).subarray(0, 2).toString(), 'PK', 'an xlsx file');
      await screenshot(page, 'dialer-08-export-notification-1366');
    });
  });
});
