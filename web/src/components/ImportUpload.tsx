// The import dialogs' shared parts: the modal with its template link, notes, one-file
// Upload.Dragger (checked before it is kept) and error alert; the background import's
// "accepted" result; and the synchronous imports' report (counts and the refused rows).
import { useState, type ReactNode } from 'react';
import { Alert, Button, Descriptions, Modal, Result, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useI18n } from '../i18n';
import { NOTIFICATIONS_PATH } from './common';

export interface ImportError {
  title: string;
  /** Shown under the title (the server's own words, say). */
  detail?: string;
}

export interface ImportModalProps<R> {
  title: ReactNode;
  width?: number;
  templateUrl: string;
  templateText: ReactNode;
  /** The info alert: a title, and when given a numbered list under it. */
  notes: { title: ReactNode; items?: ReactNode[] };
  /** What sits between the notes and the dragger (a target group, an option…). */
  children?: ReactNode;
  accept: string;
  /** The file's problem (already translated), or null when it can be uploaded. */
  check: (file: File) => string | null;
  dragText: ReactNode;
  dragHint: ReactNode;
  /** False keeps 开始导入 disabled even with a file chosen. */
  ready?: boolean;
  /** Posts the file; its answer is passed to `result`. */
  upload: (file: File) => Promise<R>;
  /** The failed upload's message; errText by default. */
  errorOf?: (e: unknown) => ImportError;
  /** Replaces the form once the upload succeeded (a 关闭 button only then). */
  result: (r: R) => ReactNode;
  onClose: () => void;
}

export function ImportModal<R>({
  title,
  width,
  templateUrl,
  templateText,
  notes,
  children,
  accept,
  check,
  dragText,
  dragHint,
  ready = true,
  upload,
  errorOf,
  result,
  onClose,
}: ImportModalProps<R>) {
  const { t, errText } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ImportError | null>(null);
  const [uploading, setUploading] = useState(false);
  const [done, setDone] = useState<{ value: R } | null>(null);

  const start = async () => {
    if (!file) {
      setError({ title: t('import.chooseFile') });
      return;
    }
    setError(null);
    setUploading(true);
    try {
      setDone({ value: await upload(file) });
    } catch (e) {
      setError(errorOf ? errorOf(e) : { title: errText(e) });
    } finally {
      setUploading(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      destroyOnHidden
      width={width}
      footer={
        done ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={uploading} disabled={!file || !ready} onClick={() => void start()}>
              {t('import.start')}
            </Button>
          </>
        )
      }
    >
      {done ? (
        result(done.value)
      ) : (
        <>
          <Typography.Paragraph>
            <a href={templateUrl} download>
              <DownloadOutlined aria-hidden /> {templateText}
            </a>
          </Typography.Paragraph>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={notes.title}
            description={
              notes.items && (
                <ol style={{ margin: 0, paddingLeft: 18 }}>
                  {notes.items.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ol>
              )
            }
          />
          {children}
          <Upload.Dragger
            accept={accept}
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: 'f', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              const bad = check(f);
              if (bad) {
                setError({ title: bad });
                setFile(null);
              } else {
                setError(null);
                setFile(f);
              }
              return Upload.LIST_IGNORE;
            }}
            onRemove={() => setFile(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{dragText}</p>
            <p className="ant-upload-hint">{dragHint}</p>
          </Upload.Dragger>
          {error && <Alert type="error" showIcon title={error.title} description={error.detail} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
    </Modal>
  );
}

/** A background import was accepted: where to follow it. */
export function ImportAcceptedResult({ title, body, onClose }: { title: ReactNode; body: ReactNode; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Result
      status="success"
      title={title}
      subTitle={body}
      extra={
        <Link to={NOTIFICATIONS_PATH} onClick={onClose}>
          {t('import.gotoNotifications')}
        </Link>
      }
    />
  );
}

export interface ImportRowError {
  row: number;
  reason: string;
}

/** A finished import: a summary, its counts, and the rows that were refused. */
export function ImportReport({
  testId,
  summary,
  counts,
  errors,
}: {
  testId: string;
  summary: ReactNode;
  counts: { label: ReactNode; value: number }[];
  errors: ImportRowError[];
}) {
  const { t } = useI18n();
  return (
    <div data-testid={testId}>
      <Alert type={errors.length ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} title={summary} />
      <Descriptions size="small" column={3} bordered>
        {counts.map((c, i) => (
          <Descriptions.Item key={i} label={c.label}>
            {c.value}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {errors.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('import.errorRows', { n: errors.length })}
          </Typography.Title>
          <Table
            rowKey={(r) => `${r.row}:${r.reason}`}
            size="small"
            dataSource={errors}
            pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { title: t('import.row'), dataIndex: 'row', width: 80 },
              { title: t('import.reason'), dataIndex: 'reason' },
            ]}
          />
        </>
      )}
    </div>
  );
}
