// Small pieces shared by the 通话记录 table and the call drawer: the status tag (呼叫中 /
// 通话中 while a call lasts), the grade tag with the quality check's change, who hung up.
import { Tag, Tooltip } from 'antd';
import type { CallSummary } from '../../api/calls';
import { useI18n } from '../../i18n';
import { LEVEL_COLOR } from '../../lib/callSettings';
import { numberStatusColor } from '../../lib/tasks';
import { callStatusKey, effectiveGrade, gradeText, hangupKey, isInProgress, liveStateKey } from '../../lib/calls';

/** 呼叫状态 of a call: its outcome, or 呼叫中 / 通话中 while it lasts. */
export function CallStatusTag({ call }: { call: Pick<CallSummary, 'state' | 'status' | 'status_label'> }) {
  const { t } = useI18n();
  if (isInProgress(call)) {
    return (
      <Tag color="processing" data-testid="call-live-state">
        {t(liveStateKey(call.state))}
      </Tag>
    );
  }
  const key = callStatusKey(call.status);
  return <Tag color={numberStatusColor(call.status)}>{key ? t(key) : call.status_label || call.status || '-'}</Tag>;
}

/** 意向等级 with the quality check's change ("C→B 质检"). */
export function GradeTag({ call }: { call: Pick<CallSummary, 'grade' | 'qc_grade' | 'grade_label'> }) {
  const { t } = useI18n();
  const text = gradeText(call.grade, call.qc_grade, t('call.qc'));
  if (text === '-') return <>-</>;
  return (
    <Tooltip title={call.grade_label || undefined}>
      <Tag color={LEVEL_COLOR[effectiveGrade(call.grade, call.qc_grade)] ?? 'default'} data-testid="call-grade">
        {text}
      </Tag>
    </Tooltip>
  );
}

export function useHangupText() {
  const { t } = useI18n();
  return (c: Pick<CallSummary, 'hangup_by' | 'hangup_by_label'>) => {
    const key = hangupKey(c.hangup_by);
    return key ? t(key) : c.hangup_by_label || '-';
  };
}
