//! `scripts/bench import`: importing a generated 250,000-row xlsx into one task through the
//! real upload endpoint and job, on SQLite and (with VOXDIAL_BENCH_POSTGRES_URL) PostgreSQL,
//! next to the two floors measured in the same process: parsing the file alone, and a raw
//! batch insert of the same rows. Each is measured three times, alternating; the medians are
//! printed as `key: value unit` lines.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Instant;

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use store::entity::{blacklist_entry, blacklist_group, company};
use voxdial_server::jobs::number_import;

const ROWS: usize = 250_000;
/// Each measurement is taken this many times; medians are printed.
const ROUNDS: usize = 3;

/// A small deterministic generator, so every run imports the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

struct Generated {
    xlsx: Vec<u8>,
    /// Numbers to put on the blacklist (1 % of the rows).
    blacklisted: Vec<String>,
}

fn generate() -> Generated {
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    ];
    const GIVEN: [&str; 12] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军",
    ];
    const COMPANIES: [&str; 8] = [
        "星火教育科技有限公司",
        "蓝海贸易有限公司",
        "华东建材有限公司",
        "新锐网络科技有限公司",
        "恒通物流有限公司",
        "安康医疗器械有限公司",
        "金桥财务咨询有限公司",
        "",
    ];
    const CITIES: [&str; 6] = ["杭州", "上海", "北京", "广州", "深圳", "成都"];
    const PREFIXES: [&str; 12] = [
        "138", "139", "150", "151", "186", "187", "135", "136", "177", "189", "199", "158",
    ];
    let mut rng = Lcg(20261127);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in (0u16..).zip(["号码", "联系人", "公司", "性别", "城市"]) {
        sheet.write_string(0, column, header).unwrap();
    }
    let mut blacklisted = Vec::new();
    let mut issued: Vec<String> = Vec::with_capacity(ROWS);
    for row in 1..=ROWS as u32 {
        let roll = rng.next() % 100;
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
        let company = rng.pick(&COMPANIES).to_owned();
        let number = format!("{}{:08}", rng.pick(&PREFIXES), rng.next() % 100_000_000);
        let cell = match roll {
            // 3 % invalid: too short, letters, scientific notation that lost digits.
            0 => number[..9].to_owned(),
            1 => format!("{}abc", &number[..8]),
            2 => "1.38E+10".to_owned(),
            // 2 % repeat an earlier row.
            3 | 4 if !issued.is_empty() => issued[(rng.next() as usize) % issued.len()].clone(),
            // 1 % are on the blacklist.
            5 => {
                blacklisted.push(number.clone());
                number
            }
            // The rest as people write them.
            6..=15 => format!("+86 {} {} {}", &number[..3], &number[3..7], &number[7..]),
            16..=25 => format!("{}-{}-{}", &number[..3], &number[3..7], &number[7..]),
            _ => number,
        };
        if roll >= 5 {
            issued.push(cell.clone());
        }
        sheet.write_string(row, 0, &cell).unwrap();
        sheet.write_string(row, 1, &name).unwrap();
        sheet.write_string(row, 2, &company).unwrap();
        sheet
            .write_string(row, 3, if roll.is_multiple_of(2) { "1" } else { "2" })
            .unwrap();
        sheet.write_string(row, 4, rng.pick(&CITIES)).unwrap();
    }
    Generated {
        xlsx: workbook.save_to_buffer().unwrap(),
        blacklisted,
    }
}

/// A line of /proc/self/status in MiB (Linux).
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak to the current resident size and returns that size, so a phase's own
/// peak is `status_mib("VmHWM:")` minus it.
fn reset_peak() -> f64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_mib("VmRSS:")
}

/// One round of the three measurements, each into a task of its own.
struct Round {
    parse_s: f64,
    parse_peak: f64,
    insert_s: f64,
    insert_rows: usize,
    upload_s: f64,
    import_s: f64,
    import_peak: f64,
    imported: i64,
    rejected: i64,
}

async fn round(
    client: &common::Client,
    db: &sea_orm::DatabaseConnection,
    tenant: i64,
    data: &Generated,
    index: usize,
) -> Round {
    let import_task = client.new_task(&format!("导入基准{index}")).await;
    let floor_task = client.new_task(&format!("插入下限{index}")).await;

    // Floor 1: reading the file.
    let base = reset_peak();
    let started = Instant::now();
    let table = voxdial_server::sheet::read("numbers.xlsx", &data.xlsx).unwrap();
    let parse_s = started.elapsed().as_secs_f64();
    let parse_peak = status_mib("VmHWM:") - base;
    assert_eq!(table.rows.len(), ROWS);

    // Floor 2: a raw batch insert of the rows the import takes (prepared untimed).
    let columns = number_import::Columns::of(&table.header).unwrap();
    let known = number_import::Known {
        blacklisted: [(floor_task, data.blacklisted.iter().cloned().collect())].into(),
        ..Default::default()
    };
    let (rows, _) = number_import::prepare(
        &table,
        &columns,
        &number_import::Routing::Task(floor_task),
        &known,
    );
    drop(table);
    checkpoint(db).await;
    // On a runtime worker, as the import job runs: awaited from `main` itself, each of the
    // database driver's wake-ups has to unpark the main thread, which made it 3x slower.
    let worker_db = db.clone();
    let (rows, insert_s) = tokio::spawn(async move {
        let started = Instant::now();
        let txn = worker_db.begin().await.unwrap();
        number_import::insert_numbers(&txn, tenant, None, &rows, Utc::now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        (rows, started.elapsed().as_secs_f64())
    })
    .await
    .unwrap();
    let insert_rows = rows.len();
    drop(rows);

    // The import as a user runs it: upload, background job, notification. Its WAL frames are
    // copied into the database file within the measurement, as the floor's are at its commit.
    checkpoint(db).await;
    let base = reset_peak();
    let started = Instant::now();
    let accepted = client
        .upload(
            &format!("/api/tasks/{import_task}/numbers/import"),
            "numbers.xlsx",
            data.xlsx.clone(),
        )
        .await;
    let upload_s = started.elapsed().as_secs_f64();
    let done = client
        .wait(
            accepted["notification_id"]
                .as_i64()
                .expect("import accepted"),
        )
        .await;
    checkpoint(db).await;
    let import_s = started.elapsed().as_secs_f64();
    let import_peak = status_mib("VmHWM:") - base;
    let imported = done["success_count"].as_i64().unwrap_or(0);
    let stored = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM task_numbers WHERE task_id = {import_task}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(stored, imported, "every reported number is stored");
    // Free the pages again, so the next round writes into space of the same kind.
    client
        .post(
            "/api/tasks/delete",
            serde_json::json!({"ids": [import_task, floor_task]}),
        )
        .await;
    Round {
        parse_s,
        parse_peak,
        insert_s,
        insert_rows,
        upload_s,
        import_s,
        import_peak,
        imported,
        rejected: done["fail_count"].as_i64().unwrap_or(0),
    }
}

/// SQLite: copies the write-ahead log into the database file and empties it, so no phase
/// pays for an earlier one's writes (a commit leaves that work to the next writer while
/// readers are active).
async fn checkpoint(db: &sea_orm::DatabaseConnection) {
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .unwrap();
    }
}

fn median(rounds: &[Round], value: fn(&Round) -> f64) -> f64 {
    let mut values: Vec<f64> = rounds.iter().map(value).collect();
    values.sort_by(f64::total_cmp);
    common::percentile(&values, 0.5)
}

async fn run(backend: &str, database_url: Option<String>, data: &Generated) {
    let dir = tempfile::tempdir().unwrap();
    let server = voxdial_server::api::spawn(common::config(dir.path(), database_url))
        .await
        .unwrap();
    let db = server.state.db.clone();
    let client = common::Client::login(format!("http://{}", server.address)).await;
    let tenant = company::Entity::find().one(&db).await.unwrap().unwrap().id;
    let group = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let txn = db.begin().await.unwrap();
    for chunk in data.blacklisted.chunks(500) {
        let rows = chunk.iter().map(|phone| blacklist_entry::ActiveModel {
            tenant_id: Set(tenant),
            group_id: Set(group),
            phone: Set(phone.clone()),
            note: Set(String::new()),
            expires_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        });
        blacklist_entry::Entity::insert_many(rows)
            .on_conflict_do_nothing()
            .exec(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();

    // A first round grows the database files and is not counted: the first 235 000 rows
    // written to a new file cost half again as much as the same rows written later.
    round(&client, &db, tenant, data, 0).await;
    let mut rounds = Vec::new();
    for index in 1..=ROUNDS {
        rounds.push(round(&client, &db, tenant, data, index).await);
    }
    let first = &rounds[0];
    let parse_s = median(&rounds, |r| r.parse_s);
    let insert_s = median(&rounds, |r| r.insert_s);
    let import_s = median(&rounds, |r| r.import_s);
    println!("{backend}_rows: {ROWS} rows");
    println!("{backend}_imported: {} rows", first.imported);
    println!("{backend}_rejected: {} rows", first.rejected);
    println!(
        "{backend}_file_size: {:.1} MiB",
        data.xlsx.len() as f64 / 1048576.0
    );
    println!("{backend}_parse_floor_median: {parse_s:.2} s");
    println!(
        "{backend}_parse_peak_rss_growth: {:.0} MiB",
        median(&rounds, |r| r.parse_peak)
    );
    println!(
        "{backend}_insert_floor_median: {insert_s:.2} s ({} rows)",
        first.insert_rows
    );
    println!(
        "{backend}_upload_response_median: {:.2} s",
        median(&rounds, |r| r.upload_s)
    );
    println!("{backend}_import_wall_median: {import_s:.2} s");
    println!(
        "{backend}_import_rows_per_s: {:.0} rows/s",
        ROWS as f64 / import_s
    );
    println!(
        "{backend}_import_peak_rss_growth: {:.0} MiB",
        median(&rounds, |r| r.import_peak)
    );
    println!(
        "{backend}_import_vs_floors: {:.2} x",
        import_s / (parse_s + insert_s)
    );
    server.stop().await.unwrap();
}

#[tokio::main]
async fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        voxdial_server::telemetry::init();
    }
    let started = Instant::now();
    let data = generate();
    println!("generate_xlsx: {:.2} s", started.elapsed().as_secs_f64());
    // VOXDIAL_BENCH_SAVE_XLSX=path: only write the file, e.g. to import it in the console.
    if let Some(path) = std::env::var_os("VOXDIAL_BENCH_SAVE_XLSX") {
        std::fs::write(&path, &data.xlsx).unwrap();
        println!("saved: {}", path.to_string_lossy());
        return;
    }
    run("sqlite", None, &data).await;
    if let Some(url) = common::postgres_url() {
        run(
            "postgres",
            Some(common::fresh_postgres_database(&url).await),
            &data,
        )
        .await;
    }
}
