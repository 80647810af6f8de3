//! Call timing (呼叫设置 → 其他): when the customer may interrupt, when a sentence is over,
//! how long silence lasts before the robot speaks again, how long a call may last.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallTiming {
    /// 打断时间: the customer must speak this long over the robot to interrupt it.
    pub barge_in_ms: u32,
    /// 最大停顿时间: a pause this long ends the customer's sentence.
    pub max_pause_ms: u32,
    /// Silence this long after the robot spoke counts as no answer (沉默).
    pub silence_timeout_ms: u32,
    /// The robot ends the call politely after this long.
    pub max_call_seconds: u32,
    /// Ringing this long without an answer ends the attempt as 无应答.
    pub ring_timeout_seconds: u32,
}

impl Default for CallTiming {
    fn default() -> Self {
        Self {
            barge_in_ms: 600,
            max_pause_ms: 800,
            silence_timeout_ms: 5_000,
            max_call_seconds: 300,
            ring_timeout_seconds: 45,
        }
    }
}

impl CallTiming {
    /// The first value out of its sensible range: (field, message).
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        let rules: [(&str, u32, u32, u32, &str); 5] = [
            (
                "barge_in_ms",
                self.barge_in_ms,
                100,
                5_000,
                "打断时间应为 100 到 5000 毫秒",
            ),
            (
                "max_pause_ms",
                self.max_pause_ms,
                200,
                5_000,
                "最大停顿时间应为 200 到 5000 毫秒",
            ),
            (
                "silence_timeout_ms",
                self.silence_timeout_ms,
                1_000,
                30_000,
                "沉默等待时间应为 1000 到 30000 毫秒",
            ),
            (
                "max_call_seconds",
                self.max_call_seconds,
                30,
                3_600,
                "最长通话时长应为 30 到 3600 秒",
            ),
            (
                "ring_timeout_seconds",
                self.ring_timeout_seconds,
                10,
                120,
                "振铃超时应为 10 到 120 秒",
            ),
        ];
        match rules
            .iter()
            .find(|(_, value, min, max, _)| value < min || value > max)
        {
            Some((field, _, _, _, message)) => Err((field, message)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_out_of_range_values_are_named() {
        assert_eq!(CallTiming::default().check(), Ok(()));
        let bad = CallTiming {
            max_pause_ms: 50,
            ..CallTiming::default()
        };
        assert_eq!(bad.check().map_err(|(field, _)| field), Err("max_pause_ms"));
        let partial: CallTiming =
            serde_json::from_str(r#"{"barge_in_ms": 900}"#).unwrap_or_default();
        assert_eq!(partial.barge_in_ms, 900);
        assert_eq!(
            partial.max_pause_ms, 800,
            "missing values take their defaults"
        );
    }
}
