import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n';
import GroupList, { type GroupItem, type GroupListProps } from './GroupList';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const items: GroupItem[] = [
  { id: 0, name: '全部分组', count: 3, fixed: true },
  { id: 1, name: '默认分组', count: 2, isDefault: true },
  { id: 2, name: '老客户', count: 1 },
];

type Saved = { id: number; name: string };

interface Spies {
  onSelect: Mock<(id: number) => void>;
  save: Mock<(g: GroupItem | null, name: string) => Promise<Saved>>;
  onSaved: Mock<(g: Saved) => void>;
  remove: Mock<(g: GroupItem) => Promise<unknown>>;
  onRemoved: Mock<(g: GroupItem) => void>;
}

function Harness({ spies, canManage }: { spies: Spies; canManage: boolean }) {
  const [selected, setSelected] = useState<number | null>(0);
  const props: GroupListProps<Saved> = {
    testId: 'groups',
    items,
    selectedId: selected,
    onSelect: (id) => {
      spies.onSelect(id);
      setSelected(id);
    },
    canManage,
    labels: {
      title: '黑名单分组',
      add: '新增分组',
      rename: '重命名分组',
      remove: '删除分组',
      name: '分组名称',
      created: '分组已添加',
      defaultTag: '默认',
      deleteTitle: (g) => `确定删除分组“${g.name}”吗？`,
      deleteBody: (g) => `其中的 ${g.count} 个号码一并删除`,
    },
    formName: 'test-group',
    nameMax: 30,
    nameRules: [{ required: true, whitespace: true, message: '请输入分组名称' }],
    save: spies.save,
    onSaved: spies.onSaved,
    remove: spies.remove,
    onRemoved: spies.onRemoved,
    errText: (e) => String(e),
  };
  return <GroupList<Saved> {...props} />;
}

let root: Root;
let host: HTMLElement;
let spies: Spies;

async function render(canManage = true) {
  await act(async () => {
    root.render(
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider initial="zh">
          <App>
            <Harness spies={spies} canManage={canManage} />
          </App>
        </I18nProvider>
      </QueryClientProvider>,
    );
  });
}

/** Retries `check` until it stops throwing (forms validate and mutations settle asynchronously). */
async function waitFor<T>(check: () => T): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      return check();
    } catch (e) {
      last = e;
      await act(() => new Promise((r) => setTimeout(r, 20)));
    }
  }
  throw last;
}

const list = () => host.querySelector<HTMLElement>('[data-testid="groups"]')!;
const rows = () => [...list().querySelectorAll<HTMLElement>('tbody tr')].filter((r) => r.dataset.rowKey != null);
const row = (name: string) => {
  const r = rows().find((x) => x.textContent?.includes(name));
  if (!r) throw new Error(`no row ${name}`);
  return r;
};
const buttonIn = (el: ParentNode, name: string) => {
  const b = [...el.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.getAttribute('aria-label') === name || x.textContent?.replace(/\s+/g, '') === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const dialog = (title: string) => {
  const d = [...document.querySelectorAll<HTMLElement>('[role="dialog"]')].find((x) => x.textContent?.includes(title));
  if (!d) throw new Error(`no dialog ${title}`);
  return d;
};
const click = (el: HTMLElement) => act(async () => el.click());

async function typeInto(input: HTMLInputElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  spies = {
    onSelect: vi.fn(),
    save: vi.fn(async (g: GroupItem | null, name: string) => ({ id: g?.id ?? 9, name })),
    onSaved: vi.fn(),
    remove: vi.fn(async () => undefined),
    onRemoved: vi.fn(),
  };
});

afterEach(async () => {
  await act(async () => root.unmount());
  document.body.innerHTML = '';
});

describe('GroupList', () => {
  it('lists the groups with their counts, the default tag and the actions each may have', async () => {
    await render();
    expect(list().textContent).toContain('黑名单分组');
    expect(rows().map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['全部分组3', '默认分组默认2', '老客户1']);
    expect(row('全部分组').querySelectorAll('button')).toHaveLength(0);
    expect(buttonIn(row('默认分组'), '重命名分组')).toBeTruthy();
    expect(() => buttonIn(row('默认分组'), '删除分组')).toThrow();
    expect(buttonIn(row('老客户'), '删除分组')).toBeTruthy();
    expect(row('全部分组').querySelector<HTMLInputElement>('input[type="radio"]')!.checked).toBe(true);
  });

  it('shows no add, rename or delete without the right', async () => {
    await render(false);
    expect(list().querySelectorAll('button')).toHaveLength(0);
  });

  it('selects a group by clicking its row', async () => {
    await render();
    await click(row('老客户'));
    expect(spies.onSelect).toHaveBeenCalledWith(2);
    expect(row('老客户').querySelector<HTMLInputElement>('input[type="radio"]')!.checked).toBe(true);
    expect(row('全部分组').querySelector<HTMLInputElement>('input[type="radio"]')!.checked).toBe(false);
  });

  it('creates a group and selects it', async () => {
    await render();
    await click(buttonIn(list(), '新增分组'));
    const d = await waitFor(() => dialog('新增分组'));
    const input = d.querySelector<HTMLInputElement>('input')!;
    expect(input.value).toBe('');
    await click(buttonIn(d, '确定'));
    await waitFor(() => expect(d.textContent).toContain('请输入分组名称'));
    expect(spies.save).not.toHaveBeenCalled();

    await typeInto(input, '  新客户 ');
    await click(buttonIn(d, '确定'));
    await waitFor(() => expect(spies.onSaved).toHaveBeenCalledWith({ id: 9, name: '新客户' }));
    expect(spies.save).toHaveBeenCalledWith(null, '新客户');
    expect(spies.onSelect).toHaveBeenLastCalledWith(9);
    await waitFor(() => expect(document.body.textContent).toContain('分组已添加'));
  });

  it('renames a group from its row without selecting it', async () => {
    await render();
    await click(buttonIn(row('老客户'), '重命名分组'));
    expect(spies.onSelect).not.toHaveBeenCalled();
    const d = await waitFor(() => dialog('重命名分组'));
    const input = d.querySelector<HTMLInputElement>('input')!;
    expect(input.value).toBe('老客户');
    await typeInto(input, '老客户A');
    await click(buttonIn(d, '确定'));
    await waitFor(() => expect(spies.onSaved).toHaveBeenCalledWith({ id: 2, name: '老客户A' }));
    expect(spies.save).toHaveBeenCalledWith(items[2], '老客户A');
    await waitFor(() => expect(document.body.textContent).toContain('已保存'));
  });

  it('deletes a group once confirmed', async () => {
    await render();
    await click(buttonIn(row('老客户'), '删除分组'));
    expect(spies.onSelect).not.toHaveBeenCalled();
    const d = await waitFor(() => dialog('确定删除分组“老客户”吗？'));
    expect(d.textContent).toContain('其中的 1 个号码一并删除');
    expect(spies.remove).not.toHaveBeenCalled();
    await click(buttonIn(d, '删除'));
    await waitFor(() => expect(spies.onRemoved).toHaveBeenCalledWith(items[2]));
    expect(spies.remove).toHaveBeenCalledWith(items[2]);
    await waitFor(() => expect(document.body.textContent).toContain('已删除'));
  });
});
