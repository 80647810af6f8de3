//! The dialer inside the server: how it reads a company's rules and tells people, and how it
//! starts and stops with the server.

use std::sync::Arc;

use async_trait::async_trait;
use dialer::{Company, Dialer, DialerConfig, DialerHandle, Environment, Lines};
use robot::grading::Level;
use robot::quality::Verdict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::entity::{member, task};
use telephony::SimulatedConfig;

use crate::services::{self, company};
use crate::state::AppState;

/// The server's side of [`Environment`].
pub struct ServerEnvironment {
    state: AppState,
}

impl ServerEnvironment {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[async_trait]
impl Environment for ServerEnvironment {
    async fn company(&self, tenant_id: i64) -> anyhow::Result<Company> {
        let db = &self.state.db;
        let (rules, default_level) = company::grading_rules(db, tenant_id).await?;
        Ok(Company {
            tz: crate::services::org::time_zone(db, tenant_id).await?,
            calendar: company::calendar(db, tenant_id).await?,
            timing: company::call_timing(db, tenant_id).await?,
            rules,
            default_level,
        })
    }

    async fn balance_exhausted(&self, tenant_id: i64) -> anyhow::Result<()> {
        if let Some(row) = services::billing::pause_for_balance(&self.state.db, tenant_id).await? {
            self.state.notifications.publish(&row);
        }
        Ok(())
    }

    async fn task_event(&self, task: &task::Model, kind: &str, text: &str) -> anyhow::Result<()> {
        let db = &self.state.db;
        let to = match task.created_by {
            Some(id) => Some(id),
            None => member::Entity::find()
                .filter(member::Column::TenantId.eq(task.tenant_id))
                .filter(member::Column::IsOwner.eq(true))
                .one(db)
                .await?
                .map(|m| m.id),
        };
        if let Some(member_id) = to {
            let row =
                crate::services::notifications::inform(db, task.tenant_id, member_id, kind, text)
                    .await?;
            self.state.notifications.publish(&row);
        }
        Ok(())
    }

    async fn quality_check(
        &self,
        tenant_id: i64,
        condition_id: i64,
        level: Level,
        transcript: &str,
    ) -> anyhow::Result<Option<Verdict>> {
        services::robot::quality::quality_check(
            &self.state.db,
            tenant_id,
            condition_id,
            level,
            transcript,
        )
        .await
    }
}

/// Starts this node's dialer in the background, or `None` when it is switched off.
pub fn start(state: &AppState) -> anyhow::Result<Option<DialerHandle>> {
    let config = &state.config;
    if !config.dialer {
        return Ok(None);
    }
    let lines = Lines::new(SimulatedConfig {
        seed: 0,
        time_scale: config.simulated_time_scale,
    })
    .map_err(|e| anyhow::anyhow!("VOXDIAL_SIMULATED_TIME_SCALE: {e}"))?;
    let dialer = Dialer::new(
        state.db.clone(),
        Arc::new(ServerEnvironment::new(state.clone())),
        Arc::new(lines),
        DialerConfig {
            node: config.node_name(),
            ..DialerConfig::default()
        },
    );
    let handle = dialer.handle();
    tokio::spawn(async move {
        if let Err(error) = dialer.run().await {
            tracing::error!(%error, "the dialer stopped");
        }
    });
    Ok(Some(handle))
}
