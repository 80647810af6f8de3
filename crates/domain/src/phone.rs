//! Numbers to call, as people paste them from spreadsheets: normalised to one stored form or
//! refused with a reason a user can act on.
//!
//! Stored forms: a mobile is its 11 digits (`13800138000`); a landline is its area code and
//! number (`057188776655`), with an extension after a dash (`057188776655-801`).

use std::fmt;

/// What kind of number was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub number: String,
    pub kind: PhoneKind,
}

/// Why a number is refused; the messages go into import error reports as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// Excel showed the number in scientific notation and dropped digits.
    TruncatedByExcel,
    BadCharacters,
    LandlineWithoutAreaCode,
    WrongLength,
    NotAChineseNumber,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::Empty => "号码为空",
            PhoneError::TruncatedByExcel => {
                "号码被 Excel 显示为科学计数法并丢失了位数，请把号码列设为文本后重新填写"
            }
            PhoneError::BadCharacters => "号码含有无法识别的字符",
            PhoneError::LandlineWithoutAreaCode => "固定电话缺少区号",
            PhoneError::WrongLength => "号码位数不正确",
            PhoneError::NotAChineseNumber => "不是有效的中国大陆手机号或固定电话",
        })
    }
}

impl std::error::Error for PhoneError {}

/// Normalises one number: full-width digits, spaces, dashes, brackets, `+86`/`0086`/`86`
/// prefixes, Excel's `.0` and full-precision scientific notation are all accepted.
pub fn normalize(input: &str) -> Result<Phone, PhoneError> {
    let text: String = input
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width forms (０-９, ＋, －) as typed with a Chinese input method.
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
            '\u{FF0B}' => '+',
            '\u{FF0D}' | '—' | '–' => '-',
            _ => c,
        })
        .collect();
    if text.is_empty() {
        return Err(PhoneError::Empty);
    }
    if let Some(number) = from_excel_number(&text)? {
        return classify(&number, None);
    }
    let (main, extension) = split_extension(&text);
    let mut digits = String::with_capacity(main.len());
    for (index, c) in main.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if index == 0 => {}
            ' ' | '-' | '(' | ')' | '（' | '）' | '.' | '\u{3000}' => {}
            _ => return Err(PhoneError::BadCharacters),
        }
    }
    if main.starts_with('+') {
        // +86 is China's country code. Landlines are written without their trunk 0 after
        // it (+86 21 …), though people often keep it (+86 021 …).
        let Some(national) = digits.strip_prefix("86") else {
            return Err(PhoneError::NotAChineseNumber);
        };
        return if national.starts_with(['0', '1']) {
            classify(national, extension)
        } else {
            classify(&format!("0{national}"), extension)
        };
    }
    classify(&digits, extension)
}

/// `13800138000.0` or `1.3800138E+10` as Excel writes numbers; `None` when not such a form.
fn from_excel_number(text: &str) -> Result<Option<String>, PhoneError> {
    let lower = text.to_ascii_lowercase();
    if let Some(whole) = lower.strip_suffix(".0")
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(Some(whole.to_owned()));
    }
    let Some((mantissa, exponent)) = lower.split_once('e') else {
        return Ok(None);
    };
    let exponent: i32 = exponent
        .trim_start_matches('+')
        .parse()
        .map_err(|_| PhoneError::BadCharacters)?;
    let (int_part, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(PhoneError::BadCharacters);
    }
    let shift = usize::try_from(exponent).map_err(|_| PhoneError::WrongLength)?;
    // Every digit must be present: 1.38E+10 would silently become 13800000000.
    match fraction.len().cmp(&shift) {
        std::cmp::Ordering::Less => return Err(PhoneError::TruncatedByExcel),
        std::cmp::Ordering::Greater => return Err(PhoneError::WrongLength),
        std::cmp::Ordering::Equal => {}
    }
    Ok(Some(format!("{int_part}{fraction}")))
}

/// Splits `0571-88776655 转 801` / `…-801` / `…ext801` / `…#801` into number and extension.
fn split_extension(text: &str) -> (&str, Option<&str>) {
    for marker in ["转", "ext.", "ext", "x", "#"] {
        if let Some((main, extension)) = text.split_once(marker) {
            return (main, Some(extension.trim()));
        }
    }
    // A landline written 0571-88776655-801: the third dash-separated group is the extension.
    let groups: Vec<&str> = text.split('-').collect();
    if groups.len() == 3 && text.starts_with('0') && groups.iter().all(|g| !g.trim().is_empty()) {
        let cut = groups[0].len() + groups[1].len() + 1;
        return (&text[..cut], Some(groups[2].trim()));
    }
    (text, None)
}

fn classify(digits: &str, extension: Option<&str>) -> Result<Phone, PhoneError> {
    let digits = if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else if let Some(rest) = digits.strip_prefix("0086") {
        rest
    } else {
        digits
    };
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    if digits.starts_with('1') {
        let valid = digits.len() == 11 && digits.as_bytes()[1] >= b'3';
        return if extension.is_some() {
            Err(PhoneError::BadCharacters)
        } else if digits.len() != 11 {
            Err(PhoneError::WrongLength)
        } else if valid {
            Ok(Phone {
                number: digits.to_owned(),
                kind: PhoneKind::Mobile,
            })
        } else {
            Err(PhoneError::NotAChineseNumber)
        };
    }
    if !digits.starts_with('0') {
        return if (7..=8).contains(&digits.len()) {
            Err(PhoneError::LandlineWithoutAreaCode)
        } else {
            Err(PhoneError::NotAChineseNumber)
        };
    }
    // 010 and 02x are three-digit area codes, every other one has four digits.
    let area = if digits.starts_with("010") || digits.starts_with("02") {
        3
    } else {
        4
    };
    let local = &digits[area.min(digits.len())..];
    if !(7..=8).contains(&local.len()) || local.starts_with('0') || local.starts_with('1') {
        return Err(PhoneError::WrongLength);
    }
    let mut number = digits.to_owned();
    if let Some(extension) = extension.filter(|e| !e.is_empty()) {
        if extension.len() > 6 || !extension.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::BadCharacters);
        }
        number.push('-');
        number.push_str(extension);
    }
    Ok(Phone {
        number,
        kind: PhoneKind::Landline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        match normalize(input) {
            Ok(phone) => phone.number,
            Err(error) => panic!("{input:?} refused: {error}"),
        }
    }

    #[test]
    fn mobiles_in_every_pasted_form() {
        for input in [
            "13800138000",
            " 138 0013 8000 ",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "008613800138000",
            "8613800138000",
            "１３８００１３８０００",
            "13800138000.0",
            "1.3800138000E+10",
        ] {
            assert_eq!(ok(input), "13800138000", "{input}");
        }
    }

    #[test]
    fn landlines_keep_area_code_and_extension() {
        assert_eq!(ok("0571-88776655"), "057188776655");
        assert_eq!(ok("(010) 6655 4433"), "01066554433");
        assert_eq!(ok("+86 0571-8877 6655"), "057188776655");
        assert_eq!(ok("+86 21 6677 8899"), "02166778899");
        assert_eq!(ok("021-55667788-801"), "02155667788-801");
        assert_eq!(ok("0755 2233 4455 转 12"), "075522334455-12");
        assert_eq!(
            normalize("0571-88776655").map(|p| p.kind),
            Ok(PhoneKind::Landline)
        );
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(normalize(""), Err(PhoneError::Empty));
        assert_eq!(normalize("1.38E+10"), Err(PhoneError::TruncatedByExcel));
        assert_eq!(
            normalize("1.3800138E+10"),
            Err(PhoneError::TruncatedByExcel),
            "the last digits may have been rounded away"
        );
        assert_eq!(normalize("1380013800"), Err(PhoneError::WrongLength));
        assert_eq!(normalize("12800138000"), Err(PhoneError::NotAChineseNumber));
        assert_eq!(
            normalize("88776655"),
            Err(PhoneError::LandlineWithoutAreaCode)
        );
        assert_eq!(normalize("138abc38000"), Err(PhoneError::BadCharacters));
        assert_eq!(
            normalize("+1 415 555 0100"),
            Err(PhoneError::NotAChineseNumber)
        );
        assert_eq!(normalize("0571-123"), Err(PhoneError::WrongLength));
        assert!(
            PhoneError::TruncatedByExcel
                .to_string()
                .contains("科学计数法")
        );
    }
}
