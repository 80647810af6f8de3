// The left-hand list of named groups beside a table of the selected group's entries (黑名单,
// 用户标签): pick a group, and with the right add, rename (one name dialog) and delete
// (confirmed) groups. The page owns the data: it passes the rows, the requests and what to
// refresh afterwards.
import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography, type FormRule } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { useConfirmDelete } from './common';

export interface GroupItem {
  id: number;
  name: string;
  /** Entries in the group, shown right of the name. */
  count: number;
  /** Marked with `labels.defaultTag`; it can be renamed but not deleted. */
  isDefault?: boolean;
  /** A pseudo row such as 全部分组: it can be selected, not renamed or deleted. */
  fixed?: boolean;
}

export interface GroupListLabels {
  /** The card's title. */
  title: string;
  /** The add button and the new group dialog's title. */
  add: string;
  /** The rename button's name and the rename dialog's title. */
  rename: string;
  /** The delete button's name. */
  remove: string;
  /** The name field's label. */
  name: string;
  /** The message after a group was added. */
  created: string;
  deleteTitle: (g: GroupItem) => string;
  deleteBody: (g: GroupItem) => string;
  defaultTag?: string;
  /** The list's text when there are no rows. */
  empty?: string;
}

export interface GroupListProps<S extends { id: number }> {
  items: GroupItem[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  loading?: boolean;
  labels: GroupListLabels;
  /** Shows add, rename and delete. */
  canManage: boolean;
  /** The name dialog's form name (so its field ids stay stable). */
  formName: string;
  nameMax: number;
  nameRules: FormRule[];
  /** Creates the group (`group` null) or renames it. */
  save: (group: GroupItem | null, name: string) => Promise<S>;
  /** After a save succeeded, before the saved group is selected: refresh the page's data. */
  onSaved: (saved: S) => void;
  remove: (group: GroupItem) => Promise<unknown>;
  onRemoved: (group: GroupItem) => void;
  errText: (e: unknown) => string;
  testId?: string;
  nameWidth?: number;
  countWidth?: number;
}

export default function GroupList<S extends { id: number }>({
  items,
  selectedId,
  onSelect,
  loading,
  labels,
  canManage,
  formName,
  nameMax,
  nameRules,
  save,
  onSaved,
  remove,
  onRemoved,
  errText,
  testId,
  nameWidth = 160,
  countWidth = 40,
}: GroupListProps<S>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const confirmDelete = useConfirmDelete();
  // undefined: no dialog; null: a new group; a group: renaming it.
  const [editing, setEditing] = useState<GroupItem | null | undefined>(undefined);

  const removeGroup = useMutation({
    mutationFn: (g: GroupItem) => remove(g),
    onSuccess: (_, g) => {
      message.success(t('common.deleted'));
      onRemoved(g);
    },
    onError: (e) => message.error(errText(e)),
  });

  const confirmRemove = (g: GroupItem) => confirmDelete({ title: labels.deleteTitle(g), content: labels.deleteBody(g), onOk: () => removeGroup.mutateAsync(g) });

  return (
    <Card
      size="small"
      title={labels.title}
      extra={
        canManage && (
          <Button type="link" size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing(null)}>
            {labels.add}
          </Button>
        )
      }
      data-testid={testId}
    >
      <Table<GroupItem>
        rowKey="id"
        size="small"
        showHeader={false}
        pagination={false}
        dataSource={items}
        loading={loading}
        locale={labels.empty ? { emptyText: labels.empty } : undefined}
        rowSelection={{ type: 'radio', selectedRowKeys: selectedId == null ? [] : [selectedId], onChange: (keys) => onSelect(Number(keys[0])), columnWidth: 32 }}
        onRow={(g) => ({ onClick: () => onSelect(g.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            key: 'name',
            render: (_, g) => (
              <Space size={4}>
                <Typography.Text strong={g.id === selectedId} ellipsis style={{ maxWidth: nameWidth }}>
                  {g.name}
                </Typography.Text>
                {g.isDefault && labels.defaultTag && <Tag color="blue">{labels.defaultTag}</Tag>}
              </Space>
            ),
          },
          { key: 'count', width: countWidth, align: 'right', render: (_, g) => <Typography.Text type="secondary">{g.count}</Typography.Text> },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  width: 72,
                  render: (_: unknown, g: GroupItem) =>
                    g.fixed ? null : (
                      <Space size={0}>
                        <Button
                          type="text"
                          size="small"
                          icon={<EditOutlined aria-hidden />}
                          aria-label={labels.rename}
                          onClick={(e) => {
                            e.stopPropagation();
                            setEditing(g);
                          }}
                        />
                        {!g.isDefault && (
                          <Button
                            type="text"
                            size="small"
                            danger
                            icon={<DeleteOutlined aria-hidden />}
                            aria-label={labels.remove}
                            onClick={(e) => {
                              e.stopPropagation();
                              confirmRemove(g);
                            }}
                          />
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && (
        <GroupNameModal<S>
          group={editing}
          labels={labels}
          formName={formName}
          nameMax={nameMax}
          nameRules={nameRules}
          save={save}
          errText={errText}
          onSaved={(g) => {
            onSaved(g);
            onSelect(g.id);
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Card>
  );
}

function GroupNameModal<S extends { id: number }>({
  group,
  labels,
  formName,
  nameMax,
  nameRules,
  save,
  errText,
  onSaved,
  onClose,
}: Pick<GroupListProps<S>, 'labels' | 'formName' | 'nameMax' | 'nameRules' | 'save' | 'errText' | 'onSaved'> & { group: GroupItem | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const mutation = useMutation({
    mutationFn: (name: string) => save(group, name),
    onSuccess: (g) => {
      message.success(group ? t('common.saved') : labels.created);
      onSaved(g);
      onClose();
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });
  return (
    <Modal
      open
      title={group ? labels.rename : labels.add}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name={formName} initialValues={{ name: group?.name ?? '' }} onFinish={(v) => mutation.mutate(v.name.trim())}>
        <Form.Item label={labels.name} name="name" required rules={nameRules}>
          <Input maxLength={nameMax} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
