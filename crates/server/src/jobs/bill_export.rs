//! The 账单导出 job: the filtered charges as an xlsx in the notification list.

use rust_xlsxwriter::Workbook;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use store::entity::charge;

use super::{JobFailure, JobRun, Outcome};
use crate::files::{NewFile, XLSX_CONTENT_TYPE};
use crate::services::bills::BillExport;

pub const KIND: &str = "bill_export";

/// Rows an export holds at most (an xlsx sheet holds 1 048 576).
const MAX_ROWS: u64 = 1_000_000;

fn yuan(mfen: i64) -> f64 {
    mfen as f64 / 100_000.0
}

pub async fn run(
    run: &mut JobRun,
) -> Result<Option<store::entity::notification::Model>, JobFailure> {
    let BillExport { filter, scope } = run.payload()?;
    let state = run.state.clone();
    let tenant_id = run.job.tenant_id;
    let rows = charge::Entity::find()
        .filter(filter.condition(&scope))
        .order_by_asc(charge::Column::Id)
        .paginate(&state.db, 5_000);
    let tz = crate::services::org::time_zone(&state.db, tenant_id).await?;
    let total = rows.num_items().await?;
    if total > MAX_ROWS {
        return Err(JobFailure(format!(
            "账单共 {total} 条，超过单次导出上限 {MAX_ROWS} 条，请缩小时间范围后重试"
        )));
    }
    run.progress(10, Some(i64::try_from(total).unwrap_or(i64::MAX)))
        .await?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "时间",
        "任务",
        "线路",
        "号码",
        "通话时长(秒)",
        "计费时长(秒)",
        "单价(元/分钟)",
        "计费周期(秒)",
        "金额(元)",
        "余额(元)",
    ];
    let write =
        |error: rust_xlsxwriter::XlsxError| JobFailure(format!("无法生成账单文件：{error}"));
    for (column, title) in header.iter().enumerate() {
        sheet
            .write_string(0, u16::try_from(column).unwrap_or(0), *title)
            .map_err(write)?;
    }
    let mut row_index: u32 = 1;
    let mut page = 0;
    loop {
        let batch = rows.fetch_page(page).await?;
        if batch.is_empty() {
            break;
        }
        for bill in &batch {
            let at = bill
                .created_at
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
            let texts = [at.as_str(), &bill.task_name, &bill.line_name, &bill.phone];
            let numbers = [
                f64::from(bill.duration_seconds),
                f64::from(bill.billed_seconds),
                yuan(bill.price_mfen_per_minute),
                f64::from(bill.billing_increment_s),
                yuan(bill.amount_mfen),
                yuan(bill.balance_after_mfen),
            ];
            for (column, text) in (0u16..).zip(texts) {
                sheet.write_string(row_index, column, text).map_err(write)?;
            }
            for (column, number) in (4u16..).zip(numbers) {
                sheet
                    .write_number(row_index, column, number)
                    .map_err(write)?;
            }
            row_index += 1;
        }
        page += 1;
        let done = u64::from(row_index - 1);
        let percent = 10 + i32::try_from(done * 80 / total.max(1)).unwrap_or(80);
        run.progress(percent, None).await?;
    }
    let bytes = workbook.save_to_buffer().map_err(write)?;
    let stored = state
        .files
        .save(
            &state.db,
            NewFile {
                tenant_id,
                owner_member_id: Some(run.job.member_id),
                kind: "export",
                name: "账单明细.xlsx",
                content_type: XLSX_CONTENT_TYPE,
            },
            &bytes,
        )
        .await?;
    let count = i64::from(row_index - 1);
    let txn = store::begin(&state.db).await?;
    let notification = run
        .finish(
            &txn,
            Outcome {
                total: count,
                success_count: count,
                fail_count: 0,
                summary: None,
                result_file_id: Some(stored.id),
                succeeded: true,
            },
        )
        .await?;
    txn.commit().await?;
    Ok(notification)
}
