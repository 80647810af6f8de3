// AI机器人中心: the demo script's flow and a test chat that reaches an intent level.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loginAsAdmin, screenshot, sharedBrowser } from '../lib/harness.mjs';

const { withPage } = sharedBrowser();

describe('AI机器人中心', () => {
  it('the demo admin opens the demo script, sees its flow and chats to an intent level', async () => {
    await withPage('robot-chat', async (page) => {
      await loginAsAdmin(page);
      const menu = page.getByRole('menu', { name: '主菜单' });
      await menu.getByRole('link', { name: 'AI语音机器人', exact: true }).click();
      await page.getByRole('heading', { name: 'AI语音机器人' }).waitFor();
      // The demo script (its description starts with 示例话术; copies made by other runs have none,
      // and shared copies keep it but are named …（来自 …）).
      const row = page.getByRole('row').filter({ hasText: /少儿编程.*邀约/ }).filter({ hasText: '示例话术' }).filter({ hasNotText: '来自' }).first();
      await row.waitFor();
      await screenshot(page, 'robot-01-scripts');

      await row.getByRole('link', { name: /少儿编程.*邀约/ }).click();
      await page.waitForURL(/\/robot\/scripts\/\d+$/);
      // The flow: the opening node marked 开场, other nodes and labelled edges.
      const open = page.getByTestId('flow-node-open');
      await open.waitFor();
      await open.getByText('开场', { exact: true }).waitFor();
      await page.getByTestId('flow-canvas').getByText('报价', { exact: true }).waitFor();
      assert.ok((await page.locator('.react-flow__edge').count()) >= 5, 'the branches are drawn');
      await page.locator('.react-flow__edge-text').filter({ hasText: '询问价格' }).first().waitFor();
      await screenshot(page, 'robot-02-editor');

      // Test chat as the customer.
      const chat = page.getByTestId('chat-panel');
      await chat.getByLabel('姓名').fill('王先生');
      const input = chat.getByPlaceholder('以客户身份输入，回车发送');
      await input.fill('多少钱');
      await input.press('Enter');
      await chat.getByTestId('chat-robot').filter({ hasText: '王先生您好' }).waitFor();
      await chat.getByTestId('chat-robot').filter({ hasText: '体验课完全免费' }).waitFor();
      await chat.getByTestId('chat-meta').filter({ hasText: '询问价格' }).waitFor();
      await input.fill('可以');
      await input.press('Enter');
      const grade = chat.getByTestId('chat-grade');
      await grade.waitFor();
      await grade.getByText(/^[A-F]级/).waitFor();
      assert.match(await grade.innerText(), /A级\(较强意向\)/);
      assert.equal(await chat.getByTestId('chat-customer').count(), 2);
      await screenshot(page, 'robot-03-chat');

      // 重新开始 clears the conversation.
      await chat.getByRole('button', { name: '重新开始' }).click();
      assert.equal(await chat.getByTestId('chat-robot').count(), 0);

      // The grading rules page.
      await menu.getByRole('link', { name: '意向等级规则', exact: true }).click();
      await page.getByRole('heading', { name: '意向等级规则' }).waitFor();
      await page.getByTestId('grading-rule').first().waitFor();
      await screenshot(page, 'robot-04-grading');
    });
  });
});
