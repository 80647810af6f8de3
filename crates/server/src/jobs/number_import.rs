//! Importing numbers into tasks (NUM-1..3): the template, the header check at upload, and the
//! background job that normalises every row, drops duplicates and blacklisted numbers with a
//! reason, looks up region and carrier, and inserts the batch in one transaction together with
//! the job's end, so a crash leaves all of the batch or none of it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::phone::{self, PhoneKind};
use domain::task::NumberStatus;
use sea_orm::sea_query::{Expr, Func, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Statement, Value,
};
use serde::Deserialize;
use store::entity::{customer, task, task_number};

use super::import::{self, RejectedReport, Template};
use super::{JobFailure, JobRun, Outcome};
use crate::error::ApiError;
use crate::services::tasks::scope::TaskScope;
use crate::sheet::{self, Table};

pub const KIND: &str = "number_import";
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
pub const MAX_ROWS: usize = 250_000;
/// Rows per INSERT: 13 values each stays under SQLite's and PostgreSQL's parameter limits.
const INSERT_CHUNK: usize = 1_000;

/// The template's columns; other columns are kept as script variables.
const HEADERS: [&str; 6] = ["号码*", "联系人", "公司", "性别", "意向商品SKU", "别名"];
const EXAMPLE: [&str; 6] = [
    "13800138000",
    "王先生",
    "示例科技有限公司",
    "1",
    "SKU001,SKU002",
    "",
];
const NOTE: &str = "说明：号码必填，支持手机号和带区号的固定电话（如 0571-88776655，分机写在最后一个短横线后）；性别填 1（男）、2（女）或留空；意向商品SKU 多个用英文逗号分隔；别名用于一个表格导入多个任务（在“按别名导入”时填写任务的别名）。模板之外的列（如 城市、课程）会作为话术变量，在话术中用 ${列名} 引用；联系人可用 ${姓名} 引用。一次最多 250000 行。请删除本示例行后填写。";

/// Accepted spellings of the phone column, as people name it.
const PHONE_HEADERS: [&str; 5] = ["号码", "手机号", "手机号码", "电话", "电话号码"];

pub fn template() -> anyhow::Result<Vec<u8>> {
    Template {
        sheet: "号码",
        headers: &HEADERS,
        example: &EXAMPLE,
        note: NOTE,
    }
    .xlsx()
}

/// Where each known column is; `extras` are the others, by header.
pub struct Columns {
    phone: usize,
    name: Option<usize>,
    company: Option<usize>,
    gender: Option<usize>,
    sku: Option<usize>,
    alias: Option<usize>,
    extras: Vec<(usize, String)>,
}

impl Columns {
    pub fn of(header: &[String]) -> Result<Self, ApiError> {
        let clean: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_end_matches('*').trim().to_owned())
            .collect();
        let find = |names: &[&str]| clean.iter().position(|h| names.contains(&h.as_str()));
        let phone = find(&PHONE_HEADERS).ok_or_else(|| {
            ApiError::invalid(
                "BAD_HEADERS",
                "表头缺少“号码”列（必填）。请下载导入模板，按模板的表头填写",
            )
        })?;
        let name = find(&["联系人", "姓名", "客户姓名"]);
        let company = find(&["公司", "公司名称", "单位"]);
        let gender = find(&["性别"]);
        let sku = find(&["意向商品SKU", "SKU"]);
        let alias = find(&["别名", "任务别名"]);
        let known = [Some(phone), name, company, gender, sku, alias];
        let mut seen = HashSet::new();
        let mut extras = Vec::new();
        for (index, header) in clean.iter().enumerate() {
            if known.contains(&Some(index)) || header.is_empty() {
                continue;
            }
            if !seen.insert(header.clone()) {
                return Err(ApiError::invalid(
                    "BAD_HEADERS",
                    format!("表头“{header}”重复，请修改后再导入"),
                ));
            }
            extras.push((index, header.clone()));
        }
        Ok(Self {
            phone,
            name,
            company,
            gender,
            sku,
            alias,
            extras,
        })
    }
}

/// A quick look at an upload before queueing it: the format, the headers and the size, so a
/// wrong file is refused at once. The job reads it again in full.
pub fn check_file(name: &str, bytes: &[u8], by_alias: bool) -> Result<(), ApiError> {
    let (header, rows) = sheet::peek(name, bytes)?;
    let columns = Columns::of(&header)?;
    if by_alias && columns.alias.is_none() {
        return Err(ApiError::invalid(
            "BAD_HEADERS",
            "按别名导入需要“别名”列，请填写每行号码要进入的任务别名",
        ));
    }
    check_size(rows)
}

fn check_size(rows: usize) -> Result<(), ApiError> {
    if rows > MAX_ROWS {
        return Err(ApiError::invalid(
            "TOO_MANY_ROWS",
            format!("一次最多导入 {MAX_ROWS} 行，本文件有 {rows} 行，请拆分后分批导入"),
        ));
    }
    Ok(())
}

/// One good row, ready to insert.
pub struct NewNumber {
    pub task_id: i64,
    pub phone: String,
    pub name: String,
    pub company: String,
    pub gender: i16,
    pub extra: String,
    pub province: &'static str,
    pub city: &'static str,
    pub carrier: &'static str,
}

/// A refused row: its spreadsheet row number, its cells and why.
pub struct Rejected {
    pub row: usize,
    pub cells: Vec<String>,
    pub reason: String,
}

/// Where rows go: one task, or by 别名 to the company's tasks.
pub enum Routing {
    Task(i64),
    ByAlias(HashMap<String, i64>),
}

/// What the rows are checked against, per task: numbers already in it and numbers on its
/// blacklist groups.
#[derive(Default)]
pub struct Known {
    pub existing: HashMap<i64, HashSet<String>>,
    pub blacklisted: HashMap<i64, HashSet<String>>,
}

/// Sorts the rows into good and rejected; pure, so it can be measured and tested alone.
pub fn prepare(
    table: &Table,
    columns: &Columns,
    routing: &Routing,
    known: &Known,
) -> (Vec<NewNumber>, Vec<Rejected>) {
    let mut good = Vec::with_capacity(table.rows.len());
    let mut rejected = Vec::new();
    let mut seen: HashSet<(i64, String)> = HashSet::with_capacity(table.rows.len());
    let empty = HashSet::new();
    for (row, cells) in &table.rows {
        let cell =
            |index: Option<usize>| index.and_then(|i| cells.get(i)).map_or("", String::as_str);
        let reject = |reason: String| Rejected {
            row: *row,
            cells: cells.clone(),
            reason,
        };
        let task_id = match routing {
            Routing::Task(id) => *id,
            Routing::ByAlias(tasks) => {
                let alias = cell(columns.alias);
                if alias.is_empty() {
                    rejected.push(reject("别名为空，不知道导入哪个任务".to_owned()));
                    continue;
                }
                match tasks.get(alias) {
                    Some(id) => *id,
                    None => {
                        rejected.push(reject(format!("没有别名为“{alias}”的任务")));
                        continue;
                    }
                }
            }
        };
        let parsed = match phone::normalize(cell(Some(columns.phone))) {
            Ok(parsed) => parsed,
            Err(error) => {
                rejected.push(reject(error.to_string()));
                continue;
            }
        };
        if known
            .existing
            .get(&task_id)
            .unwrap_or(&empty)
            .contains(&parsed.number)
        {
            rejected.push(reject("号码已在任务中".to_owned()));
            continue;
        }
        if known
            .blacklisted
            .get(&task_id)
            .unwrap_or(&empty)
            .contains(&parsed.number)
        {
            rejected.push(reject("号码在任务绑定的黑名单中".to_owned()));
            continue;
        }
        if !seen.insert((task_id, parsed.number.clone())) {
            rejected.push(reject("号码在文件中重复".to_owned()));
            continue;
        }
        let region = match parsed.kind {
            PhoneKind::Mobile => domain::phone_region::lookup(&parsed.number),
            // The stored landline may carry an extension after a dash.
            PhoneKind::Landline => domain::phone_region::lookup(
                parsed.number.split('-').next().unwrap_or(&parsed.number),
            ),
        };
        let name = cell(columns.name).to_owned();
        let company = cell(columns.company).to_owned();
        let mut extra = serde_json::Map::new();
        if !name.is_empty() {
            extra.insert("姓名".to_owned(), name.clone().into());
        }
        if !company.is_empty() {
            extra.insert("公司".to_owned(), company.clone().into());
        }
        let sku = cell(columns.sku);
        if !sku.is_empty() {
            extra.insert("意向商品SKU".to_owned(), sku.into());
        }
        for (index, header) in &columns.extras {
            let value = cell(Some(*index));
            if !value.is_empty() {
                extra.insert(header.clone(), value.into());
            }
        }
        good.push(NewNumber {
            task_id,
            phone: parsed.number,
            name,
            company,
            gender: match cell(columns.gender) {
                "1" | "男" => 1,
                "2" | "女" => 2,
                _ => 0,
            },
            extra: serde_json::Value::Object(extra).to_string(),
            province: region.as_ref().map_or("", |r| r.province()),
            city: region.as_ref().map_or("", |r| r.city()),
            carrier: region
                .as_ref()
                .and_then(|r| r.carrier())
                .map_or("", |c| c.label()),
        });
    }
    (good, rejected)
}

/// Numbers already in the tasks and the tasks' blacklisted numbers among the file's.
pub async fn known_numbers(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    task_groups: &HashMap<i64, Vec<i64>>,
    table: &Table,
    columns: &Columns,
    now: DateTime<Utc>,
) -> Result<Known, DbErr> {
    let mut known = Known::default();
    for &task_id in task_groups.keys() {
        let phones: Vec<String> = task_number::Entity::find()
            .select_only()
            .column(task_number::Column::Phone)
            .filter(task_number::Column::TenantId.eq(tenant_id))
            .filter(task_number::Column::TaskId.eq(task_id))
            .into_tuple()
            .all(db)
            .await?;
        known.existing.insert(task_id, phones.into_iter().collect());
    }
    let file_phones: Vec<String> = table
        .rows
        .iter()
        .filter_map(|(_, cells)| cells.get(columns.phone))
        .filter_map(|text| phone::normalize(text).ok().map(|p| p.number))
        .collect();
    for (&task_id, groups) in task_groups {
        let listed = crate::blacklist::blocked(db, tenant_id, groups, &file_phones, now).await?;
        known.blacklisted.insert(task_id, listed);
    }
    Ok(known)
}

/// Inserts the good rows and refreshes the tasks' totals; the caller owns the transaction.
pub async fn insert_numbers(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    job_id: Option<i64>,
    rows: &[NewNumber],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        insert_unnest(db, tenant_id, job_id, rows, now).await?;
    } else {
        insert_values(db, tenant_id, job_id, rows, now).await?;
    }
    let tasks: HashSet<i64> = rows.iter().map(|r| r.task_id).collect();
    for task_id in tasks {
        refresh_total(db, task_id).await?;
    }
    Ok(())
}

/// PostgreSQL: one statement per 50 000 rows, each column sent as one array and unnested,
/// instead of thousands of bound values to parse per statement.
async fn insert_unnest(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    job_id: Option<i64>,
    rows: &[NewNumber],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    const SQL: &str = "INSERT INTO task_numbers (tenant_id, task_id, phone, name, company, gender, \
        extra, province, city, carrier, status, attempts, import_job_id, created_at, next_call_at) \
        SELECT $1, t.task_id, t.phone, t.name, t.company, t.gender, t.extra, t.province, t.city, \
        t.carrier, $2, 0, $3, $4, $4 \
        FROM UNNEST($5::bigint[], $6::text[], $7::text[], $8::text[], $9::smallint[], \
        $10::text[], $11::text[], $12::text[], $13::text[]) \
        AS t(task_id, phone, name, company, gender, extra, province, city, carrier)";
    for chunk in rows.chunks(50_000) {
        let text = |f: fn(&NewNumber) -> &str| -> Value {
            chunk
                .iter()
                .map(|r| f(r).to_owned())
                .collect::<Vec<String>>()
                .into()
        };
        let values: Vec<Value> = vec![
            tenant_id.into(),
            NumberStatus::Pending.code().into(),
            job_id.into(),
            now.into(),
            chunk.iter().map(|r| r.task_id).collect::<Vec<i64>>().into(),
            text(|r| &r.phone),
            text(|r| &r.name),
            text(|r| &r.company),
            chunk.iter().map(|r| r.gender).collect::<Vec<i16>>().into(),
            text(|r| &r.extra),
            text(|r| r.province),
            text(|r| r.city),
            text(|r| r.carrier),
        ];
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            SQL,
            values,
        ))
        .await?;
    }
    Ok(())
}

/// SQLite: multi-row INSERTs of a thousand rows, the statement prepared once and reused.
async fn insert_values(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    job_id: Option<i64>,
    rows: &[NewNumber],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use task_number::Column as C;
    let pending = NumberStatus::Pending.code();
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(task_number::Entity).columns([
            C::TenantId,
            C::TaskId,
            C::Phone,
            C::Name,
            C::Company,
            C::Gender,
            C::Extra,
            C::Province,
            C::City,
            C::Carrier,
            C::Status,
            C::Attempts,
            C::ImportJobId,
            C::CreatedAt,
            C::NextCallAt,
        ]);
        for row in chunk {
            insert
                .values([
                    tenant_id.into(),
                    row.task_id.into(),
                    row.phone.as_str().into(),
                    row.name.as_str().into(),
                    row.company.as_str().into(),
                    row.gender.into(),
                    row.extra.as_str().into(),
                    row.province.into(),
                    row.city.into(),
                    row.carrier.into(),
                    pending.into(),
                    0i32.into(),
                    job_id.into(),
                    now.into(),
                    now.into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Sets a task's number count from its rows.
pub async fn refresh_total(db: &impl ConnectionTrait, task_id: i64) -> Result<(), DbErr> {
    let count = Query::select()
        .expr(Func::count(Expr::col(task_number::Column::Id)))
        .from(task_number::Entity)
        .and_where(task_number::Column::TaskId.eq(task_id))
        .to_owned();
    task::Entity::update_many()
        .col_expr(task::Column::TotalNumbers, Expr::expr(count))
        .filter(task::Column::Id.eq(task_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Copies the rows into the customer public pool (客户公海); numbers already there stay as
/// they are.
async fn copy_to_pool(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    rows: &[NewNumber],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use customer::Column as C;
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut insert = Query::insert();
        insert
            .into_table(customer::Entity)
            .columns([
                C::TenantId,
                C::Phone,
                C::Name,
                C::Company,
                C::Gender,
                C::Extra,
                C::Source,
                C::CreatedAt,
                C::UpdatedAt,
            ])
            .on_conflict(
                OnConflict::columns([C::TenantId, C::Phone])
                    .do_nothing()
                    .to_owned(),
            );
        let mut seen = HashSet::new();
        for row in chunk.iter().filter(|r| seen.insert(r.phone.as_str())) {
            insert
                .values([
                    tenant_id.into(),
                    row.phone.as_str().into(),
                    row.name.as_str().into(),
                    row.company.as_str().into(),
                    row.gender.into(),
                    row.extra.as_str().into(),
                    "号码导入".into(),
                    now.into(),
                    now.into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct Payload {
    file_id: i64,
    /// `None`: route rows by 别名.
    task_id: Option<i64>,
    #[serde(default)]
    to_pool: bool,
    /// The importer's view of the tasks: rows go only into tasks they could see.
    scope: TaskScope,
}

pub async fn run(
    run: &mut JobRun,
) -> Result<Option<store::entity::notification::Model>, JobFailure> {
    let payload: Payload = run.payload()?;
    let state = run.state.clone();
    let tenant_id = run.job.tenant_id;
    let (name, bytes) = import::uploaded(run, payload.file_id).await?;
    let started = std::time::Instant::now();
    let table = sheet::read(&name, &bytes).map_err(|e| JobFailure(e.message))?;
    let read_at = started.elapsed();
    drop(bytes);
    let columns = Columns::of(&table.header).map_err(|e| JobFailure(e.message))?;
    check_size(table.rows.len()).map_err(|e| JobFailure(e.message))?;
    let total = import::count(table.rows.len());
    run.progress(30, Some(total)).await?;

    let tasks = task::Entity::find()
        .filter(payload.scope.tasks())
        .all(&state.db)
        .await?;
    let groups_of = |row: &task::Model| {
        serde_json::from_str::<domain::task::TaskSettings>(&row.settings)
            .map(|s| s.blacklist_group_ids)
            .unwrap_or_default()
    };
    let (routing, task_groups) = match payload.task_id {
        Some(id) => {
            let row = tasks
                .iter()
                .find(|t| t.id == id)
                .ok_or_else(|| JobFailure("任务已被删除，未导入任何号码".to_owned()))?;
            (Routing::Task(id), HashMap::from([(id, groups_of(row))]))
        }
        None => {
            let mut by_alias = HashMap::new();
            let mut groups = HashMap::new();
            for row in &tasks {
                let Ok(settings) =
                    serde_json::from_str::<domain::task::TaskSettings>(&row.settings)
                else {
                    continue;
                };
                if !settings.alias.is_empty() {
                    by_alias.insert(settings.alias.clone(), row.id);
                    groups.insert(row.id, settings.blacklist_group_ids);
                }
            }
            (Routing::ByAlias(by_alias), groups)
        }
    };
    let now = Utc::now();
    let known = known_numbers(&state.db, tenant_id, &task_groups, &table, &columns, now).await?;
    let known_at = started.elapsed();
    run.progress(50, Some(total)).await?;
    let (good, rejected) = prepare(&table, &columns, &routing, &known);
    let prepared_at = started.elapsed();
    run.progress(70, Some(total)).await?;

    let report = RejectedReport {
        name: "号码导入失败明细.xlsx",
        sheet: "未导入的行",
        header: ["原文件行号", "原因"]
            .into_iter()
            .map(str::to_owned)
            .chain(table.header.iter().cloned())
            .collect(),
        wide_columns: vec![1],
        rows: rejected
            .into_iter()
            .map(|r| (r.row, std::iter::once(r.reason).chain(r.cells).collect()))
            .collect(),
    };
    let fail_count = import::count(report.rows.len());
    let report = report.save(run).await?;
    let success_count = import::count(good.len());
    let txn = store::begin(&state.db).await?;
    insert_numbers(&txn, tenant_id, Some(run.job.id), &good, now)
        .await
        .map_err(|error| match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => JobFailure(
                "导入期间任务中加入了相同的号码，本批未导入任何号码，请重新导入".to_owned(),
            ),
            _ => JobFailure::from(error),
        })?;
    if payload.to_pool {
        copy_to_pool(&txn, tenant_id, &good, now).await?;
    }
    let summary = (fail_count > 0).then(|| {
        format!("成功导入 {success_count} 个号码，{fail_count} 行未导入，请下载失败明细查看原因")
    });
    let notification = run
        .finish(
            &txn,
            Outcome {
                total,
                success_count,
                fail_count,
                summary,
                result_file_id: report,
                succeeded: success_count > 0,
            },
        )
        .await?;
    txn.commit().await?;
    tracing::info!(
        job = run.job.id,
        rows = total,
        imported = success_count,
        read = ?read_at,
        checked = ?known_at,
        prepared = ?prepared_at,
        committed = ?started.elapsed(),
        "number import finished"
    );
    Ok(notification)
}
