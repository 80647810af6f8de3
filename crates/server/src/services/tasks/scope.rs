//! Whose tasks a caller sees and operates (ORG-6): the owner every task of the company, a
//! department head the tasks created in their departments and their own, an employee their
//! own. Every lookup of a task, its numbers, calls, live view and charges goes through here.

use domain::departments::DataScope;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use store::entity::{member, task};

use crate::auth::Caller;
use crate::services::{Error, Result};

/// A caller's view of the company's tasks; kept in a job's payload so an export run later
/// sees what its requester saw.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskScope {
    pub tenant_id: i64,
    member_id: i64,
    scope: DataScope,
}

impl TaskScope {
    pub fn of(caller: &Caller) -> Self {
        Self {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            scope: caller.scope.clone(),
        }
    }

    /// The tasks (templates excluded) this scope covers.
    pub fn tasks(&self) -> Condition {
        let company = Condition::all()
            .add(task::Column::TenantId.eq(self.tenant_id))
            .add(task::Column::IsTemplate.eq(false));
        match &self.scope {
            DataScope::All => company,
            DataScope::Own(id) => company.add(task::Column::CreatedBy.eq(*id)),
            DataScope::Departments(ids) => {
                let members = Query::select()
                    .column(member::Column::Id)
                    .from(member::Entity)
                    .and_where(member::Column::TenantId.eq(self.tenant_id))
                    .and_where(member::Column::DepartmentId.is_in(ids.clone()))
                    .to_owned();
                company.add(
                    Condition::any()
                        .add(task::Column::CreatedBy.eq(self.member_id))
                        .add(task::Column::CreatedBy.in_subquery(members)),
                )
            }
        }
    }

    /// For rows that point at a task (charges): the ids of the tasks this scope covers, or
    /// `None` when it covers the whole company, rows without a task included.
    pub fn task_ids(&self) -> Option<SelectStatement> {
        (self.scope != DataScope::All).then(|| {
            Query::select()
                .column(task::Column::Id)
                .from(task::Entity)
                .cond_where(self.tasks())
                .to_owned()
        })
    }

    /// Task `id` if this scope covers it; a task outside it is "not found", as another
    /// company's would be.
    pub async fn find(&self, db: &impl ConnectionTrait, id: i64) -> Result<task::Model> {
        task::Entity::find_by_id(id)
            .filter(self.tasks())
            .one(db)
            .await?
            .ok_or_else(|| Error::not_found("任务"))
    }
}
