// 用户标签: the company's tag library — groups on the left, the selected group's tags on
// the right; xlsx/csv import and export. Script nodes apply these tags to the customers.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import { USER_TAGS_KEY, useUserTags, type UserTag, type UserTagGroup, type UserTagLibrary } from '../../api/robot';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, EditLink, DeleteLink } from '../../components/common';
import GroupList from '../../components/GroupList';
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
  const qc = useQueryClient();
  const lib = useUserTags();
  const nameRule = useNameRule();
  const groups = lib.data?.groups ?? [];
  const [selected, setSelected] = useState<number | null>(null);
  const [tagModal, setTagModal] = useState<TagModalMode | null>(null);
  const [importing, setImporting] = useState(false);

  const groupId = pickGroup(groups, selected);
  useEffect(() => {
    if (groupId !== selected) setSelected(groupId);
  }, [groupId, selected]);
  const group = groups.find((g) => g.id === groupId) ?? null;
  const refresh = () => qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });

  const removeTag = useMutation({
    mutationFn: (tag: UserTag) => api.del(`/api/user-tags/${tag.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

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
          <GroupList<UserTagGroup>
            testId="tag-groups"
            items={groups.map((g) => ({ id: g.id, name: g.name, count: g.tags.length }))}
            selectedId={groupId}
            onSelect={setSelected}
            loading={lib.isLoading}
            canManage={canManage}
            labels={{
              title: t('tags.groups'),
              add: t('tags.addGroup'),
              rename: t('tags.renameGroup'),
              remove: t('tags.deleteGroup'),
              name: t('tags.groupName'),
              created: t('tags.groupCreated'),
              empty: t('tags.noGroups'),
              deleteTitle: (g) => t('tags.deleteGroupTitle', { name: g.name }),
              deleteBody: (g) => t('tags.deleteGroupBody', { n: g.count }),
            }}
            formName="tag-group"
            nameMax={TAG_NAME_MAX}
            nameRules={nameRule}
            save={(g, name) => (g ? api.put<UserTagGroup>(`/api/user-tags/groups/${g.id}`, { name }) : api.post<UserTagGroup>('/api/user-tags/groups', { name }))}
            onSaved={(g) => {
              // Into the cached library at once: the page keeps a selection only of a group it lists,
              // so a new group must be there before the refetch for it to stay selected.
              qc.setQueryData<UserTagLibrary>([USER_TAGS_KEY], (cached) =>
                cached && !cached.groups.some((x) => x.id === g.id) ? { ...cached, groups: [...cached.groups, { ...g, tags: g.tags ?? [] }] } : cached,
              );
              void refresh();
            }}
            remove={(g) => api.del(`/api/user-tags/groups/${g.id}`)}
            onRemoved={() => void refresh()}
            errText={errText}
          />
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
      {tagModal && <TagModal mode={tagModal} groups={groups} onClose={() => setTagModal(null)} />}
      {importing && <UserTagImportModal onClose={() => setImporting(false)} />}
    </>
  );
}
