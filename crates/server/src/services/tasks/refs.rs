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
use serde::Serialize;
use store::entity::{
    blacklist_group, line, line_assignment, llm_robot, quality_condition, script, script_version,
    task,
};
use utoipa::ToSchema;

use crate::services::{Error, Result};

/// One running task holding part of a line's concurrency.
#[derive(Serialize, ToSchema)]
pub struct Holder {
    /// `null` for another company's task (its name is not shown).
    pub task_id: Option<i64>,
    pub name: String,
    pub concurrency: u32,
}

/// The lines a company may use: its own simulated line and the platform lines assigned to it.
pub async fn company_lines(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<line::Model>> {
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
async fn usable_line(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    line_id: i64,
) -> Result<Option<line::Model>> {
    Ok(company_lines(db, tenant_id)
        .await?
        .into_iter()
        .find(|l| l.id == line_id))
}

/// Everything the settings name must exist in the company; `except` is the task being edited
/// (for the alias check).
pub async fn check(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    settings: &TaskSettings,
    except: Option<i64>,
) -> Result<()> {
    let line = usable_line(db, tenant_id, settings.line_id)
        .await?
        .ok_or_else(|| Error::validation("line_id", "请选择可用的线路"))?;
    let max = u32::try_from(line.max_concurrency).unwrap_or(0);
    if settings.concurrency > max {
        return Err(Error::validation(
            "concurrency",
            format!("并发数不能超过线路“{}”的最大并发 {max}", line.name),
        ));
    }
    match settings.kind {
        TaskKind::Script => {
            let wanted = settings.script_ids();
            let found = script::Entity::find()
                .filter(script::Column::TenantId.eq(tenant_id))
                .filter(script::Column::Id.is_in(wanted.clone()))
                .count(db)
                .await?;
            if found != wanted.len() as u64 {
                return Err(Error::validation("dialog", "所选话术不存在，请重新选择"));
            }
        }
        TaskKind::Llm => {
            let id = settings.llm_robot_id.unwrap_or_default();
            let found = llm_robot::Entity::find_by_id(id)
                .filter(llm_robot::Column::TenantId.eq(tenant_id))
                .count(db)
                .await?;
            if found == 0 {
                return Err(Error::validation(
                    "llm_robot_id",
                    "所选大模型机器人不存在，请重新选择",
                ));
            }
        }
    }
    if let Some(id) = settings.quality_condition_id {
        let found = quality_condition::Entity::find_by_id(id)
            .filter(quality_condition::Column::TenantId.eq(tenant_id))
            .count(db)
            .await?;
        if found == 0 {
            return Err(Error::validation(
                "quality_condition_id",
                "所选质检条件不存在，请重新选择",
            ));
        }
    }
    let groups: HashSet<i64> = settings.blacklist_group_ids.iter().copied().collect();
    let found = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .filter(blacklist_group::Column::Id.is_in(groups.iter().copied()))
        .count(db)
        .await?;
    if found != groups.len() as u64 {
        return Err(Error::validation(
            "blacklist_group_ids",
            "所选黑名单分组不存在，请重新选择",
        ));
    }
    if !settings.alias.is_empty() {
        let clash = tasks_by_alias(db, tenant_id)
            .await?
            .into_iter()
            .any(|(alias, id)| alias == settings.alias && Some(id) != except);
        if clash {
            return Err(Error::validation(
                "alias",
                format!("别名“{}”已被其他任务使用", settings.alias),
            ));
        }
    }
    Ok(())
}

/// Every task of the company that has an alias (别名), as (alias, task id).
async fn tasks_by_alias(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<(String, i64)>> {
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
    row: &task::Model,
    settings: &TaskSettings,
) -> Result<()> {
    if row.total_numbers == 0 {
        return Err(Error::invalid(
            "NO_NUMBERS",
            "任务还没有号码，请先导入号码再启动",
        ));
    }
    let line = usable_line(db, row.tenant_id, settings.line_id)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "LINE_UNAVAILABLE",
                "任务的线路已不可用，请编辑任务重新选择线路",
            )
        })?;
    if line.status != "active" {
        return Err(Error::invalid(
            "LINE_UNAVAILABLE",
            format!("线路“{}”已停用，请编辑任务换一条线路", line.name),
        ));
    }
    if settings.kind == TaskKind::Script {
        let unpublished: Vec<String> = script::Entity::find()
            .filter(script::Column::TenantId.eq(row.tenant_id))
            .filter(script::Column::Id.is_in(settings.script_ids()))
            .filter(script::Column::PublishedVersion.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|s| format!("《{}》", s.name))
            .collect();
        if !unpublished.is_empty() {
            return Err(Error::invalid(
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
) -> Result<Vec<Holder>> {
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
) -> Result<Option<i64>> {
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
) -> Result<Option<i64>> {
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
) -> Result<(Option<String>, Option<String>)> {
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
) -> Result<String> {
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
