//! Reading uploaded tables: the first sheet of an xlsx, or a csv in UTF-8 or GBK (what
//! Chinese Excel writes by default), as rows of trimmed text with their row numbers; and the
//! times such sheets (and the console) write.

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::ApiError;

/// A table as read: the header row and the non-empty data rows.
pub struct Table {
    pub header: Vec<String>,
    /// Each data row with its row number as the spreadsheet shows it (the header is row 1).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Where each wanted column is; the first missing one is named in the error.
    pub fn columns<const N: usize>(&self, wanted: [&str; N]) -> Result<[usize; N], ApiError> {
        let mut found = [0; N];
        for (slot, name) in found.iter_mut().zip(wanted) {
            *slot = self
                .header
                .iter()
                .position(|h| h.trim_end_matches('*').trim() == name)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "BAD_HEADERS",
                        format!(
                            "表头缺少“{name}”列，应包含：{}。请下载模板后填写",
                            wanted.join("、")
                        ),
                    )
                })?;
        }
        Ok(found)
    }
}

pub fn unsupported() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_FILE",
        "请上传 .xlsx 或 .csv 格式的文件（可先下载导入模板）",
    )
}

/// Reads an upload by its name's extension and its content.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, ApiError> {
    let lower = name.to_lowercase();
    let rows = if lower.ends_with(".xlsx") && bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") {
        read_csv(bytes)?
    } else {
        return Err(unsupported());
    };
    let mut rows = rows.into_iter().enumerate();
    let header = rows
        .next()
        .map(|(_, header)| header)
        .ok_or_else(|| ApiError::invalid("EMPTY_FILE", "文件是空的，请按模板填写后再导入"))?;
    let rows: Vec<(usize, Vec<String>)> = rows
        .filter(|(_, row)| row.iter().any(|cell| !cell.is_empty()))
        .map(|(index, row)| (index + 1, row))
        .collect();
    if rows.is_empty() {
        return Err(ApiError::invalid(
            "EMPTY_FILE",
            "文件中没有数据行，请按模板填写后再导入",
        ));
    }
    Ok(Table { header, rows })
}

/// The header row and the number of rows below it, without reading every cell: for checking
/// an upload at once, before a background job reads it whole.
pub fn peek(name: &str, bytes: &[u8]) -> Result<(Vec<String>, usize), ApiError> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xlsx") && bytes.starts_with(b"PK\x03\x04") {
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unsupported())?;
        let first = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| ApiError::invalid("EMPTY_FILE", "文件中没有工作表"))?;
        let mut cells = workbook
            .worksheet_cells_reader(&first)
            .map_err(|_| unsupported())?;
        let dimensions = cells.dimensions();
        let mut header = Vec::new();
        while let Some(cell) = cells.next_cell().map_err(|_| unsupported())? {
            let (row, column) = cell.get_position();
            if row > dimensions.start.0 {
                break;
            }
            let column = usize::try_from(column).unwrap_or(0);
            if header.len() <= column {
                header.resize(column + 1, String::new());
            }
            header[column] = cell_text(&Data::from(cell.get_value().clone()));
        }
        if header.iter().all(String::is_empty) {
            return Err(ApiError::invalid(
                "EMPTY_FILE",
                "文件是空的，请按模板填写后再导入",
            ));
        }
        let rows =
            usize::try_from(dimensions.end.0.saturating_sub(dimensions.start.0)).unwrap_or(0);
        Ok((header, rows))
    } else if lower.ends_with(".csv") {
        let text = decode(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.records().next() {
            Some(Ok(record)) => record.iter().map(|c| c.trim().to_owned()).collect(),
            Some(Err(e)) => {
                return Err(ApiError::invalid(
                    "BAD_CSV",
                    format!("CSV 文件格式有误：{e}"),
                ));
            }
            None => {
                return Err(ApiError::invalid(
                    "EMPTY_FILE",
                    "文件是空的，请按模板填写后再导入",
                ));
            }
        };
        // An upper bound (quoted cells may hold line breaks); the job counts exactly.
        let rows = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        Ok((header, rows))
    } else {
        Err(unsupported())
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unsupported())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ApiError::invalid("EMPTY_FILE", "文件中没有工作表"))?
        .map_err(|_| unsupported())?;
    Ok(range
        .rows()
        .map(|cells| cells.iter().map(cell_text).collect())
        .collect())
}

/// UTF-8 (with or without BOM) when the bytes are valid UTF-8, GBK otherwise.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    let text = decode(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            record
                .map(|r| r.iter().map(|cell| cell.trim().to_owned()).collect())
                .map_err(|e| ApiError::invalid("BAD_CSV", format!("CSV 文件格式有误：{e}")))
        })
        .collect()
}

/// A cell as text; whole numbers (phones typed as numbers) lose the `.0` Excel gives them.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.trim().to_owned(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        Data::Float(number) => number.to_string(),
        Data::Int(number) => number.to_string(),
        Data::Bool(value) => value.to_string(),
        other => other.to_string(),
    }
}

/// A time as the console or a sheet gives it: RFC 3339 (`2026-12-31T16:00:00Z`), a local
/// date-time (`2026-12-31 23:59:59`, `2026/12/31 23:59`), a date (its start, or its end with
/// `end_of_day`) or an Excel serial date, local times in `zone`.
pub fn parse_time(text: &str, zone: Tz, end_of_day: bool) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    // A `+08:00` offset whose `+` a query string turned into a space.
    if text.contains('T')
        && let Ok(at) = DateTime::parse_from_rfc3339(&text.replacen(' ', "+", 1))
    {
        return Some(at.with_timezone(&Utc));
    }
    let local = text.replace('/', "-").replace('T', " ");
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&local, format).ok())
        .or_else(|| {
            let date = NaiveDate::parse_from_str(&local, "%Y-%m-%d").ok()?;
            let time = if end_of_day {
                NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?
            } else {
                NaiveTime::MIN
            };
            Some(date.and_time(time))
        })
        .or_else(|| excel_serial(text))?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// Excel's day count since 1899-12-30 (how a date cell reads as text).
fn excel_serial(text: &str) -> Option<NaiveDateTime> {
    let days: f64 = text.parse().ok()?;
    if !(1.0..200_000.0).contains(&days) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (days * 86_400.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::seconds(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_gbk_is_read_as_chinese() {
        let (gbk, _, _) = encoding_rs::GBK.encode("分组,标签\n客户意向,关注价格\n");
        let table = read("tags.csv", &gbk).unwrap();
        assert_eq!(table.header, ["分组", "标签"]);
        assert_eq!(
            table.rows,
            [(2, vec!["客户意向".to_owned(), "关注价格".to_owned()])]
        );
        assert_eq!(table.columns(["标签", "分组"]).unwrap(), [1, 0]);
    }

    #[test]
    fn missing_headers_and_empty_files_are_named() {
        let table = read("tags.csv", "分组,名称\n甲,乙\n".as_bytes()).unwrap();
        let error = table.columns(["分组", "标签"]).unwrap_err();
        assert!(error.message.contains("标签"), "{}", error.message);
        assert!(read("tags.csv", b"\xEF\xBB\xBF").is_err());
        assert!(read("tags.txt", b"a,b").is_err());
    }
}
