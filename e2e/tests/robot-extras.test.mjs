// AI机器人中心, the newer screens: 用户标签 (the tag library and the script node's tag select),
// 大模型外呼 (a robot answered by a fake OpenAI-compatible model started by this test) and
// sharing a script with a colleague.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { apiCall, loginAsAdmin, screenshot, sharedBrowser, unique } from '../lib/harness.mjs';

const { withPage } = sharedBrowser();

/**
 * A tiny OpenAI-compatible chat-completion server on 127.0.0.1: it answers every
 * POST /v1/chat/completions with a line that repeats the customer's last words.
 */
function startFakeModel() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      requests.push({ body, authorization: req.headers.authorization });
      const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';
      const content = `您刚才说“${last}”。体验课是免费的，这周六上午还有名额，给孩子约一节好吗？`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
        }),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, requests }));
  });
}

let fake;
before(async () => {
  fake = await startFakeModel();
});
after(async () => {
  fake?.server.closeAllConnections();
  await new Promise((r) => fake?.server.close(r) ?? r());
});

/** Picks `text` in an AntD select: opens it, types to search, clicks the matching option. */
async function choose(page, combobox, text) {
  await combobox.click();
  await combobox.fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

describe('AI机器人中心: 用户标签, 大模型外呼, 分享', () => {
  it('the admin sees the demo tag groups, adds a group and a tag, and picks tags on a script node', async () => {
    await withPage('robot-tags', async (page) => {
      await loginAsAdmin(page);
      const menu = page.getByRole('menu', { name: '主菜单' });
      await menu.getByRole('link', { name: '用户标签', exact: true }).click();
      await page.getByRole('heading', { name: '用户标签' }).waitFor();

      const groups = page.getByTestId('tag-groups');
      const tags = page.getByTestId('tag-list');
      await groups.getByRole('row').filter({ hasText: '跟进状态' }).waitFor();
      await groups.getByRole('row').filter({ hasText: '客户意向' }).click();
      await tags.getByText('“客户意向”的标签').waitFor();
      await tags.getByRole('cell', { name: '关注价格', exact: true }).waitFor();
      await tags.getByRole('cell', { name: '预约体验课', exact: true }).waitFor();
      await screenshot(page, 'robot-extras-01-tag-library');

      // A new group: it is selected at once and has no tags yet.
      const group = `回访结果${unique()}`;
      await groups.getByRole('button', { name: '新增分组' }).click();
      const groupDialog = page.getByRole('dialog', { name: '新增分组' });
      await groupDialog.getByLabel('分组名称').fill(group);
      await groupDialog.getByRole('button', { name: '确定', exact: true }).click();
      await page.locator('.ant-message').getByText('分组已添加').waitFor();
      await groupDialog.waitFor({ state: 'hidden' });
      await groups.getByRole('row').filter({ hasText: group }).waitFor();
      await tags.getByText(`“${group}”的标签`).waitFor();
      await tags.getByText('该分组还没有标签').waitFor();

      // A tag in it.
      const tag = `已加微信${unique().slice(-4)}`;
      await tags.getByRole('button', { name: '新增标签' }).click();
      const tagDialog = page.getByRole('dialog', { name: '新增标签' });
      await tagDialog.getByLabel('标签名称').fill(tag);
      await tagDialog.getByRole('button', { name: '确定', exact: true }).click();
      await page.locator('.ant-message').getByText('标签已添加').waitFor();
      await tags.getByRole('cell', { name: tag, exact: true }).waitFor();
      assert.equal(await groups.getByRole('row').filter({ hasText: group }).innerText().then((t) => t.replace(/\s+/g, ' ').trim()), `${group} 1`);

      // The demo script's node drawer offers the library's tags.
      await menu.getByRole('link', { name: 'AI语音机器人', exact: true }).click();
      await page.getByRole('heading', { name: 'AI语音机器人' }).waitFor();
      const demo = page.getByRole('row').filter({ hasText: '示例话术' }).filter({ hasNotText: '来自' }).first();
      await demo.getByRole('link', { name: /少儿编程.*邀约/ }).click();
      await page.waitForURL(/\/robot\/scripts\/\d+$/);
      await page.getByTestId('flow-canvas').getByText('报价', { exact: true }).click();
      const drawer = page.locator('.ant-drawer').filter({ hasText: '编辑节点' });
      const tagSelect = drawer.getByRole('combobox', { name: '用户标签' });
      await tagSelect.waitFor();
      await tagSelect.click();
      const dropdown = page.locator('.ant-select-dropdown:visible');
      // The options come in the library's groups.
      await dropdown.locator('.ant-select-item-group').filter({ hasText: '客户意向' }).waitFor();
      await dropdown.locator('.ant-select-item-option-selected').filter({ hasText: '关注价格' }).waitFor();
      await screenshot(page, 'robot-extras-04-node-tags');
      await tagSelect.fill(tag);
      await dropdown.locator('.ant-select-item-option').filter({ hasText: tag }).waitFor();
      await dropdown.locator('.ant-select-item-group').filter({ hasText: group }).waitFor();
    });
  });

  it('the admin creates an LLM robot from the defaults and chats with it through a fake model', async () => {
    await withPage('robot-llm', async (page, context) => {
      await loginAsAdmin(page);
      const modelName = `测试模型${unique()}`;
      await apiCall(context, 'POST', '/api/llm-models', {
        name: modelName,
        base_url: `http://127.0.0.1:${fake.port}/v1`,
        model: 'fake',
        api_key: 'sk-test',
      });

      const menu = page.getByRole('menu', { name: '主菜单' });
      await menu.getByRole('link', { name: '大模型外呼', exact: true }).click();
      await page.getByRole('heading', { name: '大模型外呼' }).waitFor();
      await page.getByRole('button', { name: '新建大模型机器人' }).click();
      await page.waitForURL(/\/robot\/llm-robots\/new$/);

      // The form starts from the defaults; the test chat waits for the first save.
      const opening = page.getByRole('textbox', { name: /开场白$/ });
      await opening.waitFor();
      assert.match(await opening.inputValue(), /\$\{姓名\}您好/);
      assert.ok((await page.getByRole('textbox', { name: /角色与目标$/ }).inputValue()).length > 20, 'the prompt is prefilled');
      assert.ok((await page.getByRole('textbox', { name: /兜底话术$/ }).inputValue()).length > 0, 'the fallback line is prefilled');
      await page.getByTestId('llm-chat-panel').getByText('保存后即可测试对话').waitFor();

      const name = `体验课邀约${unique()}`;
      await page.getByLabel('名称', { exact: true }).fill(name);
      await choose(page, page.getByRole('combobox', { name: 'AI对话模型' }), modelName);
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.locator('.ant-message').getByText('已创建').waitFor();
      await page.waitForURL(/\/robot\/llm-robots\/\d+$/);
      await page.getByRole('heading', { name }).waitFor();

      const chat = page.getByTestId('llm-chat-panel');
      await chat.getByLabel('姓名').fill('王先生');
      await chat.getByRole('button', { name: '开始对话' }).click();
      await chat.getByTestId('llm-chat-robot').filter({ hasText: '王先生您好' }).waitFor();
      assert.equal(fake.requests.length, 0, 'the opening line does not ask the model');

      const line = '体验课收费吗？孩子今年八岁';
      const input = chat.getByPlaceholder('以客户身份输入，回车发送');
      await input.fill(line);
      await input.press('Enter');
      await chat.getByTestId('llm-chat-customer').filter({ hasText: line }).waitFor();
      const answer = chat.getByTestId('llm-chat-robot').filter({ hasText: `您刚才说` });
      await answer.waitFor();
      assert.match(await answer.innerText(), new RegExp(line.replace(/[?？]/g, '.')));
      await chat.getByTestId('llm-chat-meta').filter({ hasText: '10 Tokens' }).waitFor();
      await chat.getByTestId('llm-chat-tokens').filter({ hasText: '共消耗 10 Tokens' }).waitFor();
      assert.equal(await chat.getByTestId('llm-chat-model-error').count(), 0);
      assert.equal(await input.inputValue(), '', 'the input is cleared after sending');

      assert.equal(fake.requests.length, 1);
      const sent = fake.requests[0];
      assert.equal(sent.body.model, 'fake');
      assert.equal(sent.authorization, 'Bearer sk-test');
      assert.ok(sent.body.messages.some((m) => m.role === 'system'), 'the prompt goes as the system message');
      await screenshot(page, 'robot-extras-02-llm-chat');

      // The list shows the robot with its model.
      await page.getByRole('button', { name: '返回列表' }).click();
      await page.getByRole('heading', { name: '大模型外呼' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.getByRole('cell', { name: `${modelName}`, exact: true }).waitFor();
    });
  });

  it('the admin shares the demo script with 王芳, whose copy shows under 全部', async () => {
    await withPage('robot-share', async (page) => {
      await loginAsAdmin(page);
      const menu = page.getByRole('menu', { name: '主菜单' });
      await menu.getByRole('link', { name: 'AI语音机器人', exact: true }).click();
      await page.getByRole('heading', { name: 'AI语音机器人' }).waitFor();
      await page.locator('.ant-segmented-item-selected').getByText('全部', { exact: true }).waitFor();

      const demo = page.getByRole('row').filter({ hasText: '示例话术' }).filter({ hasNotText: '来自' }).first();
      await demo.waitFor();
      const copiesOfWang = page.getByRole('row').filter({ hasText: '（来自 ' }).filter({ has: page.getByRole('cell', { name: '王芳', exact: true }) });
      const before = await copiesOfWang.count();

      await demo.getByRole('button', { name: '分享', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: /^分享话术/ });
      await dialog.waitFor();
      await dialog.getByText('每位成员会收到一份话术草稿的副本').waitFor();
      const share = dialog.getByRole('button', { name: '分享', exact: true });
      assert.equal(await share.isDisabled(), true, 'nothing to share before a member is chosen');
      await choose(page, dialog.getByRole('combobox', { name: '分享给' }), '王芳');
      await dialog.locator('.ant-select-selection-item').filter({ hasText: '王芳' }).waitFor();
      // Close the dropdown (it covers the buttons) as a user would, by clicking beside it.
      await dialog.getByText('每位成员会收到一份话术草稿的副本').click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      await screenshot(page, 'robot-extras-03-share-modal');
      await share.click();

      await page.locator('.ant-message').getByText('已分享给 1 位成员').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      // The copy shows without reloading the page.
      await page.waitForFunction(
        (n) =>
          [...document.querySelectorAll('.ant-table-row')].filter((r) => r.textContent.includes('（来自 ') && [...r.cells].some((c) => c.textContent.trim() === '王芳')).length === n,
        before + 1,
      );
      const copy = copiesOfWang.first();
      assert.match(await copy.innerText(), /少儿编程.*邀约（来自 演示管理员）/);
      assert.match(await copy.innerText(), /未发布/);
      await screenshot(page, 'robot-extras-05-scripts-shared');
    });
  });
});
