//! What a task's settings point at, checked against the database: lines the company may
//! use, its scripts, LLM robots, quality conditions and blacklist groups; and who holds a
//! line's concurrency.

use std::collections::HashSet;

use domain::task::{TaskKind, TaskSettings, TaskStatus};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use store::entity::{
    blacklist_group, line, line_assignment, llm_robot, quality_condition, script, script_version,
    task,
};

use super::Holder;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// The lines a company may use: its own simulated line and the platform lines assigned to it.
pub async fn company_lines(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> ApiResult<Vec<line::Model>> {
    Ok(line::Entity::find()
        .filter(
            Condition::any()
                .add(line::Column::TenantId.eq(tenant_id))
                .add(
                    line::Column::Id.in_subquery(
                        Query::select()
                            .column(line_assignment::Column::LineId)
                            .from(line_assignment::Entity)
                            .and_where(line_assignment::Column::TenantId.eq(tenant_id))
                            .to_owned(),
                    ),
                ),
        )
        .order_by_asc(line::Column::Id)
        .all(db)
        .await?)
}

/// One line the company may use, or `None`.
pub async fn usable_line(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    line_id: i64,
) -> ApiResult<Option<line::Model>> {
    Ok(company_lines(db, tenant_id)
        .await?
        .into_iter()
        .find(|l| l.id == line_id))
}

/// The form field a settings path belongs to, for 422 answers (`schedule.days.mon` → `schedule`).
pub fn field_of(path: &str) -> &'static str {
    const FIELDS: [&str; 20] = [
        "tags",
        "alias",
        "kind",
        "dialog",
        "llm_robot_id",
        "quality_condition_id",
        "line_id",
        "blacklist_group_ids",
        "valid_from",
        "valid_until",
        "schedule",
        "skip_holidays",
        "forbidden",
        "call_interval_s",
        "concurrency",
        "end_action",
        "transfer",
        "quota",
        "retry",
        "name",
    ];
    let head = path.split(['.', '[']).next().unwrap_or("");
    FIELDS
        .into_iter()
        .find(|f| *f == head)
        .unwrap_or("settings")
}

/// Everything the settings name must exist in the caller's company.
pub async fn check(
    db: &impl ConnectionTrait,
    caller: &Caller,
    settings: &TaskSettings,
    except: Option<i64>,
) -> ApiResult<()> {
    let tenant = caller.tenant();
    let line = usable_line(db, tenant, settings.line_id)
        .await?
        .ok_or_else(|| ApiError::validation("line_id", "请选择可用的线路"))?;
    let max = u32::try_from(line.max_concurrency).unwrap_or(0);
    if settings.concurrency > max {
        return Err(ApiError::validation(
            "concurrency",
            format!("并发数不能超过线路“{}”的最大并发 {max}", line.name),
        ));
    }
    match settings.kind {
        TaskKind::Script => {
            let wanted = settings.script_ids();
            let found = script::Entity::find()
                .filter(script::Column::TenantId.eq(tenant))
                .filter(script::Column::Id.is_in(wanted.clone()))
                .count(db)
                .await?;
            if found != wanted.len() as u64 {
                return Err(ApiError::validation("dialog", "所选话术不存在，请重新选择"));
            }
        }
        TaskKind::Llm => {
            let id = settings.llm_robot_id.unwrap_or_default();
            let found = llm_robot::Entity::find_by_id(id)
                .filter(llm_robot::Column::TenantId.eq(tenant))
                .count(db)
                .await?;
            if found == 0 {
                return Err(ApiError::validation(
                    "llm_robot_id",
                    "所选大模型机器人不存在，请重新选择",
                ));
            }
        }
    }
    if let Some(id) = settings.quality_condition_id {
        let found = quality_condition::Entity::find_by_id(id)
            .filter(quality_condition::Column::TenantId.eq(tenant))
            .count(db)
            .await?;
        if found == 0 {
            return Err(ApiError::validation(
                "quality_condition_id",
                "所选质检条件不存在，请重新选择",
            ));
        }
    }
    let groups: HashSet<i64> = settings.blacklist_group_ids.iter().copied().collect();
    let found = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant))
        .filter(blacklist_group::Column::Id.is_in(groups.iter().copied()))
        .count(db)
        .await?;
    if found != groups.len() as u64 {
        return Err(ApiError::validation(
            "blacklist_group_ids",
            "所选黑名单分组不存在，请重新选择",
        ));
    }
    if !settings.alias.is_empty() {
        let clash = tasks_by_alias(db, tenant)
            .await?
            .into_iter()
            .any(|(alias, id)| alias == settings.alias && Some(id) != except);
        if clash {
            return Err(ApiError::validation(
                "alias",
                format!("别名“{}”已被其他任务使用", settings.alias),
            ));
        }
    }
    Ok(())
}

/// Every task of the company that has an alias (别名), as (alias, task id).
pub async fn tasks_by_alias(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> ApiResult<Vec<(String, i64)>> {
    Ok(task::Entity::find()
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::IsTemplate.eq(false))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let settings: TaskSettings = serde_json::from_str(&row.settings).ok()?;
            (!settings.alias.is_empty()).then_some((settings.alias, row.id))
        })
        .collect())
}

/// What starting needs beyond valid settings: numbers, published scripts, an active line.
pub async fn check_startable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    row: &task::Model,
    settings: &TaskSettings,
) -> ApiResult<()> {
    if row.total_numbers == 0 {
        return Err(ApiError::invalid(
            "NO_NUMBERS",
            "任务还没有号码，请先导入号码再启动",
        ));
    }
    let line = usable_line(db, caller.tenant(), settings.line_id)
        .await?
        .ok_or_else(|| {
            ApiError::invalid(
                "LINE_UNAVAILABLE",
                "任务的线路已不可用，请编辑任务重新选择线路",
            )
        })?;
    if line.status != "active" {
        return Err(ApiError::invalid(
            "LINE_UNAVAILABLE",
            format!("线路“{}”已停用，请编辑任务换一条线路", line.name),
        ));
    }
    if settings.kind == TaskKind::Script {
        let unpublished: Vec<String> = script::Entity::find()
            .filter(script::Column::TenantId.eq(caller.tenant()))
            .filter(script::Column::Id.is_in(settings.script_ids()))
            .filter(script::Column::PublishedVersion.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|s| format!("《{}》", s.name))
            .collect();
        if !unpublished.is_empty() {
            return Err(ApiError::invalid(
                "SCRIPT_UNPUBLISHED",
                format!("话术{}还没有发布，请发布后再启动任务", unpublished.join("")),
            ));
        }
    }
    Ok(())
}

/// The running tasks on a line other than `except`, across every company that uses the line;
/// another company's task is shown without its name.
pub async fn holders(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    line_id: i64,
    except: i64,
) -> ApiResult<Vec<Holder>> {
    let rows = task::Entity::find()
        .filter(task::Column::LineId.eq(line_id))
        .filter(task::Column::Status.eq(TaskStatus::Running.code()))
        .filter(task::Column::Id.ne(except))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let concurrency =
                serde_json::from_str::<TaskSettings>(&row.settings).map_or(0, |s| s.concurrency);
            if row.tenant_id == tenant_id {
                Holder {
                    task_id: Some(row.id),
                    name: row.name,
                    concurrency,
                }
            } else {
                Holder {
                    task_id: None,
                    name: "其他企业的任务".to_owned(),
                    concurrency,
                }
            }
        })
        .collect())
}

pub async fn newest_published_script(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> ApiResult<Option<i64>> {
    Ok(script::Entity::find()
        .filter(script::Column::TenantId.eq(tenant_id))
        .filter(script::Column::PublishedVersion.is_not_null())
        .order_by_desc(script::Column::UpdatedAt)
        .limit(1)
        .one(db)
        .await?
        .map(|s| s.id))
}

pub async fn default_blacklist_group(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> ApiResult<Option<i64>> {
    Ok(blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .filter(blacklist_group::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .map(|g| g.id))
}

/// The names of a script and an LLM robot of the company, for the task page.
pub async fn names(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    script_id: Option<i64>,
    llm_robot_id: Option<i64>,
) -> ApiResult<(Option<String>, Option<String>)> {
    let script = match script_id {
        Some(id) => script::Entity::find_by_id(id)
            .filter(script::Column::TenantId.eq(tenant_id))
            .one(db)
            .await?
            .map(|s| s.name),
        None => None,
    };
    let robot = match llm_robot_id {
        Some(id) => llm_robot::Entity::find_by_id(id)
            .filter(llm_robot::Column::TenantId.eq(tenant_id))
            .one(db)
            .await?
            .map(|r| r.name),
        None => None,
    };
    Ok((script, robot))
}

/// The newest published version of each of the task's scripts, as `{script_id: version_id}`:
/// a task calls with the versions it started with, whatever is published meanwhile.
pub async fn pin_scripts(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    settings: &TaskSettings,
) -> ApiResult<String> {
    let mut pinned = serde_json::Map::new();
    for script_id in settings.script_ids() {
        let version = script_version::Entity::find()
            .filter(script_version::Column::TenantId.eq(tenant_id))
            .filter(script_version::Column::ScriptId.eq(script_id))
            .order_by_desc(script_version::Column::Version)
            .one(db)
            .await?;
        if let Some(version) = version {
            pinned.insert(script_id.to_string(), version.id.into());
        }
    }
    Ok(serde_json::Value::Object(pinned).to_string())
}
