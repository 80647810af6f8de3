import { useEffect, useMemo, useState, type Key } from 'react';
import { App, Button, Empty, Form, Input, Modal, Spin, Tree, TreeSelect, Typography, type TreeDataNode, type TreeProps } from 'antd';
import { ApartmentOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Department } from '../../api/types';
import { useI18n } from '../../i18n';
import { useConfirmDelete } from '../../components/common';
import { buildDeptTree, computeMove, type DeptNode, type DropMode } from '../../lib/deptTree';
import DeptSettingsDrawer from './DeptSettingsDrawer';

export const ALL_KEY = 'all';

/** AntD TreeSelect data for choosing a department. */
export interface DeptOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: DeptOption[];
}

export function deptSelectData(depts: Department[], disabled?: Set<number>): DeptOption[] {
  const conv = (nodes: DeptNode<Department>[]): DeptOption[] =>
    nodes.map((n) => ({ value: n.dept.id, title: n.dept.name, disabled: disabled?.has(n.dept.id), children: conv(n.children) }));
  return conv(buildDeptTree(depts));
}

interface Props {
  depts: Department[];
  loading: boolean;
  selected: number | 'all';
  onSelect: (id: number | 'all') => void;
  canManage: boolean;
  companyName: string;
}

export default function DeptPanel({ depts, loading, selected, onSelect, canManage, companyName }: Props) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const confirmRemove = useConfirmDelete();
  const qc = useQueryClient();
  const [expanded, setExpanded] = useState<Key[]>([ALL_KEY]);
  const [createOpen, setCreateOpen] = useState(false);
  const [editing, setEditing] = useState<Department | null>(null);
  const [form] = Form.useForm<{ name: string; parent_id?: number }>();

  // Expand everything once the list first arrives.
  const [autoExpanded, setAutoExpanded] = useState(false);
  useEffect(() => {
    if (!autoExpanded && depts.length) {
      setExpanded([ALL_KEY, ...depts.map((d) => d.id)]);
      setAutoExpanded(true);
    }
  }, [depts, autoExpanded]);

  const treeData = useMemo<TreeDataNode[]>(() => {
    const conv = (nodes: DeptNode<Department>[]): TreeDataNode[] =>
      nodes.map((n) => ({
        key: n.dept.id,
        title: (
          <span data-testid={`dept-node-${n.dept.id}`}>
            <span className="vx-dept-name">{n.dept.name}</span>
            <span className="vx-muted" style={{ marginLeft: 6, fontSize: 12 }}>
              ({n.dept.member_count})
            </span>
          </span>
        ),
        children: conv(n.children),
      }));
    return [
      {
        key: ALL_KEY,
        title: (
          <span style={{ display: 'inline-flex', maxWidth: '100%', alignItems: 'baseline' }} title={companyName}>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{companyName}</span>
            <span className="vx-muted" style={{ marginLeft: 6, fontSize: 12, flex: 'none' }}>
              {t('dept.allMembers')}
            </span>
          </span>
        ),
        icon: <ApartmentOutlined aria-hidden />,
        children: conv(buildDeptTree(depts)),
      },
    ];
  }, [depts, companyName, t]);

  const setList = (list: Department[]) => qc.setQueryData(['departments'], list);

  const create = useMutation({
    mutationFn: (v: { name: string; parent_id?: number }) =>
      api.post<Department>('/api/departments', { name: v.name.trim(), parent_id: v.parent_id ?? null }),
    onSuccess: (d) => {
      message.success(t('dept.created'));
      setCreateOpen(false);
      void qc.invalidateQueries({ queryKey: ['departments'] });
      if (d.parent_id != null) setExpanded((e) => [...new Set([...e, d.parent_id!])]);
      onSelect(d.id);
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });

  const move = useMutation({
    mutationFn: (v: { id: number; parent_id: number | null; index: number }) =>
      api.post<Department[]>(`/api/departments/${v.id}/move`, { parent_id: v.parent_id, index: v.index }),
    onSuccess: (list) => {
      if (Array.isArray(list)) setList(list);
      else void qc.invalidateQueries({ queryKey: ['departments'] });
      void qc.invalidateQueries({ queryKey: ['members'] });
      message.success(t('dept.moved'));
    },
    onError: (e) => message.error(errText(e)),
  });

  const remove = useMutation({
    mutationFn: (id: number) => api.del(`/api/departments/${id}`),
    onSuccess: () => {
      message.success(t('dept.deleted'));
      onSelect('all');
      void qc.invalidateQueries({ queryKey: ['departments'] });
      void qc.invalidateQueries({ queryKey: ['members'] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const selectedDept = selected === 'all' ? undefined : depts.find((d) => d.id === selected);

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({ name: '', parent_id: selectedDept?.id });
    setCreateOpen(true);
  };

  const confirmDelete = (d: Department) => {
    const hasChildren = depts.some((x) => x.parent_id === d.id);
    confirmRemove({
      title: t('dept.deleteTitle', { name: d.name }),
      content: (
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('dept.deleteBody', { count: d.member_count })}
          {hasChildren && (
            <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>
              {t('dept.deleteHasChildren')}
            </Typography.Text>
          )}
        </Typography.Paragraph>
      ),
      onOk: () => remove.mutateAsync(d.id),
    });
  };

  const onDrop: TreeProps['onDrop'] = (info) => {
    const dragId = Number(info.dragNode.key);
    const targetKey = info.node.key;
    const pos = String(info.node.pos).split('-');
    const rel = info.dropPosition - Number(pos[pos.length - 1]);
    let mode: DropMode = !info.dropToGap ? 'inside' : rel === -1 ? 'before' : 'after';
    // Dropping into the gap below an expanded node with children makes it that node's first child.
    if (mode === 'after' && info.node.expanded && (info.node.children?.length ?? 0) > 0) mode = 'inside';
    const targetId = targetKey === ALL_KEY ? null : Number(targetKey);
    if (targetId === null && mode !== 'inside') return;
    const m = computeMove(depts, dragId, targetId, mode);
    if (!m) {
      message.warning(t('dept.badMove'));
      return;
    }
    const d = depts.find((x) => x.id === dragId);
    if (d && d.parent_id === m.parent_id) {
      const siblings = depts.filter((x) => x.parent_id === m.parent_id).sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
      if (siblings.findIndex((x) => x.id === dragId) === m.index) return;
    }
    move.mutate({ id: dragId, ...m });
  };

  return (
    <>
      {canManage && (
        <div className="vx-toolbar">
          <Button type="primary" size="small" icon={<PlusOutlined aria-hidden />} onClick={openCreate}>
            {t('dept.create')}
          </Button>
          <Button
            size="small"
            icon={<EditOutlined aria-hidden />}
            disabled={!selectedDept}
            onClick={() => selectedDept && setEditing(selectedDept)}
            aria-label={t('dept.editAria')}
            data-testid="dept-edit"
          >
            {t('dept.edit')}
          </Button>
          <Button
            size="small"
            danger
            icon={<DeleteOutlined aria-hidden />}
            disabled={!selectedDept}
            onClick={() => selectedDept && confirmDelete(selectedDept)}
            aria-label={t('dept.deleteAria')}
            data-testid="dept-delete"
          >
            {t('dept.delete')}
          </Button>
        </div>
      )}
      {canManage && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {t('dept.dragHint')}
        </Typography.Paragraph>
      )}
      <Spin spinning={loading || move.isPending}>
        {treeData.length ? (
          <Tree
            className="vx-dept-tree"
            blockNode
            showIcon={false}
            treeData={treeData}
            selectedKeys={[selected === 'all' ? ALL_KEY : selected]}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys)}
            onSelect={(keys) => {
              const k = keys[0];
              if (k === undefined) return; // keep the current selection on a second click
              onSelect(k === ALL_KEY ? 'all' : Number(k));
            }}
            draggable={canManage ? { icon: false, nodeDraggable: (n) => n.key !== ALL_KEY } : false}
            allowDrop={({ dropNode, dropPosition }) => dropNode.key !== ALL_KEY || dropPosition === 0}
            onDrop={onDrop}
            aria-label={t('dept.title')}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dept.empty')} />
        )}
        {!loading && depts.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('dept.empty')}
          </Typography.Paragraph>
        )}
      </Spin>

      <Modal
        title={t('dept.create')}
        open={createOpen}
        onCancel={() => setCreateOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        forceRender
      >
        <Form form={form} name="dept-create" layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item label={t('dept.name')} name="name" rules={[{ required: true, whitespace: true, message: t('dept.nameRequired') }]}>
            <Input maxLength={50} autoFocus />
          </Form.Item>
          <Form.Item label={t('dept.parent')} name="parent_id" extra={t('dept.parentHint')}>
            <TreeSelect allowClear treeDefaultExpandAll treeData={deptSelectData(depts)} placeholder={t('dept.topLevel')} />
          </Form.Item>
        </Form>
      </Modal>

      {editing && (
        <DeptSettingsDrawer dept={depts.find((d) => d.id === editing.id) ?? editing} depts={depts} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
