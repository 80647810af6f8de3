//! The dialer's tables: one row per call attempt (`calls`, from the claim to the end of the
//! post-call work), the bill (`charges`, one per charged call, kept when the task is deleted)
//! and the dialer nodes' heartbeats (`dialer_nodes`, so a node can close the calls of a node
//! that died). Tasks gain the script versions they started with; numbers gain the index the
//! dialer claims from.

use sea_orm_migration::{prelude::*, schema::*};

use super::helpers::{fk, fk_set_null, index, tenant, tz, tz_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calls")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("task_id"))
                    .col(big_integer("task_number_id"))
                    .col(big_integer_null("line_id"))
                    .col(string("node"))
                    .col(string("phone"))
                    .col(big_integer_null("script_id"))
                    .col(big_integer_null("script_version_id"))
                    .col(string("state"))
                    .col(string("status"))
                    .col(string("number_status_before"))
                    .col(string("hangup_by"))
                    .col(string("cause"))
                    .col(integer("attempt"))
                    .col(tz("due_at"))
                    .col(tz("claimed_at"))
                    .col(tz_null("dialed_at"))
                    .col(tz_null("ringing_at"))
                    .col(tz_null("answered_at"))
                    .col(tz_null("ended_at"))
                    .col(integer("ring_ms"))
                    .col(integer("duration_ms"))
                    .col(integer("billed_seconds"))
                    .col(big_integer("cost_mfen"))
                    .col(string("grade"))
                    .col(string("grade_rule"))
                    .col(string("qc_grade"))
                    .col(text("qc_reason"))
                    .col(text("tags"))
                    .col(integer("interactions"))
                    .col(text("transcript"))
                    .col(text("events"))
                    .col(text("facts"))
                    .col(string("post_state"))
                    .col(tz("created_at"))
                    .foreign_key(&mut tenant("calls"))
                    .foreign_key(&mut fk("calls", "task_id", "tasks"))
                    .foreign_key(&mut fk("calls", "task_number_id", "task_numbers"))
                    .foreign_key(&mut fk_set_null("calls", "line_id", "lines"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("calls", "ix_calls_task", &["task_id", "id"]))
            .await?;
        manager
            .create_index(index("calls", "ix_calls_number", &["task_number_id"]))
            .await?;
        manager
            .create_index(index("calls", "ix_calls_tenant", &["tenant_id", "id"]))
            .await?;
        // Calls on the line right now: the dialer counts them under every claim, so only the
        // open rows are indexed. The post-call queue likewise.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_calls_open_line ON calls (line_id, task_id) WHERE ended_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_calls_post_pending ON calls (id) WHERE post_state = 'pending'",
        )
        .await?;
        // Due numbers in due order: pending numbers are due from their import, redials from
        // their retry time; settled numbers leave the index.
        db.execute_unprepared(
            "CREATE INDEX ix_task_numbers_due ON task_numbers (task_id, next_call_at, id) \
             WHERE next_call_at IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE task_numbers SET next_call_at = created_at \
             WHERE status = 'pending' AND next_call_at IS NULL",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("charges")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("kind"))
                    .col(big_integer_null("call_id"))
                    .col(big_integer_null("task_id"))
                    .col(string("task_name"))
                    .col(big_integer_null("line_id"))
                    .col(string("line_name"))
                    .col(string("phone"))
                    .col(integer("duration_seconds"))
                    .col(integer("billed_seconds"))
                    .col(big_integer("price_mfen_per_minute"))
                    .col(integer("billing_increment_s"))
                    .col(big_integer("amount_mfen"))
                    .col(big_integer("balance_after_mfen"))
                    .col(tz("created_at"))
                    .foreign_key(&mut tenant("charges"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("charges", "ux_charges_call", &["call_id"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "charges",
                "ix_charges_tenant_time",
                &["tenant_id", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("dialer_nodes")
                    .col(string("name").primary_key())
                    .col(string("boot_id"))
                    .col(tz("started_at"))
                    .col(tz("heartbeat_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table("tasks")
                    .add_column(text("pinned_scripts").default("{}"))
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
