//! One claimed number of a running task, from the dial to its settlement: dial on the task's
//! line, drive the robot once answered, settle and bill, and tell the runner how it ended.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use domain::task::{NumberStatus, TaskSettings};
use robot::dialog::Robot;
use store::entity::task_number;
use telephony::{DialRequest, Line};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::Inner;
use crate::claim::Claimed;
use crate::drive::Driver;
use crate::settle::{Settlement, mark_answered, mark_dialing, settle, settle_undialled};

/// A call of this task ended on this node.
pub(crate) struct Finished {
    pub(crate) status: NumberStatus,
    /// The line itself failed (refused the dial, blocked by the carrier, went silent).
    pub(crate) line_failure: bool,
}

/// What the calls of the task share.
pub(crate) struct TaskCall {
    pub(crate) task_id: i64,
    pub(crate) line: Arc<dyn Line>,
    pub(crate) scale: f64,
    pub(crate) timing: robot::timing::CallTiming,
    pub(crate) settings: TaskSettings,
}

/// A claimed number on the blacklist since its import: settled 黑名单 without a dial.
pub(crate) async fn settle_blacklisted(
    inner: &Inner,
    call: &TaskCall,
    claimed: &Claimed,
) -> anyhow::Result<()> {
    let now = Utc::now();
    settle_undialled(
        &inner.db,
        &Settlement {
            call_id: claimed.call_id,
            number_id: claimed.number.id,
            task_id: call.task_id,
            attempt: claimed.attempt,
            dialed_at: now,
            ended_at: now,
            retry: &call.settings.retry,
            time_scale: call.scale,
        },
        NumberStatus::Blacklisted,
        "号码在黑名单中，未拨打",
        None,
        &claimed.number.status,
    )
    .await?;
    inner.metrics.writes(2);
    Ok(())
}

/// The script variables a number fills: its columns under their Chinese names, and the
/// sheet's other columns as they were headed.
pub fn variables_of(number: &task_number::Model) -> HashMap<String, String> {
    let mut variables: HashMap<String, String> =
        serde_json::from_str::<HashMap<String, serde_json::Value>>(&number.extra)
            .unwrap_or_default()
            .into_iter()
            .map(|(key, value)| {
                let text = match value {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
                (key, text)
            })
            .collect();
    let mut put = |key: &str, value: &str| {
        if !value.is_empty() {
            variables.insert(key.to_owned(), value.to_owned());
        }
    };
    put("姓名", &number.name);
    put("公司", &number.company);
    put("公司名称", &number.company);
    put("手机号", &number.phone);
    put("号码", &number.phone);
    put("省份", &number.province);
    put("城市", &number.city);
    put(
        "性别",
        match number.gender {
            1 => "男",
            2 => "女",
            _ => "",
        },
    );
    variables
}

/// One call from the dial to its settlement; the node's `kill` drops it mid-way, as a crash
/// would.
pub(crate) async fn place_call(
    inner: Arc<Inner>,
    call: Arc<TaskCall>,
    claimed: Claimed,
    robot: Arc<Robot>,
    ready: Instant,
    finished: mpsc::UnboundedSender<Finished>,
) {
    let kill = inner.kill.clone();
    tokio::select! {
        result = call_number(&inner, &call, &claimed, robot, ready) => {
            let finished_call = match result {
                Ok(finished_call) => finished_call,
                Err(error) => {
                    tracing::warn!(call_id = claimed.call_id, %error, "call could not be recorded; recovery closes it");
                    Finished { status: NumberStatus::Interrupted, line_failure: false }
                }
            };
            inner.metrics.finished(finished_call.status == NumberStatus::Answered);
            let _ = finished.send(finished_call);
        }
        () = kill.cancelled() => {}
    }
}

async fn call_number(
    inner: &Arc<Inner>,
    call: &TaskCall,
    claimed: &Claimed,
    robot: Arc<Robot>,
    ready: Instant,
) -> anyhow::Result<Finished> {
    let db = &inner.db;
    // "Due" is when both the number (its import or redial time) and a channel were ready.
    let since_due = (Utc::now() - claimed.due_at)
        .to_std()
        .unwrap_or(Duration::ZERO);
    let due = Instant::now()
        .checked_sub(since_due)
        .unwrap_or(ready)
        .max(ready);
    let dialed_at = Utc::now();
    let mut request = DialRequest::new(claimed.number.phone.clone());
    request.ring_timeout = Duration::from_secs(u64::from(call.timing.ring_timeout_seconds));
    request.attempt = u32::try_from(claimed.attempt).unwrap_or(1);
    let settlement = |ended_at| Settlement {
        call_id: claimed.call_id,
        number_id: claimed.number.id,
        task_id: call.task_id,
        attempt: claimed.attempt,
        dialed_at,
        ended_at,
        retry: &call.settings.retry,
        time_scale: call.scale,
    };
    let line_call = match call.line.dial(request).await {
        Ok(line_call) => line_call,
        Err(error) => {
            // The number is not used up by a line that cannot dial: back to the queue.
            settle_undialled(
                db,
                &settlement(Utc::now()),
                NumberStatus::Interrupted,
                &error.to_string(),
                Some(Utc::now() + chrono::Duration::minutes(1)),
                &claimed.number.status,
            )
            .await?;
            inner.metrics.writes(2);
            return Ok(Finished {
                status: NumberStatus::Interrupted,
                line_failure: true,
            });
        }
    };
    inner
        .metrics
        .dialled(Instant::now().saturating_duration_since(due));
    mark_dialing(db, claimed.call_id, dialed_at).await?;
    inner.metrics.writes(1);
    let mut driver = Driver::new(line_call, call.timing, call.scale);
    if driver.until_answer().await.is_some() {
        mark_answered(db, claimed.call_id, Utc::now()).await?;
        inner.metrics.writes(1);
        driver.converse(&robot, variables_of(&claimed.number)).await;
    }
    let outcome = driver.finish();
    let settled = settle(db, &settlement(Utc::now()), &outcome).await?;
    inner.metrics.writes(3);
    if settled && outcome.answered_ms.is_some() {
        inner.post_call(claimed.call_id);
    }
    Ok(Finished {
        status: outcome.status,
        line_failure: is_line_failure(&outcome),
    })
}

/// Outcomes that blame the line rather than the customer.
fn is_line_failure(outcome: &crate::drive::Outcome) -> bool {
    outcome.status == NumberStatus::CarrierBlocked
        || (outcome.status == NumberStatus::Interrupted && outcome.answered_ms.is_none())
}
