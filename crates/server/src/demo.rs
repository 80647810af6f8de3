//! The demo company, created on first start with an empty database so that a new user can
//! log in at once and see a realistic organisation.

use chrono::Utc;
use domain::task::{TaskSettings, TaskStatus};
use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use store::entity::{company, department, member, permission_group};

use crate::jobs::number_import::NewNumber;

use crate::auth::{accounts, password};
use crate::services::companies::{self, NewCompany};
use crate::state::AppState;

pub const DEMO_PHONE: &str = "13800000000";
const DEMO_COMPANY: &str = "演示企业（示例教育科技有限公司）";

/// Creates the demo on a database without companies, unless the demo is switched off.
#[allow(clippy::print_stdout)] // the login must reach the person who started the server
pub async fn ensure(state: &AppState) -> anyhow::Result<()> {
    if !state.config.demo || company::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let password = state.config.demo_password.clone().unwrap_or_else(|| {
        rand::rng()
            .sample_iter(&Alphanumeric)
            .take(12)
            .map(char::from)
            .collect()
    });
    let created = companies::create(
        &state.db,
        NewCompany {
            name: DEMO_COMPANY.to_owned(),
            admin_name: "演示管理员".to_owned(),
            admin_phone: DEMO_PHONE.to_owned(),
            admin_password: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot create the demo company: {e}"))?;
    // The demo password may be anything the operator chose, so it skips the strength rules.
    let mut owner: member::ActiveModel = created.owner.clone().into();
    owner.password_hash = Set(password::hash(&password).await?);
    owner.must_change_password = Set(false);
    owner.update(&state.db).await?;
    seed_organisation(state, created.company.id).await?;
    // 500 元 to try calling with at once.
    store::entity::balance::ActiveModel {
        tenant_id: Set(created.company.id),
        balance_mfen: Set(DEMO_BALANCE_MFEN),
        overdraft_mfen: Set(0),
        updated_at: Set(Utc::now()),
    }
    .update(&state.db)
    .await?;
    let script_id = seed_script(state, created.company.id, created.owner.id).await?;
    seed_task(state, created.company.id, created.owner.id, script_id).await?;
    if accounts::find_by_login(&state.db, "operator")
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?
        .is_none()
    {
        store::entity::operator::ActiveModel {
            login: Set("operator".to_owned()),
            name: Set("平台运营".to_owned()),
            password_hash: Set(password::hash(&password).await?),
            must_change_password: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&state.db)
        .await?;
    }
    println!();
    println!("  Voxdial 演示企业已创建 / demo company created");
    println!("  控制台 console : http://{}", state.config.listen);
    println!("  企业管理员 admin : {DEMO_PHONE}  密码 password: {password}");
    println!("  平台运营 operator: operator  密码 password: {password}");
    println!();
    Ok(())
}

const DEMO_BALANCE_MFEN: i64 = 500 * 100_000;

/// The demo script (少儿编程体验课邀约, 17 knowledge entries), published as version 1.
const DEMO_SCRIPT: &str = include_str!("../demo/script-education.json");

async fn seed_script(state: &AppState, tenant_id: i64, owner_id: i64) -> anyhow::Result<i64> {
    // Stored as the API stores every script: every field written out.
    let script: robot::script::Script = serde_json::from_str(DEMO_SCRIPT)?;
    let draft = serde_json::to_string(&script)?;
    let row = crate::services::robot::scripts::insert(
        &state.db,
        tenant_id,
        Some(owner_id),
        &script.name,
        "示例话术：为少儿编程机构邀约家长带孩子参加免费体验课，含知识库和意向等级规则，可直接测试对话。",
        draft,
    )
    .await?;
    crate::services::robot::scripts::publish_first(&state.db, &row).await?;
    // The tag library holds the tags the script's nodes give.
    crate::services::user_tags::seed(
        &state.db,
        tenant_id,
        &[
            ("客户意向", &["关注价格", "预约体验课", "需要资料"]),
            ("跟进状态", &["在忙待回访"]),
        ],
    )
    .await?;
    Ok(row.id)
}

/// Numbers in the demo task.
const DEMO_NUMBERS: usize = 200;

/// 演示任务: the demo script on the simulated line, ready to start, calling at any hour so
/// that a first try at night works too, with 200 made-up numbers (the simulated line decides
/// each one's outcome).
async fn seed_task(
    state: &AppState,
    tenant_id: i64,
    owner_id: i64,
    script_id: i64,
) -> anyhow::Result<()> {
    let db = &state.db;
    let line = store::entity::line::Entity::find()
        .filter(store::entity::line::Column::TenantId.eq(tenant_id))
        .filter(store::entity::line::Column::Kind.eq("simulated"))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo company has no simulated line"))?;
    let group = store::entity::blacklist_group::Entity::find()
        .filter(store::entity::blacklist_group::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?;
    let now = Utc::now();
    let all_day = serde_json::json!([["00:00", "24:00"]]);
    let mut settings: TaskSettings = serde_json::from_value(serde_json::json!({
        "tags": ["演示"],
        "kind": "script",
        "dialog": {"mode": "unified", "script_id": script_id},
        "line_id": line.id,
        "blacklist_group_ids": group.map(|g| vec![g.id]).unwrap_or_default(),
        "valid_from": now - chrono::Duration::days(1),
        "valid_until": now + chrono::Duration::days(365),
        "schedule": {"template_id": null, "days": {
            "mon": all_day, "tue": all_day, "wed": all_day, "thu": all_day,
            "fri": all_day, "sat": all_day, "sun": all_day}},
        "skip_holidays": false,
        "concurrency": 10,
        "retry": {"statuses": ["no_answer", "busy"], "max_attempts": 2, "interval_minutes": 1},
    }))?;
    settings
        .validate()
        .map_err(|e| anyhow::anyhow!("demo task: {}", e.message))?;
    let task = store::entity::task::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set("演示任务".to_owned()),
        kind: Set("script".to_owned()),
        line_id: Set(Some(line.id)),
        settings: Set(serde_json::to_string(&settings)?),
        status: Set(TaskStatus::NotStarted.code().to_owned()),
        idle_reason: Set(String::new()),
        is_template: Set(false),
        total_numbers: Set(0),
        called_numbers: Set(0),
        connected_numbers: Set(0),
        created_by: Set(Some(owner_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    const SURNAMES: [&str; 10] = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
    const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"];
    let numbers: Vec<NewNumber> = (0..DEMO_NUMBERS)
        .map(|i| {
            // 139 0000 0000 + i: well-formed mobile numbers, nobody's in particular.
            let phone = format!("1390000{:04}", i);
            let region = domain::phone_region::lookup(&phone);
            NewNumber {
                task_id: task.id,
                name: format!("{}{}", SURNAMES[i % 10], GIVEN[(i / 10) % 10]),
                company: String::new(),
                gender: if i % 2 == 0 { 1 } else { 2 },
                extra: "{}".to_owned(),
                province: region.as_ref().map_or("", |r| r.province()),
                city: region.as_ref().map_or("", |r| r.city()),
                carrier: region
                    .as_ref()
                    .and_then(|r| r.carrier())
                    .map_or("", |c| c.label()),
                phone,
            }
        })
        .collect();
    let txn = store::begin(db).await?;
    crate::jobs::number_import::insert_numbers(&txn, tenant_id, None, &numbers, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Departments, a manager group and a few colleagues (initial password 123456). 王芳 sits in
/// 管理层, whose group lets her manage people, and heads 销售部, which scopes what she sees.
async fn seed_organisation(state: &AppState, tenant_id: i64) -> anyhow::Result<()> {
    let now = Utc::now();
    let managers = permission_group::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set("部门主管".to_owned()),
        description: Set("可管理本部门成员和下级部门".to_owned()),
        permissions: Set(serde_json::to_string(
            &domain::permissions::all_keys().collect::<Vec<_>>(),
        )?),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    let add_department =
        |name: &str, parent_id: Option<i64>, sort_order: i32, permission_group_id: Option<i64>| {
            department::NewDepartment {
                tenant_id,
                parent_id,
                name,
                sort_order,
                permission_group_id,
            }
            .into_active_model(now)
        };
    let sales = add_department("销售部", None, 0, None)
        .insert(&state.db)
        .await?;
    let east = add_department("华东组", Some(sales.id), 0, None)
        .insert(&state.db)
        .await?;
    let south = add_department("华南组", Some(sales.id), 1, None)
        .insert(&state.db)
        .await?;
    add_department("客服部", None, 1, None)
        .insert(&state.db)
        .await?;
    let management = add_department("管理层", None, 2, Some(managers.id))
        .insert(&state.db)
        .await?;
    let initial = password::hash(domain::identity::INITIAL_PASSWORD).await?;
    let colleagues = [
        ("王芳", "13800000001", management.id),
        ("李强", "13800000002", east.id),
        ("赵敏", "13800000003", south.id),
    ];
    let mut head = None;
    for (name, phone, dept) in colleagues {
        let row = member::NewMember {
            tenant_id,
            name: name.to_owned(),
            phone: phone.to_owned(),
            email: None,
            department_id: Some(dept),
            password_hash: initial.clone(),
            must_change_password: true,
            is_owner: false,
        }
        .into_active_model(now)
        .insert(&state.db)
        .await?;
        head.get_or_insert(row.id);
    }
    let mut sales: department::ActiveModel = sales.into();
    sales.admin_member_id = Set(head);
    sales.update(&state.db).await?;
    Ok(())
}
