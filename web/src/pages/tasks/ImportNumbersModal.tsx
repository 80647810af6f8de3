// 导入号码: into one task (POST /api/tasks/{id}/numbers/import), or routed to tasks by the
// 别名 column (POST /api/numbers/import). The import runs in the background; its
// notification reports progress and the refused rows.
import { useState } from 'react';
import { Checkbox, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { ImportAccepted } from '../../api/types';
import { TASKS_KEY, taskPath } from '../../api/tasks';
import { useI18n } from '../../i18n';
import { checkNumbersFile } from '../../lib/tasks';
import { ImportAcceptedResult, ImportModal } from '../../components/ImportUpload';

export const NUMBERS_TEMPLATE_URL = '/api/numbers/import-template';

/** `task` null = 按别名导入. */
export default function ImportNumbersModal({ task, onClose }: { task: { id: number; name: string } | null; onClose: () => void }) {
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const [toPool, setToPool] = useState(false);
  return (
    <ImportModal
      title={task ? t('taskImport.title', { name: task.name }) : t('taskImport.aliasTitle')}
      width={600}
      templateUrl={NUMBERS_TEMPLATE_URL}
      templateText={t('taskImport.downloadTemplate')}
      notes={{
        title: t('taskImport.notesTitle'),
        items: [
          ...(task ? [] : [t('taskImport.aliasNote')]),
          t('taskImport.note1'),
          t('taskImport.note2'),
          t('taskImport.note3'),
          t('taskImport.note4'),
          t('taskImport.note5'),
        ],
      }}
      accept=".xlsx,.csv"
      check={(f) => {
        const bad = checkNumbersFile(f);
        return bad && t(bad);
      }}
      dragText={t('taskImport.dragText')}
      dragHint={t('taskImport.dragHint')}
      upload={async (file) => {
        const fd = new FormData();
        fd.append('file', file);
        if (task) fd.append('to_pool', toPool ? 'true' : 'false');
        const res = await api.post<ImportAccepted>(task ? `${taskPath(task.id)}/numbers/import` : '/api/numbers/import', fd);
        void qc.invalidateQueries({ queryKey: ['notifications'] });
        void qc.invalidateQueries({ queryKey: [TASKS_KEY] });
        return res ?? { job_id: 0, notification_id: 0 };
      }}
      errorOf={(e) => {
        const title = errText(e);
        // The server's own words say which header or row is wrong: show them too.
        const detail = e instanceof ApiError && e.message && e.message !== title ? e.message : undefined;
        return { title, detail };
      }}
      result={() => <ImportAcceptedResult title={t('taskImport.acceptedTitle')} body={t('taskImport.acceptedBody')} onClose={onClose} />}
      onClose={onClose}
    >
      {task && (
        <div style={{ marginBottom: 16 }}>
          <Checkbox checked={toPool} onChange={(e) => setToPool(e.target.checked)}>
            {t('taskImport.toPool')}
          </Checkbox>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('taskImport.toPoolHint')}
            </Typography.Text>
          </div>
        </div>
      )}
    </ImportModal>
  );
}
