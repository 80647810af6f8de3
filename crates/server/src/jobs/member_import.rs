//! Importing sub-accounts from the xlsx template (ORG-3): the template, the upload check, and
//! the background job that validates every row, imports the good ones in one transaction and
//! writes the rejected ones, with their reasons, into a downloadable report.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use store::entity::member;

use super::import::{self, RejectedReport, Template};
use super::{JobFailure, JobRun, Outcome};
use crate::error::ApiError;
use crate::services::org;
use crate::sheet;

pub const KIND: &str = "member_import";
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Each row's password is hashed with Argon2 (tens of milliseconds), which bounds the size.
pub const MAX_ROWS: usize = 2000;

/// The template's columns, in order; `*` marks the required ones.
const HEADERS: [&str; 5] = ["姓名*", "手机号*", "部门", "邮箱", "密码"];
const EXAMPLE: [&str; 5] = [
    "张三",
    "13800000001",
    "销售部/华东组",
    "zhangsan@example.com",
    "",
];
const NOTE: &str = "说明：带 * 的列必填；部门填写完整路径，用 / 分隔上下级（如 销售部/华东组），留空则不属于任何部门；密码留空时为 123456，首次登录须修改。请删除本示例行后填写。";

pub fn template() -> anyhow::Result<Vec<u8>> {
    Template {
        sheet: "子账户",
        headers: &HEADERS,
        example: &EXAMPLE,
        note: NOTE,
    }
    .xlsx()
}

fn unsupported() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_FILE",
        "请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）",
    )
}

/// The data rows of the first sheet with their row numbers, after checking the headers
/// against the template.
fn read_rows(name: &str, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, ApiError> {
    let table = sheet::read(name, bytes)?;
    let expected: Vec<&str> = HEADERS.iter().map(|h| h.trim_end_matches('*')).collect();
    let found: Vec<String> = table
        .header
        .iter()
        .map(|h| h.trim().trim_end_matches('*').trim().to_owned())
        .collect();
    let matches = found.len() >= expected.len()
        && expected.iter().zip(&found).all(|(want, got)| want == got)
        && found[expected.len()..].iter().all(String::is_empty);
    if !matches {
        return Err(ApiError::invalid(
            "BAD_HEADERS",
            format!(
                "表头与模板不一致，应为：{}。请下载最新模板后填写",
                HEADERS.join("、")
            ),
        ));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(ApiError::invalid(
            "TOO_MANY_ROWS",
            format!(
                "一次最多导入 {MAX_ROWS} 个子账户，本文件有 {} 行",
                table.rows.len()
            ),
        ));
    }
    Ok(table.rows)
}

/// Checks an upload before queueing it, so a wrong file is refused at once.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<(), ApiError> {
    let is_xlsx_name = name.to_lowercase().ends_with(".xlsx");
    if !is_xlsx_name || !bytes.starts_with(b"PK\x03\x04") {
        return Err(unsupported());
    }
    read_rows(name, bytes).map(|_| ())
}

#[derive(Deserialize)]
struct Payload {
    file_id: i64,
}

/// A row that passed validation.
struct GoodRow {
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
    password: Option<String>,
}

pub async fn run(
    run: &mut JobRun,
) -> Result<Option<store::entity::notification::Model>, JobFailure> {
    let payload: Payload = run.payload()?;
    let state = run.state.clone();
    let tenant_id = run.job.tenant_id;
    let (name, bytes) = import::uploaded(run, payload.file_id).await?;
    let rows = read_rows(&name, &bytes).map_err(|error| JobFailure(error.message))?;
    drop(bytes);
    let total = import::count(rows.len());
    run.progress(5, Some(total)).await?;

    let importer = member::Entity::find_by_id(run.job.member_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| JobFailure("导入人账号已不存在".to_owned()))?;
    let rights = org::rights_of(&state.db, &importer).await?;
    if !rights
        .permissions
        .contains(domain::permissions::MEMBER_MANAGE)
    {
        return Err(JobFailure("没有管理子账户的权限".to_owned()));
    }
    let departments = org::departments(&state.db, tenant_id).await?;
    let by_path = department_paths(&departments);

    let phones: Vec<String> = rows
        .iter()
        .filter_map(|(_, row)| {
            domain::identity::normalize_mobile(row.get(1).map_or("", String::as_str))
        })
        .collect();
    let emails: Vec<String> = rows
        .iter()
        .filter_map(|(_, row)| row.get(3).map(|e| e.trim().to_lowercase()))
        .filter(|e| !e.is_empty())
        .collect();
    let mut taken_phones: HashSet<String> = HashSet::new();
    let mut taken_emails: HashSet<String> = HashSet::new();
    for chunk in phones.chunks(500) {
        let found = member::Entity::find()
            .filter(member::Column::Phone.is_in(chunk.to_vec()))
            .all(&state.db)
            .await?;
        taken_phones.extend(found.into_iter().map(|m| m.phone));
    }
    for chunk in emails.chunks(500) {
        let found = member::Entity::find()
            .filter(member::Column::Email.is_in(chunk.to_vec()))
            .all(&state.db)
            .await?;
        taken_emails.extend(found.into_iter().filter_map(|m| m.email));
    }

    let mut good = Vec::new();
    let mut rejected: Vec<(usize, &Vec<String>, String)> = Vec::new();
    for (line, row) in &rows {
        let cell = |i: usize| row.get(i).map_or("", |s| s.trim());
        match check_row(
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            cell(4),
            &by_path,
            &taken_phones,
            &taken_emails,
        ) {
            Ok(row_ok) => {
                if !rights.scope.may_place_in(row_ok.department_id) {
                    rejected.push((*line, row, "只能导入到本部门及下级部门".to_owned()));
                    continue;
                }
                taken_phones.insert(row_ok.phone.clone());
                if let Some(email) = &row_ok.email {
                    taken_emails.insert(email.clone());
                }
                good.push(row_ok);
            }
            Err(reason) => rejected.push((*line, row, reason)),
        }
    }
    run.progress(15, Some(total)).await?;

    let mut models = Vec::with_capacity(good.len());
    let now = Utc::now();
    let step = (good.len() / 10).max(1);
    for (done, row) in good.into_iter().enumerate() {
        let must_change = row.password.is_none();
        let password = row
            .password
            .unwrap_or_else(|| domain::identity::INITIAL_PASSWORD.to_owned());
        models.push(
            member::NewMember {
                tenant_id,
                name: row.name,
                phone: row.phone,
                email: row.email,
                department_id: row.department_id,
                password_hash: crate::auth::password::hash(&password).await?,
                must_change_password: must_change,
                is_owner: false,
            }
            .into_active_model(now),
        );
        if done % step == 0 {
            let percent = 15 + i32::try_from(done * 80 / models.capacity().max(1)).unwrap_or(80);
            run.progress(percent, Some(total)).await?;
        }
    }

    let report = RejectedReport {
        name: "子账户导入失败明细.xlsx",
        sheet: "失败明细",
        header: std::iter::once("行号")
            .chain(HEADERS)
            .chain(["失败原因"])
            .map(str::to_owned)
            .collect(),
        wide_columns: vec![u16::try_from(HEADERS.len() + 1).unwrap_or(u16::MAX)],
        rows: rejected
            .into_iter()
            .map(|(line, cells, reason)| {
                let cells = cells.iter().take(HEADERS.len()).cloned();
                (line, cells.chain([reason]).collect())
            })
            .collect(),
    };
    let fail_count = import::count(report.rows.len());
    let report = report.save(run).await?;
    let success_count = import::count(models.len());
    let txn = store::begin(&state.db).await?;
    for chunk in models.chunks(200) {
        member::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(|error| match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => JobFailure(
                    "导入期间有手机号或邮箱被其他账号占用，未导入任何数据，请重新导入".to_owned(),
                ),
                _ => JobFailure::from(error),
            })?;
    }
    let summary = (fail_count > 0)
        .then(|| format!("{fail_count} 行未通过校验，请下载失败明细修改后重新导入"));
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
    Ok(notification)
}

/// `销售部/华东组` → department id, for every department of the company.
fn department_paths(rows: &[store::entity::department::Model]) -> HashMap<String, i64> {
    let by_id: HashMap<i64, &store::entity::department::Model> =
        rows.iter().map(|r| (r.id, r)).collect();
    rows.iter()
        .map(|row| {
            let mut names = vec![row.name.as_str()];
            let mut parent = row.parent_id;
            while let Some(id) = parent {
                let Some(up) = by_id.get(&id) else { break };
                if names.len() > rows.len() {
                    break;
                }
                names.push(up.name.as_str());
                parent = up.parent_id;
            }
            names.reverse();
            (names.join("/"), row.id)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn check_row(
    name: &str,
    phone: &str,
    department: &str,
    email: &str,
    password: &str,
    by_path: &HashMap<String, i64>,
    taken_phones: &HashSet<String>,
    taken_emails: &HashSet<String>,
) -> Result<GoodRow, String> {
    if name.is_empty() {
        return Err("姓名不能为空".to_owned());
    }
    if name.chars().count() > 50 {
        return Err("姓名不能超过 50 个字".to_owned());
    }
    if phone.is_empty() {
        return Err("手机号不能为空".to_owned());
    }
    let phone = domain::identity::normalize_mobile(phone)
        .ok_or_else(|| format!("手机号“{phone}”格式不正确"))?;
    if taken_phones.contains(&phone) {
        return Err(format!("手机号 {phone} 已被使用（或在本文件中重复）"));
    }
    let department_id = if department.is_empty() {
        None
    } else {
        let path: Vec<&str> = department
            .split(['/', '／'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        Some(
            *by_path
                .get(&path.join("/"))
                .ok_or_else(|| format!("部门“{department}”不存在，请先在通讯录中创建"))?,
        )
    };
    let email = if email.is_empty() {
        None
    } else if domain::identity::is_valid_email(email) {
        let email = email.to_lowercase();
        if taken_emails.contains(&email) {
            return Err(format!("邮箱 {email} 已被使用（或在本文件中重复）"));
        }
        Some(email)
    } else {
        return Err(format!("邮箱“{email}”格式不正确"));
    };
    let password = if password.is_empty() {
        None
    } else {
        domain::identity::check_password_strength(password).map_err(|_| {
            "密码至少 8 位，且需同时包含字母和数字（或留空使用初始密码）".to_owned()
        })?;
        Some(password.to_owned())
    };
    Ok(GoodRow {
        name: name.to_owned(),
        phone,
        email,
        department_id,
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_passes_its_own_header_check() {
        let bytes = template().map_err(|e| e.to_string()).unwrap_or_default();
        let rows = read_rows("模板.xlsx", &bytes).map_err(|e| e.message);
        assert_eq!(rows.map(|r| r.len()), Ok(1));
    }

    #[test]
    fn rows_are_checked_with_reasons() {
        let paths = HashMap::from([("销售部/华东组".to_owned(), 7)]);
        let taken = HashSet::from(["13900000000".to_owned()]);
        let none = HashSet::new();
        let ok = check_row(
            "李雷",
            "138 0000 0001",
            "销售部 / 华东组",
            "",
            "",
            &paths,
            &taken,
            &none,
        );
        assert_eq!(ok.as_ref().map(|r| r.department_id), Ok(Some(7)));
        assert_eq!(ok.map(|r| r.phone), Ok("13800000001".to_owned()));
        assert!(check_row("", "13800000001", "", "", "", &paths, &taken, &none).is_err());
        let bad_phone = check_row("李雷", "1234", "", "", "", &paths, &taken, &none);
        assert!(bad_phone.err().is_some_and(|r| r.contains("格式不正确")));
        let taken_phone = check_row("李雷", "13900000000", "", "", "", &paths, &taken, &none);
        assert!(taken_phone.err().is_some_and(|r| r.contains("已被使用")));
        let unknown = check_row(
            "李雷",
            "13800000001",
            "客服部",
            "",
            "",
            &paths,
            &taken,
            &none,
        );
        assert!(unknown.err().is_some_and(|r| r.contains("不存在")));
        let weak = check_row("李雷", "13800000001", "", "", "123", &paths, &taken, &none);
        assert!(weak.is_err());
    }
}
