//! The user tag library (用户标签: groups of tags) and LLM-driven robots (大模型外呼).

use sea_orm_migration::{prelude::*, schema::*};

use super::helpers::tenant;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("user_tag_groups")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut tenant("user_tag_groups"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_tag_groups_name")
                    .table("user_tag_groups")
                    .col("tenant_id")
                    .col("name")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_tags")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("group_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut tenant("user_tags"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("user_tags", "group_id")
                            .to("user_tag_groups", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        // A tag's name is unique in the company: scripts and calls refer to tags by name.
        manager
            .create_index(
                Index::create()
                    .name("ux_user_tags_name")
                    .table("user_tags")
                    .col("tenant_id")
                    .col("name")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("llm_robots")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(big_integer("model_id"))
                    .col(text("config"))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut tenant("llm_robots"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("llm_robots", "model_id")
                            .to("llm_models", "id")
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
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
