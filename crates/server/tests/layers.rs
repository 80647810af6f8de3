//! The server's layering and its API contract, checked on its source: HTTP handlers (`src/api`)
//! parse, check rights, call a service and shape the answer, so they never reach the database
//! themselves; services (`src/services`) hold the rules and the queries and know nothing of
//! HTTP; every schema in the OpenAPI description has a name of its own.

#![allow(clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

/// What would mean a handler queries or writes the database itself.
const DATABASE_IN_HANDLERS: [&str; 7] = [
    "sea_orm",
    "store::begin",
    "ActiveModel",
    "::Entity",
    "Entity::",
    "Column::",
    ".exec(",
];

/// What would mean a service answers in HTTP terms, or leans on a handler.
const HTTP_IN_SERVICES: [&str; 5] = ["axum", "ApiError", "StatusCode", "crate::api", "Json<"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {dir:?}: {e}"));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// Every `file:line: text` under `dir` that names one of `words`.
fn offending_lines(dir: &str, words: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut offending = Vec::new();
    for path in rust_files(&root) {
        let text = fs::read_to_string(&path).expect("a readable source file");
        for (number, line) in (1..).zip(text.lines()) {
            if words.iter().any(|word| line.contains(word)) {
                let name = path.strip_prefix(&root).unwrap_or(&path).display();
                offending.push(format!("{dir}/{name}:{number}: {}", line.trim()));
            }
        }
    }
    offending
}

#[test]
fn handlers_leave_the_database_to_the_services() {
    let offending = offending_lines("src/api", &DATABASE_IN_HANDLERS);
    assert!(
        offending.is_empty(),
        "move these into a service:\n{}",
        offending.join("\n")
    );
}

#[test]
fn services_know_no_http() {
    let offending = offending_lines("src/services", &HTTP_IN_SERVICES);
    assert!(
        offending.is_empty(),
        "services answer with services::Error, never in HTTP terms:\n{}",
        offending.join("\n")
    );
}

/// The OpenAPI description keeps one schema per name, so two request or response types with
/// one name would describe one of them wrongly, and the console's generated types with it.
#[test]
fn schema_names_are_unique() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    for path in rust_files(&root) {
        let text = fs::read_to_string(&path).expect("a readable source file");
        let mut attributes = String::new();
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[") || line.starts_with("///") {
                attributes.push_str(line);
                continue;
            }
            let declared = ["pub struct ", "pub enum ", "struct ", "enum "]
                .iter()
                .find_map(|keyword| line.strip_prefix(keyword));
            if let Some(rest) = declared.filter(|_| attributes.contains("ToSchema")) {
                let own: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let name = attributes
                    .split("schema(as = ")
                    .nth(1)
                    .map_or(own, |alias| {
                        alias.chars().take_while(|c| c.is_alphanumeric()).collect()
                    });
                let place = path
                    .strip_prefix(&root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                if let Some(first) = seen.insert(name.clone(), place.clone()) {
                    clashes.push(format!("{name}: {first} and {place}"));
                }
            }
            attributes.clear();
        }
    }
    assert!(
        clashes.is_empty(),
        "give each a distinct name with #[schema(as = …)]:\n{}",
        clashes.join("\n")
    );
}
