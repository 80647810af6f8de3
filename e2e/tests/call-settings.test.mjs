// 呼叫中台 → 呼叫设置 → 其他: the call timing form (range errors, save, reload, 恢复默认).
// Needs no model server: only the timing tab is driven here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, config, loginAsAdmin, screenshot, sharedBrowser } from '../lib/harness.mjs';

const { withPage } = sharedBrowser();

describe('呼叫设置', () => {
  it('the demo admin changes 最大停顿时间 (out of range first), saves, reloads and restores the defaults', async () => {
    await withPage('call-settings', async (page, context) => {
      await loginAsAdmin(page);
      const { defaults } = await apiCall(context, 'GET', '/api/call-settings');

      const menu = page.getByRole('menu', { name: '主菜单' });
      await menu.getByText('呼叫中台', { exact: true }).waitFor();
      await menu.getByRole('link', { name: '呼叫设置', exact: true }).click();
      await page.getByRole('heading', { name: '呼叫设置' }).waitFor();
      await page.getByRole('tab', { name: '大模型通话质检' }).waitFor();
      await page.getByText('大模型配置', { exact: true }).waitFor();
      await page.getByText('质检条件', { exact: true }).first().waitFor();
      await page.getByRole('tab', { name: '其他' }).click();

      const pause = page.getByLabel('最大停顿时间');
      await pause.waitFor();
      await page.getByText('超出此时间机器人认为一句话讲完了').waitFor();

      // Out of range: the Chinese error shows on the field and nothing is saved.
      await pause.fill('9000');
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('最大停顿时间应为 200 到 5000 毫秒').waitFor();
      await screenshot(page, 'call-settings-01-range-error');
      assert.equal((await apiCall(context, 'GET', '/api/call-settings')).timing.max_pause_ms !== 9000, true);

      // A valid value (differs from the default) is saved and kept after a reload.
      const value = defaults.max_pause_ms === 1200 ? 1300 : 1200;
      await pause.fill(String(value));
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('已保存').first().waitFor();
      assert.equal((await apiCall(context, 'GET', '/api/call-settings')).timing.max_pause_ms, value);

      await page.reload();
      await page.getByRole('tab', { name: '其他', selected: true }).waitFor();
      const pauseAfter = page.getByLabel('最大停顿时间');
      await page.waitForFunction(
        (v) => document.querySelector('#call-timing_max_pause_ms')?.value === String(v),
        value,
      );
      assert.equal(await pauseAfter.inputValue(), String(value));
      await screenshot(page, 'call-settings-02-saved');

      // 恢复默认 fills the defaults; saving applies them.
      await page.getByRole('button', { name: /恢复默认/ }).click();
      assert.equal(await pauseAfter.inputValue(), String(defaults.max_pause_ms));
      assert.equal(await page.getByLabel('振铃超时').inputValue(), String(defaults.ring_timeout_seconds));
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.waitForFunction(async () => {
        const r = await fetch('/api/call-settings');
        const d = await r.json();
        return JSON.stringify(d.timing) === JSON.stringify(d.defaults);
      });
      const after = await apiCall(context, 'GET', '/api/call-settings');
      assert.deepEqual(after.timing, after.defaults);
    });
  });

  it('is usable at phone width', async () => {
    await withPage('call-settings-mobile', async (page) => {
      await loginAsAdmin(page);
      await page.goto(`${config.url}/call-center/settings?tab=other`);
      await page.getByLabel('最大停顿时间').waitFor();
      await page.getByRole('button', { name: /恢复默认/ }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal page scroll (${overflow}px)`);
      await screenshot(page, 'call-settings-03-mobile');
    }, { width: 390, height: 844 });
  });
});
