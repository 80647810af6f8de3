//! Paging of list endpoints: `?page=1&page_size=20` → `{ items, total }`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Rows per page, 1–100 (default 20).
    pub page_size: Option<u64>,
}

/// The last page any list serves. Beyond it every list is empty anyway, and the row offset
/// must fit the databases' signed 64-bit OFFSET: `page=9223372036854775807` once overflowed
/// it and the handler panicked.
const MAX_PAGE: u64 = 1_000_000;

impl PageQuery {
    pub fn size(&self) -> u64 {
        self.page_size.unwrap_or(20).clamp(1, 100)
    }

    /// 0-based page index for SeaORM's paginator.
    pub fn index(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE) - 1
    }

    /// The rows before this page.
    pub fn offset(&self) -> u64 {
        self.index() * self.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_page_number_gives_an_offset_the_database_takes() {
        for page in [
            None,
            Some(0),
            Some(1),
            Some(7),
            Some(u64::MAX),
            Some(i64::MAX as u64),
        ] {
            for page_size in [None, Some(0), Some(100), Some(u64::MAX)] {
                let query = PageQuery { page, page_size };
                let offset = query.offset();
                assert!(i64::try_from(offset).is_ok(), "{page:?} {page_size:?}");
                assert!(query.index() < MAX_PAGE && (1..=100).contains(&query.size()));
            }
        }
        let first = PageQuery {
            page: Some(0),
            page_size: Some(10),
        };
        assert_eq!((first.index(), first.offset()), (0, 0));
        let third = PageQuery {
            page: Some(3),
            page_size: Some(10),
        };
        assert_eq!(third.offset(), 20);
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}
