// 导入用户标签: template download, .xlsx/.csv upload (columns 分组, 标签), then the result.
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { USER_TAGS_KEY, type UserTagImportResult } from '../../api/robot';
import { useI18n } from '../../i18n';
import { checkSheetFile } from '../../lib/format';
import { ImportModal, ImportReport } from '../../components/ImportUpload';

export default function UserTagImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  return (
    <ImportModal<UserTagImportResult>
      title={t('tags.import')}
      width={560}
      templateUrl="/api/user-tags/template"
      templateText={t('tags.downloadTemplate')}
      notes={{ title: t('tags.importNote') }}
      accept=".xlsx,.csv"
      check={(f) => {
        const bad = checkSheetFile(f);
        return bad === 'badExt' ? t('tags.importBadExt') : bad === 'tooLarge' ? t('import.tooLarge') : null;
      }}
      dragText={t('tags.dragText')}
      dragHint={t('tags.dragHint')}
      upload={async (file) => {
        const fd = new FormData();
        fd.append('file', file);
        const res = await api.post<UserTagImportResult>('/api/user-tags/import', fd);
        void qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });
        return res ?? { groups_created: 0, tags_created: 0, skipped: 0, errors: [] };
      }}
      result={(r) => (
        <ImportReport
          testId="tag-import-result"
          summary={t('tags.importDone', { groups: r.groups_created, tags: r.tags_created, skipped: r.skipped })}
          counts={[
            { label: t('tags.groupsCreated'), value: r.groups_created },
            { label: t('tags.tagsCreated'), value: r.tags_created },
            { label: t('tags.skipped'), value: r.skipped },
          ]}
          errors={r.errors}
        />
      )}
      onClose={onClose}
    />
  );
}
