// 用户标签: the company's tag library — groups on the left, the selected group's tags on
// the right; xlsx/csv import and export. Script nodes apply these tags to the customers.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import { USER_TAGS_KEY, useUserTags, type UserTag, type UserTagGroup, type UserTagLibrary } from '../../api/robot';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, EditLink, DeleteLink, useConfirmDelete } from '../../components/common';
import { accessOf } from '../../access';
import { isValidTagName, pickGroup, TAG_NAME_MAX } from '../../lib/userTags';
import { canManageRobot } from './ScriptsPage';
import UserTagImportModal from './UserTagImportModal';

function useNameRule() {
  const { t } = useI18n();
  return [
    {
      validator: (_: unknown, v: string | undefined) => (isValidTagName(v) ? Promise.resolve() : Promise.reject(new Error(t('tags.nameInvalid', { max: TAG_NAME_MAX })))),
    },
  ];
}

function GroupModal({ group, onClose, onSaved }: { group: UserTagGroup | null; onClose: () => void; onSaved: (g: UserTagGroup) => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const rule = useNameRule();
  const save = useMutation({
    mutationFn: (name: string) =>
      group ? api.put<UserTagGroup>(`/api/user-tags/groups/${group.id}`, { name }) : api.post<UserTagGroup>('/api/user-tags/groups', { name }),
    onSuccess: (g) => {
      message.success(group ? t('common.saved') : t('tags.groupCreated'));
      // Into the cached library at once: the page keeps a selection only of a group it lists,
      // so a new group must be there before the refetch for it to stay selected.
      qc.setQueryData<UserTagLibrary>([USER_TAGS_KEY], (lib) =>
        lib && !lib.groups.some((x) => x.id === g.id) ? { ...lib, groups: [...lib.groups, { ...g, tags: g.tags ?? [] }] } : lib,
      );
      void qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });
      onSaved(g);
      onClose();
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });
  return (
    <Modal
      open
      title={group ? t('tags.renameGroup') : t('tags.addGroup')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="tag-group" initialValues={{ name: group?.name ?? '' }} onFinish={(v) => save.mutate(v.name.trim())}>
        <Form.Item label={t('tags.groupName')} name="name" required rules={rule}>
          <Input maxLength={TAG_NAME_MAX} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type TagModalMode = { kind: 'add'; groupId: number } | { kind: 'edit'; tag: UserTag; groupId: number } | { kind: 'move'; tag: UserTag; groupId: number };

function TagModal({ mode, groups, onClose }: { mode: TagModalMode; groups: UserTagGroup[]; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; group_id: number }>();
  const rule = useNameRule();
  const save = useMutation({
    mutationFn: (v: { name: string; group_id: number }) =>
      mode.kind === 'add' ? api.post<UserTag>('/api/user-tags', v) : api.put<UserTag>(`/api/user-tags/${mode.tag.id}`, v),
    onSuccess: () => {
      message.success(mode.kind === 'add' ? t('tags.tagCreated') : mode.kind === 'move' ? t('tags.moved') : t('common.saved'));
      void qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });
      onClose();
    },
    onError: (e) => form.setFields([{ name: mode.kind === 'move' ? 'group_id' : 'name', errors: [errText(e)] }]),
  });
  const title = mode.kind === 'add' ? t('tags.addTag') : mode.kind === 'move' ? t('tags.moveTag', { name: mode.tag.name }) : t('tags.editTag');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')} confirmLoading={save.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        name="user-tag"
        initialValues={{ name: mode.kind === 'add' ? '' : mode.tag.name, group_id: mode.groupId }}
        onFinish={(v) => save.mutate({ name: v.name.trim(), group_id: v.group_id })}
      >
        <Form.Item label={t('tags.tagName')} name="name" required rules={rule} hidden={mode.kind === 'move'}>
          <Input maxLength={TAG_NAME_MAX} autoFocus={mode.kind !== 'move'} />
        </Form.Item>
        <Form.Item label={t('tags.group')} name="group_id" rules={[{ required: true, message: t('tags.groupRequired') }]}>
          <Select options={groups.map((g) => ({ value: g.id, label: g.name }))} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UserTagsPage() {
  const me = useMember();
  const mobile = useIsMobile();
  const canManage = canManageRobot(accessOf(me));
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const confirmDelete = useConfirmDelete();
  const qc = useQueryClient();
  const lib = useUserTags();
  const groups = lib.data?.groups ?? [];
  const [selected, setSelected] = useState<number | null>(null);
  const [groupModal, setGroupModal] = useState<UserTagGroup | null | undefined>(undefined);
  const [tagModal, setTagModal] = useState<TagModalMode | null>(null);
  const [importing, setImporting] = useState(false);

  const groupId = pickGroup(groups, selected);
  useEffect(() => {
    if (groupId !== selected) setSelected(groupId);
  }, [groupId, selected]);
  const group = groups.find((g) => g.id === groupId) ?? null;
  const refresh = () => qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });

  const removeGroup = useMutation({
    mutationFn: (g: UserTagGroup) => api.del(`/api/user-tags/groups/${g.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });
  const removeTag = useMutation({
    mutationFn: (tag: UserTag) => api.del(`/api/user-tags/${tag.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

  const confirmDeleteGroup = (g: UserTagGroup) =>
    confirmDelete({ title: t('tags.deleteGroupTitle', { name: g.name }), content: t('tags.deleteGroupBody', { n: g.tags.length }), onOk: () => removeGroup.mutateAsync(g) });

  const columns: TableColumnsType<UserTag> = [
    { title: t('tags.tagName'), dataIndex: 'name', render: (n: string) => <Tag color="blue">{n}</Tag> },
    ...(canManage && group
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, tag: UserTag) => (
              <Space size={0} wrap>
                <EditLink onClick={() => setTagModal({ kind: 'edit', tag, groupId: group.id })} />
                <Button type="link" size="small" disabled={groups.length < 2} onClick={() => setTagModal({ kind: 'move', tag, groupId: group.id })}>
                  {t('tags.move')}
                </Button>
                <DeleteLink title={t('tags.deleteTagTitle', { name: tag.name })} onOk={() => removeTag.mutateAsync(tag)} />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {canManage && (
              <Button icon={<ImportOutlined aria-hidden />} onClick={() => setImporting(true)}>
                {t('tags.import')}
              </Button>
            )}
            <Button icon={<DownloadOutlined aria-hidden />} href="/api/user-tags/export" download>
              {t('tags.export')}
            </Button>
          </Space>
        }
      >
        {t('menu.userTags')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('tags.intro')}</Typography.Paragraph>
      {lib.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errText(lib.error)} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8} lg={6}>
          <Card
            size="small"
            title={t('tags.groups')}
            extra={
              canManage && (
                <Button type="link" size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setGroupModal(null)}>
                  {t('tags.addGroup')}
                </Button>
              )
            }
            data-testid="tag-groups"
          >
            <Table<UserTagGroup>
              rowKey="id"
              size="small"
              showHeader={false}
              pagination={false}
              dataSource={groups}
              loading={lib.isLoading}
              locale={{ emptyText: t('tags.noGroups') }}
              rowSelection={{ type: 'radio', selectedRowKeys: groupId == null ? [] : [groupId], onChange: (keys) => setSelected(Number(keys[0])), columnWidth: 32 }}
              onRow={(g) => ({ onClick: () => setSelected(g.id), style: { cursor: 'pointer' } })}
              columns={[
                {
                  key: 'name',
                  render: (_, g) => (
                    <Typography.Text strong={g.id === groupId} ellipsis style={{ maxWidth: 160 }}>
                      {g.name}
                    </Typography.Text>
                  ),
                },
                { key: 'count', width: 40, align: 'right', render: (_, g) => <Typography.Text type="secondary">{g.tags.length}</Typography.Text> },
                ...(canManage
                  ? [
                      {
                        key: 'actions',
                        width: 72,
                        render: (_: unknown, g: UserTagGroup) => (
                          <Space size={0}>
                            <Button
                              type="text"
                              size="small"
                              icon={<EditOutlined aria-hidden />}
                              aria-label={t('tags.renameGroup')}
                              onClick={(e) => {
                                e.stopPropagation();
                                setGroupModal(g);
                              }}
                            />
                            <Button
                              type="text"
                              size="small"
                              danger
                              icon={<DeleteOutlined aria-hidden />}
                              aria-label={t('tags.deleteGroup')}
                              onClick={(e) => {
                                e.stopPropagation();
                                confirmDeleteGroup(g);
                              }}
                            />
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} md={16} lg={18}>
          <Card
            size="small"
            title={group ? t('tags.tagsOf', { name: group.name }) : t('tags.tags')}
            extra={
              canManage &&
              group && (
                <Button type="primary" size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setTagModal({ kind: 'add', groupId: group.id })}>
                  {t('tags.addTag')}
                </Button>
              )
            }
            data-testid="tag-list"
          >
            <Table<UserTag>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={group?.tags ?? []}
              loading={lib.isLoading}
              pagination={(group?.tags.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={mobile ? { x: 'max-content' } : undefined}
              locale={{ emptyText: group ? t('tags.noTags') : t('tags.pickGroup') }}
            />
          </Card>
        </Col>
      </Row>
      {groupModal !== undefined && <GroupModal group={groupModal} onClose={() => setGroupModal(undefined)} onSaved={(g) => setSelected(g.id)} />}
      {tagModal && <TagModal mode={tagModal} groups={groups} onClose={() => setTagModal(null)} />}
      {importing && <UserTagImportModal onClose={() => setImporting(false)} />}
    </>
  );
}
