//! Companies, people, sessions, departments, permission groups, files, jobs,
//! notifications and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

use super::helpers::{fk, fk_set_null, index, tz, tz_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("companies")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("name"))
                    .col(string("status"))
                    .col(string("contact_name"))
                    .col(string("contact_phone"))
                    .col(string("address"))
                    .col(string("time_zone"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("operators")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("login"))
                    .col(string("name"))
                    .col(string("password_hash"))
                    .col(boolean("must_change_password"))
                    .col(tz("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("permission_groups")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(string("description"))
                    .col(text("permissions"))
                    .col(boolean("is_default"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("permission_groups", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "permission_groups",
                    "ux_permission_groups_name",
                    &["tenant_id", "name"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("departments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer_null("parent_id"))
                    .col(string("name"))
                    .col(integer("sort_order"))
                    .col(big_integer_null("admin_member_id"))
                    .col(big_integer_null("permission_group_id"))
                    .col(integer_null("recycle_days"))
                    .col(integer_null("claim_quota"))
                    .col(text_null("sales_stages"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("departments", "tenant_id", "companies"))
                    .foreign_key(
                        &mut fk("departments", "parent_id", "departments")
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
                    .foreign_key(
                        &mut fk("departments", "permission_group_id", "permission_groups")
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "departments",
                "ix_departments_tenant_parent",
                &["tenant_id", "parent_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("files")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer_null("owner_member_id"))
                    .col(string("kind"))
                    .col(string("name"))
                    .col(string("content_type"))
                    .col(big_integer("size"))
                    .col(string("storage_key"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("files", "tenant_id", "companies"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("members")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string_uniq("phone"))
                    .col(string_null("email"))
                    .col(string("name"))
                    .col(string("password_hash"))
                    .col(boolean("must_change_password"))
                    .col(boolean("is_owner"))
                    .col(big_integer_null("department_id"))
                    .col(string("status"))
                    .col(big_integer_null("avatar_file_id"))
                    .col(boolean("popup_enabled"))
                    .col(tz_null("last_login_at"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .foreign_key(&mut fk("members", "tenant_id", "companies"))
                    .foreign_key(&mut fk_set_null("members", "department_id", "departments"))
                    .foreign_key(&mut fk_set_null("members", "avatar_file_id", "files"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("members", "ux_members_email", &["email"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "members",
                "ix_members_tenant_department",
                &["tenant_id", "department_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(big_integer_null("member_id"))
                    .col(big_integer_null("operator_id"))
                    .col(string("csrf_token"))
                    .col(string("ip"))
                    .col(tz("created_at"))
                    .col(tz("expires_at"))
                    .foreign_key(&mut fk("sessions", "member_id", "members"))
                    .foreign_key(&mut fk("sessions", "operator_id", "operators"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("member_id"))
                    .col(string("kind"))
                    .col(text("payload"))
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(tz_null("lease_until"))
                    .col(text_null("error"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .col(tz_null("finished_at"))
                    .foreign_key(&mut fk("jobs", "tenant_id", "companies"))
                    .foreign_key(&mut fk("jobs", "member_id", "members"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("jobs", "ix_jobs_status", &["status", "id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("member_id"))
                    .col(big_integer_null("job_id"))
                    .col(string("kind"))
                    .col(string("title"))
                    .col(string("status"))
                    .col(integer("progress"))
                    .col(big_integer_null("total"))
                    .col(big_integer("success_count"))
                    .col(big_integer("fail_count"))
                    .col(text_null("error"))
                    .col(big_integer_null("result_file_id"))
                    .col(boolean("read"))
                    .col(tz("created_at"))
                    .col(tz("updated_at"))
                    .col(tz_null("finished_at"))
                    .foreign_key(&mut fk("notifications", "tenant_id", "companies"))
                    .foreign_key(&mut fk("notifications", "member_id", "members"))
                    .foreign_key(&mut fk_set_null("notifications", "job_id", "jobs"))
                    .foreign_key(&mut fk_set_null("notifications", "result_file_id", "files"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "notifications",
                "ix_notifications_member",
                &["member_id", "id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer_null("actor_member_id"))
                    .col(string("actor_name"))
                    .col(string("action"))
                    .col(string("target"))
                    .col(text("detail"))
                    .col(string("ip"))
                    .col(tz("created_at"))
                    .foreign_key(&mut fk("audit_log", "tenant_id", "companies"))
                    .foreign_key(&mut fk_set_null("audit_log", "actor_member_id", "members"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "audit_log",
                "ix_audit_log_tenant",
                &["tenant_id", "id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "downgrades are not supported; restore a backup instead".into(),
        ))
    }
}
