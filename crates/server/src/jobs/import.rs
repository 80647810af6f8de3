//! What every spreadsheet import job shares, so that a new import is only its columns, its row
//! checks and its insert: the template people fill in, queueing an accepted upload, loading
//! that upload in the job, and the report of refused rows saved for download.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use store::entity::file;
use utoipa::ToSchema;

use super::{JobFailure, JobRun, NewJob, Queued};
use crate::files::{NewFile, XLSX_CONTENT_TYPE};
use crate::state::AppState;

/// An import template: one sheet of headers (those ending in `*` are required and shown in
/// red) over an example row, and a sheet with how to fill it in.
pub struct Template {
    pub sheet: &'static str,
    pub headers: &'static [&'static str],
    pub example: &'static [&'static str],
    pub note: &'static str,
}

impl Template {
    pub fn xlsx(&self) -> anyhow::Result<Vec<u8>> {
        self.build().map_err(anyhow::Error::from)
    }

    fn build(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.sheet)?;
        let required = Format::new().set_bold().set_font_color("#C00000");
        let optional = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        for (column, header) in (0u16..).zip(self.headers) {
            let format = if header.ends_with('*') {
                &required
            } else {
                &optional
            };
            sheet.write_string_with_format(0, column, *header, format)?;
            sheet.set_column_width(column, 22)?;
            // Text cells keep long numbers from turning into scientific notation.
            sheet.set_column_format(column, &text)?;
        }
        for (column, value) in (0u16..).zip(self.example) {
            sheet.write_string(1, column, *value)?;
        }
        let notes = workbook.add_worksheet();
        notes.set_name("填写说明")?;
        notes.write_string(0, 0, self.note)?;
        notes.set_column_width(0, 140)?;
        workbook.save_to_buffer()
    }
}

/// An upload that passed its quick check at the door, to be imported in the background.
pub struct Accepted<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Stores the upload and queues its job; the job's payload gets the stored file's id as
/// `file_id`, beside the import's own fields.
pub async fn queue(
    state: &AppState,
    upload: Accepted<'_>,
    mut job: NewJob<'_>,
) -> anyhow::Result<Queued> {
    let stored = state
        .files
        .save(
            &state.db,
            NewFile {
                tenant_id: job.tenant_id,
                owner_member_id: Some(job.member_id),
                kind: "import_upload",
                name: upload.name,
                content_type: upload.content_type,
            },
            upload.bytes,
        )
        .await?;
    if let Some(fields) = job.payload.as_object_mut() {
        fields.insert("file_id".to_owned(), stored.id.into());
    }
    Ok(super::enqueue(state, job).await?)
}

/// An accepted upload's answer: the job that imports it and the notification that follows it.
#[derive(Serialize, ToSchema)]
pub struct ImportAccepted {
    job_id: i64,
    notification_id: i64,
}

impl From<Queued> for ImportAccepted {
    fn from(queued: Queued) -> Self {
        Self {
            job_id: queued.job_id,
            notification_id: queued.notification_id,
        }
    }
}

/// The upload a job was queued with: its name and its bytes.
pub async fn uploaded(run: &JobRun, file_id: i64) -> Result<(String, Vec<u8>), JobFailure> {
    let gone = || JobFailure("上传的文件已不存在，请重新导入".to_owned());
    let upload = file::Entity::find_by_id(file_id)
        .filter(file::Column::TenantId.eq(run.job.tenant_id))
        .one(&run.state.db)
        .await?
        .ok_or_else(gone)?;
    let bytes = run.state.files.read(&upload).await.map_err(|_| gone())?;
    Ok((upload.name, bytes))
}

/// The refused rows, to fix and import again: a bold header row, then each row with its row
/// number in the uploaded sheet as a number in the first column and its cells as text.
pub struct RejectedReport<'a> {
    /// The download's file name.
    pub name: &'a str,
    pub sheet: &'a str,
    pub header: Vec<String>,
    /// Columns (after the row number) wide enough for a sentence.
    pub wide_columns: Vec<u16>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl RejectedReport<'_> {
    /// Saves the report for the job's owner; `None` when no row was refused.
    pub async fn save(&self, run: &JobRun) -> Result<Option<i64>, JobFailure> {
        if self.rows.is_empty() {
            return Ok(None);
        }
        let bytes = self.build().map_err(anyhow::Error::from)?;
        let stored = run
            .state
            .files
            .save(
                &run.state.db,
                NewFile {
                    tenant_id: run.job.tenant_id,
                    owner_member_id: Some(run.job.member_id),
                    kind: "import_errors",
                    name: self.name,
                    content_type: XLSX_CONTENT_TYPE,
                },
                &bytes,
            )
            .await?;
        Ok(Some(stored.id))
    }

    fn build(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.sheet)?;
        let bold = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        for (column, name) in (0u16..).zip(&self.header) {
            sheet.write_string_with_format(0, column, name, &bold)?;
            if column > 0 {
                sheet.set_column_format(column, &text)?;
            }
        }
        for &column in &self.wide_columns {
            sheet.set_column_width(column, 45)?;
        }
        for (line, (row, cells)) in (1u32..).zip(&self.rows) {
            sheet.write_number(line, 0, *row as f64)?;
            for (column, value) in (1u16..).zip(cells) {
                sheet.write_string(line, column, value)?;
            }
        }
        workbook.save_to_buffer()
    }
}

/// A count of rows for a notification.
pub fn count(rows: usize) -> i64 {
    i64::try_from(rows).unwrap_or(i64::MAX)
}
