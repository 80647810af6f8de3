// Browser tests of the web console against a running server (VOXDIAL_URL).
// Each test makes its own data with unique names and phone numbers, so the suite can
// run again and again against one server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiCall,
  config,
  loginAsAdmin,
  loginUi,
  memberImportXlsx,
  screenshot,
  sharedBrowser,
  unique,
  uniquePhone,
} from '../lib/harness.mjs';

const { withPage, open } = sharedBrowser();

/** Creates a sub-account through the API as the demo admin; returns its phone. */
async function createMemberViaApi(name, extra = {}) {
  const { context, page } = await open();
  try {
    await loginAsAdmin(page);
    const phone = uniquePhone();
    await apiCall(context, 'POST', '/api/members', { name, phone, ...extra });
    return phone;
  } finally {
    await context.close();
  }
}

describe('Voxdial console', () => {
  it('the demo admin logs in and sees 首页 with the menus', async () => {
    await withPage('admin-home', async (page) => {
      await loginAsAdmin(page);
      assert.equal(new URL(page.url()).pathname, '/');
      const menu = page.getByRole('menu', { name: '主菜单' });
      for (const entry of ['首页', '通讯录', '权限组', '审计日志', '通知列表']) {
        await menu.getByRole('link', { name: entry, exact: true }).waitFor();
      }
      await page.getByText('企业信息').waitFor();
      await page.getByText('快捷入口').waitFor();
      await screenshot(page, '01-home');
    });
  });

  it('a wrong password shows the Chinese error', async () => {
    // A fresh sub-account, so the per-login rate limit of other accounts is not touched.
    const phone = await createMemberViaApi(`错密${unique()}`);
    await withPage('wrong-password', async (page) => {
      await page.goto(`${config.url}/login`);
      await screenshot(page, '02-login');
      await page.getByLabel('手机号/邮箱').fill(phone);
      await page.getByLabel('密码', { exact: true }).fill('WrongPass123');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: '账号或密码错误' });
      await alert.waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      await screenshot(page, '03-login-wrong-password');
    });
  });

  it('creates a department and a sub-account in it', async () => {
    await withPage('department-member', async (page) => {
      await loginAsAdmin(page);
      await page.getByRole('menu', { name: '主菜单' }).getByRole('link', { name: '通讯录', exact: true }).click();
      await page.waitForURL('**/org/contacts');
      const tree = page.getByRole('tree', { name: '部门' });
      await tree.waitFor();

      const dept = `E2E部门${unique()}`;
      await page.getByRole('button', { name: '新建部门', exact: true }).click();
      const deptDialog = page.getByRole('dialog', { name: '新建部门' });
      await deptDialog.getByLabel('部门名称').fill(dept);
      await deptDialog.getByRole('button', { name: '确定', exact: true }).click();
      await deptDialog.waitFor({ state: 'hidden' });
      // The new department is shown in the tree and selected.
      await tree.getByText(dept, { exact: true }).waitFor();
      await page.getByText(`${dept} 的子账户`).waitFor();

      const name = `张E2E${unique().slice(-4)}`;
      const phone = uniquePhone();
      await page.getByRole('button', { name: '新建子账户', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: '新建子账户' });
      await dialog.getByLabel('姓名').fill(name);
      await dialog.getByLabel('手机号').fill(phone);
      await dialog.getByText('留空则为 123456，首次登录需修改').waitFor();
      await screenshot(page, '04-new-member');
      await dialog.getByRole('button', { name: '确定', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });

      const row = page.getByRole('row').filter({ hasText: phone });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, new RegExp(name));
      assert.match(text, new RegExp(dept), 'the member is in the new department');
      assert.match(text, /待改密/, 'the member must change the initial password');
      // The department now counts one member.
      await tree.getByText(dept, { exact: true }).locator('xpath=..').getByText('(1)').waitFor();
      await screenshot(page, '05-department-with-member');
    });
  });

  it('imports sub-accounts from xlsx: 成功 2 / 失败 1 with an error report', async () => {
    await withPage('import', async (page, context) => {
      await loginAsAdmin(page);
      await page.goto(`${config.url}/org/contacts`);
      const s = unique();
      const file = await memberImportXlsx(context, [
        [`导入甲${s}`, uniquePhone(), '', '', ''],
        [`导入乙${s}`, uniquePhone(), '', `b${s}@example.com`, ''],
        [`导入丙${s}`, '12345', '', '', ''], // invalid phone -> rejected with a reason
      ]);

      await page.getByRole('button', { name: '导入子账户', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: '导入子账户' });
      const template = dialog.getByRole('link', { name: /下载导入模板/ });
      assert.equal(await template.getAttribute('href'), '/api/members/import-template');

      // The client refuses anything but .xlsx before uploading.
      await dialog.locator('input[type=file]').setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,手机号') });
      await dialog.getByRole('alert').filter({ hasText: '仅支持 .xlsx 格式' }).waitFor();

      await dialog.locator('input[type=file]').setInputFiles({
        name: `子账户导入${s}.xlsx`,
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: file,
      });
      const accepted = page.waitForResponse((r) => r.url().endsWith('/api/members/import') && r.request().method() === 'POST');
      await dialog.getByRole('button', { name: '开始导入', exact: true }).click();
      const res = await accepted;
      assert.equal(res.status(), 202);
      const { notification_id: nid } = await res.json();
      await dialog.getByText('文件已上传，正在后台导入').waitFor();
      await screenshot(page, '06-import-accepted');

      await dialog.getByRole('link', { name: '前往通知列表查看进度' }).click();
      await page.waitForURL('**/settings/notifications');
      // Live updates arrive over the event stream; no reload.
      const row = page.locator(`tr[data-row-key="${nid}"]`);
      await row.waitFor();
      await row.getByText('成功', { exact: true }).first().waitFor({ timeout: 60_000 });
      assert.equal((await row.getByTestId('success-count').innerText()).trim(), '2');
      assert.equal((await row.getByTestId('fail-count').innerText()).trim(), '1');
      const report = row.getByRole('link', { name: '下载失败明细' });
      await report.waitFor();
      const href = await report.getAttribute('href');
      assert.match(href ?? '', /^\/api\/files\/\d+$/);
      await screenshot(page, '07-import-finished');

      // The error report is a real download of an xlsx.
      const download = await context.request.get(`${config.url}${href}`);
      assert.equal(download.status(), 200);
      const body = await download.body();
      assert.equal(body.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    });
  });

  it('a new sub-account (password left empty) must change the password, then reaches 首页', async () => {
    const name = `新人${unique().slice(-5)}`;
    const phone = await createMemberViaApi(name);
    await withPage('forced-password', async (page) => {
      await loginUi(page, phone, '123456');
      await page.waitForURL('**/password-required');
      await page.getByText('首次登录请修改初始密码').waitFor();
      await screenshot(page, '08-forced-password');

      // Nothing else is reachable until the password is changed.
      await page.goto(`${config.url}/org/contacts`);
      await page.waitForURL('**/password-required');

      await page.getByLabel('原密码').fill('123456');
      await page.getByLabel('新密码', { exact: true }).fill('short');
      await page.getByLabel('确认新密码').fill('short');
      await page.getByRole('button', { name: '修改并进入系统', exact: true }).click();
      await page.getByText('新密码不符合要求').waitFor();
      assert.equal(new URL(page.url()).pathname, '/password-required');

      const newPassword = `Vx${unique()}a`;
      await page.getByLabel('新密码', { exact: true }).fill(newPassword);
      await page.getByLabel('确认新密码').fill(newPassword);
      await page.getByRole('button', { name: '修改并进入系统', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.getByRole('heading', { name: `欢迎，${name}` }).waitFor();
      await screenshot(page, '09-member-home');

      // The new password works for the next login.
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      await page.waitForURL('**/login');
      await loginUi(page, phone, newPassword);
      await page.getByRole('heading', { name: `欢迎，${name}` }).waitFor();
    });
  });

  it('a manager with 权限组 rights cannot edit the default group, and the console says why', async () => {
    const { context, page: adminPage } = await open();
    let phone;
    try {
      await loginAsAdmin(adminPage);
      const departments = await apiCall(context, 'GET', '/api/departments');
      const management = departments.find((d) => d.name === '管理层');
      assert.ok(management, `管理层 listed: ${JSON.stringify(departments)}`);
      phone = uniquePhone();
      await apiCall(context, 'POST', '/api/members', { name: `主管${unique().slice(-5)}`, phone, department_id: management.id });
    } finally {
      await context.close();
    }
    await withPage('default-group-owner-only', async (page) => {
      await loginUi(page, phone, '123456');
      await page.waitForURL('**/password-required');
      const password = `Vx${unique()}a`;
      await page.getByLabel('原密码').fill('123456');
      await page.getByLabel('新密码', { exact: true }).fill(password);
      await page.getByLabel('确认新密码').fill(password);
      await page.getByRole('button', { name: '修改并进入系统', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(`${config.url}/org/groups`);
      const defaultRow = page.getByRole('row').filter({ hasText: '默认权限组' });
      const edit = defaultRow.getByRole('button', { name: '编辑' });
      await edit.waitFor();
      assert.equal(await edit.isDisabled(), true, 'the default group is the owner\'s to change');
      assert.equal(await edit.getAttribute('title'), '默认权限组对全企业生效，只有企业所有者可以修改');
      const managers = page.getByRole('row').filter({ hasText: '部门主管' }).getByRole('button', { name: '编辑' });
      assert.equal(await managers.isDisabled(), false, 'other groups stay editable');
      await screenshot(page, '10-default-group-owner-only');
    });
  });

  it('works at phone width: the side menu becomes a drawer', async () => {
    await withPage(
      'mobile',
      async (page) => {
        await loginAsAdmin(page);
        assert.equal(await page.getByRole('menu', { name: '主菜单' }).count(), 0, 'no side menu on a phone');
        await page.getByRole('button', { name: '展开/收起菜单' }).click();
        const menu = page.getByRole('menu', { name: '主菜单' });
        await menu.getByRole('link', { name: '通讯录', exact: true }).click();
        await page.waitForURL('**/org/contacts');
        await page.getByRole('button', { name: '新建子账户', exact: true }).waitFor();
        await screenshot(page, '10-mobile-contacts');
      },
      { width: 390, height: 844 },
    );
  });
});
