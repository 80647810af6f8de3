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

impl PageQuery {
    pub fn size(&self) -> u64 {
        self.page_size.unwrap_or(20).clamp(1, 100)
    }

    /// 0-based page index for SeaORM's paginator.
    pub fn index(&self) -> u64 {
        self.page.unwrap_or(1).max(1) - 1
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}
