//! Turning a `lines` row into something that dials.

use std::sync::Arc;

use store::entity::line;
use telephony::{Line, LineError, SimulatedConfig, SimulatedLine};

/// Opens lines; tests substitute their own (a dead line, a counting line).
pub trait LineFactory: Send + Sync + 'static {
    fn open(&self, row: &line::Model) -> Result<Arc<dyn Line>, LineError>;

    /// How much faster than real time the line runs (the simulated line's time scale), so
    /// the dialer's own timers keep pace with it.
    fn time_scale(&self, row: &line::Model) -> f64;
}

/// The product's lines: the simulated line (模拟线路) with the configured time scale. SIP
/// trunks are refused until the SIP line is built.
pub struct Lines {
    simulated: SimulatedLine,
}

impl Lines {
    pub fn new(simulated: SimulatedConfig) -> Result<Self, LineError> {
        Ok(Self {
            simulated: SimulatedLine::new(simulated)?,
        })
    }
}

impl LineFactory for Lines {
    fn open(&self, row: &line::Model) -> Result<Arc<dyn Line>, LineError> {
        match row.kind.as_str() {
            "simulated" => Ok(Arc::new(self.simulated.clone())),
            _ => Err(LineError::Unavailable(
                "SIP 线路的拨号尚未开放，请先使用模拟线路".into(),
            )),
        }
    }

    fn time_scale(&self, row: &line::Model) -> f64 {
        if row.kind == "simulated" {
            self.simulated.config().time_scale
        } else {
            1.0
        }
    }
}
