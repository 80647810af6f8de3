//! Login names and passwords: what a valid phone, e-mail or password looks like.

/// The password given to sub-accounts created without one; they must change it at first login.
pub const INITIAL_PASSWORD: &str = "123456";

/// A mainland China mobile number as used for login: 11 digits starting with 1[3-9].
/// Spaces, dashes and a +86/0086 prefix are tolerated and removed.
pub fn normalize_mobile(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let valid = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && digits.as_bytes()[1].is_ascii_digit()
        && digits.as_bytes()[1] >= b'3';
    valid.then(|| digits.to_string())
}

/// A plausible e-mail address: one `@`, a dot in the domain, no spaces.
pub fn is_valid_email(input: &str) -> bool {
    let Some((local, domain)) = input.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !input.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// Why a new password is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum WeakPassword {
    TooShort,
    NeedsLettersAndDigits,
    TooLong,
}

/// At least 8 characters with both letters and digits; at most 128 to bound hashing cost.
pub fn check_password_strength(password: &str) -> Result<(), WeakPassword> {
    let length = password.chars().count();
    if length < 8 {
        return Err(WeakPassword::TooShort);
    }
    if length > 128 {
        return Err(WeakPassword::TooLong);
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err(WeakPassword::NeedsLettersAndDigits);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised() {
        assert_eq!(
            normalize_mobile("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            normalize_mobile("+86-13800138000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            normalize_mobile("008613800138000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(normalize_mobile("12800138000"), None);
        assert_eq!(normalize_mobile("1380013800"), None);
        assert_eq!(normalize_mobile("1380013800a"), None);
        assert_eq!(normalize_mobile(""), None);
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("li.lei@example.cn"));
        assert!(!is_valid_email("li.lei@example"));
        assert!(!is_valid_email("@example.cn"));
        assert!(!is_valid_email("li lei@example.cn"));
    }

    #[test]
    fn password_strength() {
        assert_eq!(
            check_password_strength("abc123"),
            Err(WeakPassword::TooShort)
        );
        assert_eq!(
            check_password_strength("12345678"),
            Err(WeakPassword::NeedsLettersAndDigits)
        );
        assert_eq!(check_password_strength("voxdial2026"), Ok(()));
        assert_eq!(check_password_strength("密码密码密码12"), Ok(()));
    }
}
