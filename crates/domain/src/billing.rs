//! Money rules (BILL-1, BILL-2): what a call is billed and charged, and when a company's
//! balance and overdraft are used up. Amounts are integer milli-fen (1/100 000 元).

/// A company's prepaid balance and the debt it may run up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Funds {
    pub balance_mfen: i64,
    pub overdraft_mfen: i64,
}

impl Funds {
    pub fn new(balance_mfen: i64, overdraft_mfen: i64) -> Self {
        Self {
            balance_mfen,
            overdraft_mfen,
        }
    }

    /// Balance plus overdraft: what calls may still spend.
    pub fn available_mfen(self) -> i64 {
        self.balance_mfen.saturating_add(self.overdraft_mfen)
    }

    /// Nothing left to spend: calls stop and running tasks pause.
    pub fn used_up(self) -> bool {
        self.available_mfen() <= 0
    }
}

/// Seconds billed for a call that talked `talk_ms`: whole increments, the last one started
/// counting whole (e.g. 61 s at 60 s increments is 120 s). Answered calls bill at least one.
pub fn billed_seconds(talk_ms: u64, increment_s: u32) -> u32 {
    let seconds = u32::try_from(talk_ms.max(1).div_ceil(1000)).unwrap_or(u32::MAX);
    let increment = increment_s.max(1);
    seconds.div_ceil(increment).saturating_mul(increment)
}

/// The charge in milli-fen for `billed` seconds at a per-minute price, rounded up to a whole
/// milli-fen so no fraction is lost.
pub fn charge_mfen(billed: u32, price_mfen_per_minute: i64) -> i64 {
    let total = i128::from(price_mfen_per_minute) * i128::from(billed);
    i64::try_from((total + 59).div_euclid(60)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_bill_whole_increments_and_exact_money() {
        assert_eq!(billed_seconds(0, 60), 60);
        assert_eq!(billed_seconds(1, 60), 60);
        assert_eq!(billed_seconds(60_000, 60), 60);
        assert_eq!(billed_seconds(60_001, 60), 120);
        assert_eq!(billed_seconds(13_200, 6), 18);
        // 0.06 元/分钟 = 6000 mfen; 0.055 元/分钟 per 6 s.
        assert_eq!(charge_mfen(60, 6_000), 6_000);
        assert_eq!(charge_mfen(18, 5_500), 1_650);
        assert_eq!(charge_mfen(7, 1), 1);
    }

    #[test]
    fn funds_are_used_up_when_balance_and_overdraft_are() {
        assert!(Funds::new(0, 0).used_up());
        assert!(Funds::new(-200, 200).used_up());
        assert!(!Funds::new(-100, 200).used_up());
        assert_eq!(Funds::new(-100, 200).available_mfen(), 100);
        assert_eq!(Funds::new(i64::MAX, 1).available_mfen(), i64::MAX);
    }
}
