//! The audit log (审计日志, X-4): logins and administrative changes, per company.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use store::entity::audit_log;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::services::Result;
use crate::services::paging::{Page, PageQuery};
use crate::services::search;

/// One entry: who, what, on which object, with details.
pub struct Entry<'a> {
    pub tenant_id: i64,
    pub actor: Option<(i64, &'a str)>,
    pub action: &'a str,
    pub target: String,
    pub detail: String,
    pub ip: &'a str,
}

pub async fn record(db: &impl ConnectionTrait, entry: Entry<'_>) -> std::result::Result<(), DbErr> {
    let (actor_id, actor_name) = match entry.actor {
        Some((id, name)) => (Some(id), name.to_owned()),
        None => (None, String::new()),
    };
    audit_log::ActiveModel {
        tenant_id: Set(entry.tenant_id),
        actor_member_id: Set(actor_id),
        actor_name: Set(actor_name),
        action: Set(entry.action.to_owned()),
        target: Set(entry.target),
        detail: Set(entry.detail),
        ip: Set(entry.ip.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records an action of the calling member.
pub async fn by(
    db: &impl ConnectionTrait,
    caller: &Caller,
    action: &str,
    target: impl Into<String>,
    detail: impl Into<String>,
) -> std::result::Result<(), DbErr> {
    record(
        db,
        Entry {
            tenant_id: caller.tenant(),
            actor: Some((caller.member.id, &caller.member.name)),
            action,
            target: target.into(),
            detail: detail.into(),
            ip: &caller.ip,
        },
    )
    .await
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Exact action, e.g. `login` or `member.create`.
    action: Option<String>,
    /// Actor name contains this.
    actor: Option<String>,
}

/// A page of the company's log, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    query: &AuditQuery,
    paging: &PageQuery,
) -> Result<Page<audit_log::Model>> {
    let mut select = audit_log::Entity::find().filter(audit_log::Column::TenantId.eq(tenant_id));
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(audit_log::Column::Action.eq(action));
    }
    if let Some(actor) = query
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        select = select.filter(search::contains(audit_log::Column::ActorName, actor));
    }
    let paginator = select
        .order_by_desc(audit_log::Column::Id)
        .paginate(db, paging.size());
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(paging.index()).await?;
    Ok(Page { items, total })
}

/// Chinese labels of the actions, for the log screen.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "login" => "登录",
        "login_failed" => "登录失败",
        "logout" => "退出登录",
        "member.create" => "新建子账户",
        "member.update" => "编辑子账户",
        "member.disable" => "停用子账户",
        "member.enable" => "启用子账户",
        "member.reset_password" => "重置密码",
        "member.import" => "导入子账户",
        "department.create" => "新建部门",
        "department.update" => "编辑部门",
        "department.move" => "移动部门",
        "department.delete" => "删除部门",
        "group.create" => "新建权限组",
        "group.update" => "编辑权限组",
        "group.delete" => "删除权限组",
        "profile.update" => "修改个人信息",
        "profile.avatar" => "修改头像",
        "password.change" => "修改密码",
        "company.update" => "修改企业信息",
        "script.create" => "新建话术",
        "script.import" => "导入话术",
        "script.update" => "编辑话术",
        "script.publish" => "发布话术",
        "script.delete" => "删除话术",
        "script.share" => "分享话术",
        "user_tag.update" => "修改用户标签",
        "llm.robot" => "大模型外呼",
        "grading.update" => "修改意向等级规则",
        "llm.model" => "大模型配置",
        "llm.quality" => "大模型质检条件",
        "call_settings.update" => "修改呼叫设置",
        "call_time.update" => "修改呼叫时间",
        "task.create" => "新建任务",
        "task.update" => "编辑任务",
        "task.delete" => "删除任务",
        "task.start" => "启动任务",
        "task.pause" => "暂停任务",
        "task.stop" => "停止任务",
        "task.import" => "导入号码",
        "blacklist.group" => "修改黑名单分组",
        "blacklist.add" => "加入黑名单",
        "blacklist.delete" => "移出黑名单",
        "blacklist.move" => "移动黑名单分组",
        "blacklist.import" => "导入黑名单",
        "balance.update" => "余额变动",
        _ => "其他操作",
    }
}
