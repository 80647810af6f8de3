//! Calling: lines (线路) and their assignment to companies, balances, blacklists, tasks,
//! their numbers, and the customer public pool (客户公海) that imports may feed.
//!
//! Money is integer milli-fen (1/100 000 yuan), so prices such as 0.055 元/分钟 billed per
//! 6 s stay exact.

use sea_orm_migration::{prelude::*, schema::*};

use super::helpers::{fk, index, tz, tz_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A line belongs to the platform (tenant_id NULL, assigned to companies) or, for the
        // simulated line, to one company.
        manager
            .create_table(
                Table::create()
                    .table("lines")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("tenant_id"))
                    .col(string("kind"))
                    .col(string("name"))
                    .col(text("settings"))
                    .col(string("secret"))
                    .col(integer("max_concurrency"))
                    .col(integer("calls_per_second"))
                    .col(big_integer("price_mfen_per_minute"))
                    .col(integer("billing_increment_s"))
                    .col(string("status"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("lines", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("line_assignments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("line_id"))
                    .col(big_integer("tenant_id"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("line_assignments", "line_id", "lines"))
                    .foreign_key(&mut fk("line_assignments", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "line_assignments",
                    "ux_line_assignments",
                    &["line_id", "tenant_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("balances")
                    .col(big_integer("tenant_id").primary_key())
                    .col(big_integer("balance_mfen"))
                    .col(big_integer("overdraft_mfen"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("balances", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("blacklist_groups")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(boolean("is_default"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("blacklist_groups", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "blacklist_groups",
                    "ux_blacklist_groups_name",
                    &["tenant_id", "name"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("blacklist_entries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("group_id"))
                    .col(string("phone"))
                    .col(string("note"))
                    .col(tz_null("expires_at"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("blacklist_entries", "tenant_id", "companies"))
                    .foreign_key(&mut fk("blacklist_entries", "group_id", "blacklist_groups"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "blacklist_entries",
                    "ux_blacklist_entries",
                    &["group_id", "phone"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "blacklist_entries",
                "ix_blacklist_entries_phone",
                &["tenant_id", "phone"],
            ))
            .await?;
        manager
            .create_index(index(
                "blacklist_entries",
                "ix_blacklist_entries_created",
                &["tenant_id", "created_at"],
            ))
            .await?;
        // A task keeps its settings as JSON documents (dialog model, schedule, forbidden
        // ranges, transfer options) validated by the API; the columns the dialer and the
        // lists filter on are real columns.
        manager
            .create_table(
                Table::create()
                    .table("tasks")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(string("kind"))
                    .col(big_integer_null("line_id"))
                    .col(text("settings"))
                    .col(string("status"))
                    .col(string("idle_reason"))
                    .col(boolean("is_template"))
                    .col(big_integer("total_numbers"))
                    .col(big_integer("called_numbers"))
                    .col(big_integer("connected_numbers"))
                    .col(big_integer_null("created_by"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .col(tz_null("started_at"))
                    .col(tz_null("finished_at"))
                    .foreign_key(&mut fk("tasks", "tenant_id", "companies"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("tasks", "line_id")
                            .to("lines", "id")
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "tasks",
                "ix_tasks_tenant_status",
                &["tenant_id", "status"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("task_numbers")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("task_id"))
                    .col(string("phone"))
                    .col(string("name"))
                    .col(string("company"))
                    .col(small_integer("gender"))
                    .col(text("extra"))
                    .col(string("province"))
                    .col(string("city"))
                    .col(string("carrier"))
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(tz_null("last_call_at"))
                    .col(tz_null("next_call_at"))
                    .col(tz_null("lease_until"))
                    .col(big_integer_null("import_job_id"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("task_numbers", "tenant_id", "companies"))
                    .foreign_key(&mut fk("task_numbers", "task_id", "tasks"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "task_numbers",
                    "ux_task_numbers_phone",
                    &["task_id", "phone"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "task_numbers",
                "ix_task_numbers_status",
                &["task_id", "status", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "task_numbers",
                "ix_task_numbers_created",
                &["task_id", "created_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("customers")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("phone"))
                    .col(string("name"))
                    .col(string("company"))
                    .col(small_integer("gender"))
                    .col(text("extra"))
                    .col(string("source"))
                    .col(big_integer_null("owner_id"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("customers", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("customers", "ux_customers_phone", &["tenant_id", "phone"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "downgrades are not supported; restore a backup instead".into(),
        ))
    }
}
