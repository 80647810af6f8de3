// The visual flow of a script: nodes are the script's nodes, edges its branches /
// otherwise / auto-next. The Script stays the single state (see lib/flow.ts).
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Alert, App, Button, Modal, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PhoneOutlined, PlusOutlined, SoundOutlined, CustomerServiceOutlined } from '@ant-design/icons';
import type { Intent, NodeType, Script } from '../../api/robot';
import { AUTO, OTHERWISE, addNode, canHaveOutgoing, connect, moveNode, removeEdges, removeNode, scriptToFlow, type FlowNodeData } from '../../lib/flow';
import { useI18n } from '../../i18n';

type VxNode = Node<FlowNodeData, 'vx'>;

export const NODE_STYLE: Record<NodeType, { color: string; bg: string; radius: number }> = {
  say: { color: '#1677ff', bg: '#e6f4ff', radius: 8 },
  transfer: { color: '#d46b08', bg: '#fff7e6', radius: 24 },
  hang_up: { color: '#cf1322', bg: '#fff1f0', radius: 24 },
};

const TYPE_ICON: Record<NodeType, React.ReactNode> = {
  say: <SoundOutlined aria-hidden />,
  transfer: <CustomerServiceOutlined aria-hidden />,
  hang_up: <PhoneOutlined aria-hidden rotate={225} />,
};

const VxNodeView = memo(function VxNodeView({ data, selected }: NodeProps<VxNode>) {
  const { t } = useI18n();
  const { node, isStart, isHuman } = data;
  const st = NODE_STYLE[node.type];
  return (
    <div
      className="vx-flow-node"
      data-testid={`flow-node-${node.id}`}
      style={{
        width: 172,
        border: `2px solid ${st.color}`,
        borderRadius: st.radius,
        background: st.bg,
        padding: '6px 10px',
        boxShadow: selected ? `0 0 0 3px ${st.color}55` : undefined,
        fontSize: 12,
      }}
    >
      <Handle type="target" position={Position.Top} />
      <div style={{ display: 'flex', alignItems: 'center', gap: 4, marginBottom: 2 }}>
        <span style={{ color: st.color }}>{TYPE_ICON[node.type]}</span>
        <strong style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: 13 }}>{node.name}</strong>
        {isStart && (
          <Tag color="green" style={{ marginInlineEnd: 0 }}>
            {t('node.start')}
          </Tag>
        )}
        {isHuman && !isStart && (
          <Tag color="orange" style={{ marginInlineEnd: 0 }}>
            {t('node.human')}
          </Tag>
        )}
      </div>
      <div style={{ color: '#555', display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}>{node.text || '—'}</div>
      {node.type === 'say' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
});

const nodeTypes = { vx: VxNodeView };

interface Props {
  script: Script;
  onChange: (s: Script) => void;
  intents: Intent[];
  intentName: (code: string) => string;
  onEditNode: (id: string) => void;
  readOnly: boolean;
  height: number;
}

function Canvas({ script, onChange, intents, intentName, onEditNode, readOnly, height }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const rf = useReactFlow();
  const derived = useMemo(() => scriptToFlow(script, intentName, { otherwise: t('edge.otherwise'), next: t('edge.next') }), [script, intentName, t]);
  const [nodes, setNodes] = useState<VxNode[]>([]);
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<{ source: string; target: string } | null>(null);
  const [choice, setChoice] = useState<string | undefined>();

  // Rebuild the canvas nodes from the script, keeping what React Flow measured and selected.
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return derived.nodes.map((n) => {
        const p = old.get(n.id);
        return p ? { ...n, measured: p.measured, selected: p.selected, dragging: p.dragging } : n;
      });
    });
  }, [derived.nodes]);

  const edges: Edge[] = useMemo(
    () =>
      derived.edges.map((e) => ({
        ...e,
        selected: selectedEdges.has(e.id),
        markerEnd: { type: MarkerType.ArrowClosed },
        labelBgPadding: [4, 2] as [number, number],
        labelStyle: { fontSize: 12 },
        style: e.data.kind === 'next' ? { strokeDasharray: '5 4' } : e.data.kind === 'otherwise' ? { stroke: '#999' } : undefined,
      })),
    [derived.edges, selectedEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<VxNode>[]) => {
      setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
      if (readOnly) return;
      let s = script;
      for (const c of changes) {
        if (c.type === 'position' && c.position) s = moveNode(s, c.id, c.position);
        if (c.type === 'remove') s = removeNode(s, c.id);
      }
      if (s !== script) onChange(s);
    },
    [script, onChange, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
      setSelectedEdges((sel) => {
        const next = new Set(sel);
        for (const c of changes) if (c.type === 'select') (c.selected ? next.add(c.id) : next.delete(c.id));
        for (const id of removed) next.delete(id);
        return next;
      });
      if (removed.length && !readOnly) onChange(removeEdges(script, removed));
    },
    [script, onChange, readOnly],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || readOnly) return;
      if (!canHaveOutgoing(script, c.source)) {
        message.warning(t('edge.sayOnly'));
        return;
      }
      setChoice(undefined);
      setPending({ source: c.source, target: c.target });
    },
    [script, readOnly, message, t],
  );

  const add = (type: NodeType) => {
    // Below the lowest node, so it never covers another one; then bring it into view.
    const placed = nodes.map((n) => n.position);
    const minX = placed.length ? Math.min(...placed.map((p) => p.x)) : 0;
    const maxY = placed.length ? Math.max(...placed.map((p) => p.y)) : -130;
    const name = t(type === 'say' ? 'node.newSay' : type === 'transfer' ? 'node.newTransfer' : 'node.newHangUp');
    const text = type === 'say' ? '' : t(type === 'transfer' ? 'node.newTransferText' : 'node.newHangUpText');
    const r = addNode(script, type, name, text, { x: minX, y: maxY + 130 });
    onChange(r.script);
    onEditNode(r.id);
    setTimeout(() => void rf.fitView({ padding: 0.15, maxZoom: 1, duration: 200 }), 50);
  };

  const deleteSelected = () => {
    let s = removeEdges(script, [...selectedEdges]);
    for (const n of nodes) if (n.selected) s = removeNode(s, n.id);
    setSelectedEdges(new Set());
    onChange(s);
  };
  const hasSelection = selectedEdges.size > 0 || nodes.some((n) => n.selected);

  const nameOf = (id: string) => script.nodes.find((n) => n.id === id)?.name ?? id;
  const own = script.intents ?? [];
  const ownCodes = new Set(own.map((i) => i.code));
  const options = [
    { label: t('edge.special'), options: [{ value: OTHERWISE, label: t('edge.otherwise') }, { value: AUTO, label: t('edge.next') }] },
    ...(own.length ? [{ label: t('edge.custom'), options: own.map((i) => ({ value: i.code, label: `${i.name}（${i.code}）` })) }] : []),
    { label: t('edge.builtin'), options: intents.filter((i) => !ownCodes.has(i.code)).map((i) => ({ value: i.code, label: i.name })) },
  ];

  return (
    <div>
      {!readOnly && (
        <Space wrap style={{ marginBottom: 8 }}>
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => add('say')} style={{ borderColor: NODE_STYLE.say.color, color: NODE_STYLE.say.color }}>
            {t('node.addSay')}
          </Button>
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => add('transfer')} style={{ borderColor: NODE_STYLE.transfer.color, color: NODE_STYLE.transfer.color }}>
            {t('node.addTransfer')}
          </Button>
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => add('hang_up')} style={{ borderColor: NODE_STYLE.hang_up.color, color: NODE_STYLE.hang_up.color }}>
            {t('node.addHangUp')}
          </Button>
          <Button size="small" danger icon={<DeleteOutlined aria-hidden />} disabled={!hasSelection} onClick={deleteSelected}>
            {t('node.deleteSelected')}
          </Button>
        </Space>
      )}
      <div className="vx-flow-wrap" data-testid="flow-canvas" style={{ height, border: '1px solid #f0f0f0', borderRadius: 8, background: '#fafafa' }}>
        <ReactFlow<VxNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onNodeClick={(_, n) => onEditNode(n.id)}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
          minZoom={0.2}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      {!readOnly && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 6, marginBottom: 0 }}>
          {t('node.canvasHint')}
        </Typography.Paragraph>
      )}
      <Modal
        open={!!pending}
        title={pending ? t('edge.pickTitle', { from: nameOf(pending.source), to: nameOf(pending.target) }) : ''}
        onCancel={() => setPending(null)}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !choice }}
        onOk={() => {
          if (pending && choice) onChange(connect(script, pending.source, pending.target, choice));
          setPending(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('edge.pickLabel')}</Typography.Paragraph>
        <Select style={{ width: '100%' }} showSearch optionFilterProp="label" value={choice} onChange={setChoice} options={options} aria-label={t('edge.pickLabel')} autoFocus />
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('edge.pickHint')} />
      </Modal>
    </div>
  );
}

export default function FlowCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
