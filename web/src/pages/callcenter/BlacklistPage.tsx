// 呼叫中台 → 黑名单: numbers tasks never call. Groups on the left (the default group holds
// everything not put elsewhere), the entries on the right with filters, paging, 全选 (every
// entry matching the filter), batch delete / move, add, xlsx import and export.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Input, Row, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DeleteOutlined, DownloadOutlined, ImportOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import {
  BLACKLIST_KEY,
  blacklistExportUrl,
  useBlacklist,
  useBlacklistGroups,
  type BlacklistEntry,
  type BlacklistFilter,
  type BlacklistGroup,
} from '../../api/calling';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, useConfirmDelete } from '../../components/common';
import GroupList, { type GroupItem } from '../../components/GroupList';
import { accessOf, can } from '../../access';
import { fmtTime } from '../../lib/format';
import { NO_SELECTION, SELECT_ALL, canOfferSelectAll, checkedKeys, onTableChange, selectedCount, selectionTarget, type RowSelection } from '../../lib/selection';
import { BL_GROUP_NAME_MAX, BlAddModal, BlImportModal, BlMoveModal, useBlErrText } from './BlacklistModals';

export const canManageBlacklist = can('blacklist.manage');

/** Pseudo group id of "all groups" in the left list. */
const ALL = 0;

export default function BlacklistPage() {
  const me = useMember();
  const mobile = useIsMobile();
  const canManage = canManageBlacklist(accessOf(me));
  const { t } = useI18n();
  const errText = useBlErrText();
  const { message } = App.useApp();
  const confirmRemove = useConfirmDelete();
  const qc = useQueryClient();
  const groupsQ = useBlacklistGroups();
  const groups = useMemo(() => groupsQ.data ?? [], [groupsQ.data]);

  const [groupSel, setGroupSel] = useState<number>(ALL);
  const [search, setSearch] = useState('');
  const [phone, setPhone] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [includeExpired, setIncludeExpired] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [selection, setSelection] = useState<RowSelection>(NO_SELECTION);
  const [adding, setAdding] = useState(false);
  const [moving, setMoving] = useState(false);
  const [importing, setImporting] = useState(false);

  // A deleted group falls back to "all".
  const groupId = groupSel !== ALL && groups.some((g) => g.id === groupSel) ? groupSel : ALL;
  const group = groups.find((g) => g.id === groupId) ?? null;

  const filter: BlacklistFilter = useMemo(
    () => ({
      group_id: groupId === ALL ? undefined : groupId,
      phone: phone || undefined,
      created_from: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
      created_to: range?.[1] ? range[1].endOf('day').toISOString() : undefined,
      include_expired: includeExpired,
    }),
    [groupId, phone, range, includeExpired],
  );
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    setPage(1);
    setSelection(NO_SELECTION);
  }, [filterKey]);

  const list = useBlacklist({ ...filter, page, page_size: pageSize });
  const total = list.data?.total ?? 0;
  const rows = list.data?.items ?? [];
  const pageIds = rows.map((r) => r.id);
  const count = selectedCount(selection, total);
  const refresh = () => qc.invalidateQueries({ queryKey: [BLACKLIST_KEY] });

  const removeEntries = useMutation({
    mutationFn: (body: { ids: number[] } | { filter: BlacklistFilter }) => api.post<{ deleted: number }>('/api/blacklist/delete', body),
    onSuccess: (r) => {
      message.success(t('bl.deletedN', { n: r?.deleted ?? 0 }));
      setSelection(NO_SELECTION);
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

  const confirmDelete = (body: { ids: number[] } | { filter: BlacklistFilter }, n: number) =>
    confirmRemove({ title: t('bl.deleteTitle', { n }), content: t('bl.deleteBody'), onOk: () => removeEntries.mutateAsync(body) });

  const columns: TableColumnsType<BlacklistEntry> = [
    {
      title: t('bl.phone'),
      dataIndex: 'phone',
      width: 150,
      render: (p: string, e) => (
        <Space size={4}>
          <span style={e.expired ? { color: 'rgba(0,0,0,.45)' } : undefined}>{p}</span>
          {e.expired && <Tag>{t('bl.expired')}</Tag>}
        </Space>
      ),
    },
    { title: t('bl.group'), dataIndex: 'group_name', width: 120, ellipsis: true },
    // The note takes the width left over, never less than a few words.
    { title: t('bl.note'), dataIndex: 'note', minWidth: 120, ellipsis: true, render: (n: string) => n || '-' },
    { title: t('bl.expiresAt'), dataIndex: 'expires_at', width: 160, render: (v: string | null) => (v ? fmtTime(v) : t('bl.never')) },
    { title: t('bl.createdAt'), dataIndex: 'created_at', width: 160, render: fmtTime },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 70,
            render: (_: unknown, e: BlacklistEntry) => (
              <Button type="link" size="small" danger onClick={() => confirmDelete({ ids: [e.id] }, 1)}>
                {t('common.delete')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const totalEntries = groups.reduce((n, g) => n + g.entry_count, 0);
  const groupRows: GroupItem[] = [
    { id: ALL, name: t('bl.allGroups'), count: totalEntries, fixed: true },
    ...groups.map((g) => ({ id: g.id, name: g.name, count: g.entry_count, isDefault: g.is_default })),
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {canManage && (
              <Button icon={<ImportOutlined aria-hidden />} onClick={() => setImporting(true)} disabled={groups.length === 0}>
                {t('bl.import')}
              </Button>
            )}
            <Button icon={<DownloadOutlined aria-hidden />} href={blacklistExportUrl(filter)} download>
              {t('bl.export')}
            </Button>
          </Space>
        }
      >
        {t('menu.blacklist')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('bl.intro')}</Typography.Paragraph>
      {groupsQ.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errText(groupsQ.error)} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8} lg={6}>
          <GroupList<BlacklistGroup>
            testId="blacklist-groups"
            items={groupRows}
            selectedId={groupId}
            onSelect={setGroupSel}
            loading={groupsQ.isLoading}
            canManage={canManage}
            labels={{
              title: t('bl.groups'),
              add: t('bl.addGroup'),
              rename: t('bl.renameGroup'),
              remove: t('bl.deleteGroup'),
              name: t('bl.groupName'),
              created: t('bl.groupCreated'),
              defaultTag: t('bl.default'),
              deleteTitle: (g) => t('bl.deleteGroupTitle', { name: g.name }),
              deleteBody: (g) => t('bl.deleteGroupBody', { n: g.count }),
            }}
            formName="blacklist-group"
            nameMax={BL_GROUP_NAME_MAX}
            nameRules={[{ required: true, whitespace: true, message: t('bl.groupNameRequired') }]}
            save={(g, name) => (g ? api.put<BlacklistGroup>(`/api/blacklist/groups/${g.id}`, { name }) : api.post<BlacklistGroup>('/api/blacklist/groups', { name }))}
            onSaved={() => void refresh()}
            remove={(g) => api.del(`/api/blacklist/groups/${g.id}`)}
            onRemoved={() => void refresh()}
            errText={errText}
            nameWidth={130}
            countWidth={48}
          />
        </Col>
        <Col xs={24} md={16} lg={18}>
          <Card
            size="small"
            title={group ? t('bl.entriesOf', { name: group.name }) : t('bl.allEntries')}
            extra={
              canManage && (
                <Button type="primary" size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)} disabled={groups.length === 0}>
                  {t('bl.addPhone')}
                </Button>
              )
            }
            data-testid="blacklist-entries"
          >
            <div className="vx-toolbar">
              <Input.Search
                allowClear
                placeholder={t('bl.searchPhone')}
                aria-label={t('bl.searchPhone')}
                value={search}
                onChange={(e) => {
                  setSearch(e.target.value);
                  if (!e.target.value) setPhone('');
                }}
                onSearch={(v) => setPhone(v.trim())}
                style={{ width: 200 }}
              />
              <DatePicker.RangePicker
                aria-label={t('bl.createdAt')}
                placeholder={[t('bl.createdFrom'), t('bl.createdTo')]}
                value={range}
                onChange={(v) => setRange(v)}
                allowEmpty={[true, true]}
              />
              <Checkbox checked={includeExpired} onChange={(e) => setIncludeExpired(e.target.checked)}>
                {t('bl.showExpired')}
              </Checkbox>
            </div>
            {canManage && (
              <div className="vx-toolbar" data-testid="blacklist-selection">
                <Checkbox
                  checked={selection.all && total > 0}
                  indeterminate={!selection.all && selection.ids.length > 0}
                  disabled={total === 0}
                  onChange={(e) => setSelection(e.target.checked ? SELECT_ALL : NO_SELECTION)}
                >
                  {t('bl.selectAll')}
                </Checkbox>
                {count > 0 && (
                  <Typography.Text>{selection.all ? t('bl.selectedAll', { n: total }) : t('bl.selectedN', { n: count })}</Typography.Text>
                )}
                {canOfferSelectAll(selection, total) && (
                  <Button type="link" size="small" onClick={() => setSelection(SELECT_ALL)}>
                    {t('bl.selectAllN', { n: total })}
                  </Button>
                )}
                {count > 0 && (
                  <Button type="link" size="small" onClick={() => setSelection(NO_SELECTION)}>
                    {t('bl.clearSelection')}
                  </Button>
                )}
                <div style={{ flex: 1 }} />
                <Button icon={<SwapOutlined aria-hidden />} disabled={count === 0} onClick={() => setMoving(true)}>
                  {t('bl.moveTo')}
                </Button>
                <Button danger icon={<DeleteOutlined aria-hidden />} disabled={count === 0} onClick={() => confirmDelete(selectionTarget(selection, filter), count)}>
                  {t('bl.batchDelete')}
                </Button>
              </div>
            )}
            <Table<BlacklistEntry>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={rows}
              loading={list.isFetching}
              scroll={mobile ? { x: 'max-content' } : undefined}
              locale={{ emptyText: list.error ? errText(list.error) : t('bl.none') }}
              rowSelection={
                canManage
                  ? {
                      selectedRowKeys: checkedKeys(selection, pageIds),
                      preserveSelectedRowKeys: true,
                      onChange: (keys) => setSelection((s) => onTableChange(s, keys as number[], pageIds)),
                      columnWidth: 40,
                    }
                  : undefined
              }
              pagination={{
                current: page,
                pageSize,
                total,
                showSizeChanger: true,
                showTotal: (n) => t('common.total', { n }),
                onChange: (p, s) => {
                  setPage(p);
                  setPageSize(s);
                },
              }}
            />
          </Card>
        </Col>
      </Row>
      {adding && <BlAddModal groups={groups} groupId={group?.id} onClose={() => setAdding(false)} />}
      {moving && (
        <BlMoveModal groups={groups} selection={selection} filter={filter} count={count} onClose={() => setMoving(false)} onDone={() => setSelection(NO_SELECTION)} />
      )}
      {importing && <BlImportModal groups={groups} groupId={group?.id} onClose={() => setImporting(false)} />}
    </>
  );
}
