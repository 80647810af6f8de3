//! Search boxes find what the user typed, as typed. `%` and `_` are LIKE's wildcards: a
//! search for "%" once matched every row. They are escaped here, for every search.

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, LikeExpr};

const ESCAPE: char = '\\';

/// `column` contains `text` literally.
pub fn contains(column: impl ColumnTrait, text: &str) -> Expr {
    column.like(LikeExpr::new(format!("%{}%", escaped(text))).escape(ESCAPE))
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            out.push(ESCAPE);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn wildcards_and_the_escape_itself_are_escaped() {
        assert_eq!(escaped("满100减50%"), "满100减50\\%");
        assert_eq!(escaped("a_b\\c"), "a\\_b\\\\c");
        assert_eq!(escaped("138"), "138");
    }
}
