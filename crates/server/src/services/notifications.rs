//! Notifications (通知列表): a member's rows, as the console shows them, read and marked read;
//! and the informational ones other services leave for a member.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::notification;
use utoipa::ToSchema;

use crate::services::paging::PageQuery;
use crate::services::{Error, Result};

/// A notification as the console shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    /// What produced it, e.g. `member_import`.
    pub kind: String,
    pub title: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// 0–100.
    pub progress: i32,
    pub total: Option<i64>,
    pub success_count: i64,
    pub fail_count: i64,
    /// Why it failed, or a summary of rejected rows.
    pub error: Option<String>,
    /// Download link of the result file (e.g. the rejected rows), if any.
    pub result_file_url: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<&notification::Model> for NotificationView {
    fn from(row: &notification::Model) -> Self {
        Self {
            id: row.id,
            kind: row.kind.clone(),
            title: row.title.clone(),
            status: row.status.clone(),
            progress: row.progress,
            total: row.total,
            success_count: row.success_count,
            fail_count: row.fail_count,
            error: row.error.clone(),
            result_file_url: row.result_file_id.map(|id| format!("/api/files/{id}")),
            read: row.read,
            created_at: row.created_at,
            finished_at: row.finished_at,
        }
    }
}

/// Leaves a finished, informational notification for a member (e.g. "shared a script with
/// you"); the caller publishes the returned row once its transaction commits.
pub async fn inform(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    member_id: i64,
    kind: &str,
    title: &str,
) -> std::result::Result<notification::Model, DbErr> {
    let now = Utc::now();
    notification::ActiveModel {
        tenant_id: Set(tenant_id),
        member_id: Set(member_id),
        job_id: Set(None),
        kind: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        status: Set("succeeded".to_owned()),
        progress: Set(100),
        total: Set(None),
        success_count: Set(0),
        fail_count: Set(0),
        error: Set(None),
        result_file_id: Set(None),
        read: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    items: Vec<NotificationView>,
    total: u64,
    unread: u64,
}

fn mine(tenant_id: i64, member_id: i64) -> Condition {
    Condition::all()
        .add(notification::Column::TenantId.eq(tenant_id))
        .add(notification::Column::MemberId.eq(member_id))
}

/// One page of a member's notifications, newest first, with the unread count.
pub async fn list(
    db: &DatabaseConnection,
    tenant_id: i64,
    member_id: i64,
    paging: &PageQuery,
) -> Result<NotificationPage> {
    let paginator = notification::Entity::find()
        .filter(mine(tenant_id, member_id))
        .order_by_desc(notification::Column::Id)
        .paginate(db, paging.size());
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(paging.index())
        .await?
        .iter()
        .map(NotificationView::from)
        .collect();
    let unread = notification::Entity::find()
        .filter(mine(tenant_id, member_id))
        .filter(notification::Column::Read.eq(false))
        .count(db)
        .await?;
    Ok(NotificationPage {
        items,
        total,
        unread,
    })
}

/// Marks one of the member's notifications read.
pub async fn mark_read(
    db: &DatabaseConnection,
    tenant_id: i64,
    member_id: i64,
    id: i64,
) -> Result<()> {
    let result = notification::Entity::update_many()
        .col_expr(notification::Column::Read, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(mine(tenant_id, member_id))
        .filter(notification::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::not_found("通知"));
    }
    Ok(())
}

/// Marks all of the member's notifications read.
pub async fn mark_all_read(db: &DatabaseConnection, tenant_id: i64, member_id: i64) -> Result<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::Read, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(mine(tenant_id, member_id))
        .filter(notification::Column::Read.eq(false))
        .exec(db)
        .await?;
    Ok(())
}
