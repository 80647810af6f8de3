import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ImportAccepted } from '../../api/types';
import { useI18n } from '../../i18n';
import { checkImportFile } from '../../lib/format';
import { ImportAcceptedResult, ImportModal as ImportUpload } from '../../components/ImportUpload';

/** 导入子账户: template download, .xlsx upload (<= 10 MB), runs in the background. */
export default function ImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  return (
    <ImportUpload
      title={t('member.import')}
      templateUrl="/api/members/import-template"
      templateText={t('import.downloadTemplate')}
      notes={{ title: t('import.notesTitle'), items: [t('import.note1'), t('import.note2'), t('import.note3'), t('import.note4')] }}
      accept=".xlsx"
      check={(f) => {
        const bad = checkImportFile(f);
        return bad && t(bad);
      }}
      dragText={t('import.dragText')}
      dragHint={t('import.dragHint')}
      upload={async (file) => {
        const fd = new FormData();
        fd.append('file', file);
        const res = await api.post<ImportAccepted>('/api/members/import', fd);
        void qc.invalidateQueries({ queryKey: ['notifications'] });
        return res ?? { job_id: 0, notification_id: 0 };
      }}
      result={() => <ImportAcceptedResult title={t('import.acceptedTitle')} body={t('import.acceptedBody')} onClose={onClose} />}
      onClose={onClose}
    />
  );
}
