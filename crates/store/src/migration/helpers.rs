//! Building blocks the migrations share. A migration's schema must never change once
//! released, so these only ever gain new functions; existing ones keep their meaning.

use sea_orm_migration::{prelude::*, schema::*};

/// A foreign key from `from.column` to `to.id`, deleting the row with its parent.
pub fn fk(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A foreign key that empties the column when the parent is deleted.
pub fn fk_set_null(
    from: &'static str,
    column: &'static str,
    to: &'static str,
) -> ForeignKeyCreateStatement {
    fk(from, column, to)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

/// The company a row belongs to (`tenant_id`), deleted with it.
pub fn tenant(table: &'static str) -> ForeignKeyCreateStatement {
    fk(table, "tenant_id", "companies")
}

pub fn index(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(*column);
    }
    statement
}

pub fn tz(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

pub fn tz_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name)
}
