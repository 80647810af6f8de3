//! The permission catalog: which menus and actions a permission group can grant.
//!
//! A key is added here when its page exists; the console builds its checkbox tree from
//! [`CATALOG`], so there is one list for the server's checks and the console's labels.

use serde::Serialize;

/// One action a permission group may grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Permission {
    pub key: &'static str,
    pub label: &'static str,
    pub label_en: &'static str,
}

/// A top-level menu of the console and the actions under it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct MenuPermissions {
    pub menu: &'static str,
    pub menu_label: &'static str,
    pub menu_label_en: &'static str,
    pub items: &'static [Permission],
}

pub const MEMBER_VIEW: &str = "member.view";
pub const MEMBER_MANAGE: &str = "member.manage";
pub const DEPARTMENT_MANAGE: &str = "department.manage";
pub const GROUP_MANAGE: &str = "group.manage";
pub const ROBOT_VIEW: &str = "robot.view";
pub const ROBOT_MANAGE: &str = "robot.manage";
pub const TASK_VIEW: &str = "task.view";
pub const TASK_MANAGE: &str = "task.manage";
pub const BLACKLIST_VIEW: &str = "blacklist.view";
pub const BLACKLIST_MANAGE: &str = "blacklist.manage";
pub const BILLING_VIEW: &str = "billing.view";

pub const CATALOG: &[MenuPermissions] = &[
    MenuPermissions {
        menu: "call_center",
        menu_label: "呼叫中台",
        menu_label_en: "Call centre",
        items: &[
            Permission {
                key: TASK_VIEW,
                label: "查看外呼任务、号码、线路与呼叫时间",
                label_en: "View calling tasks, numbers, lines and call times",
            },
            Permission {
                key: TASK_MANAGE,
                label: "管理外呼任务（新建、导入号码、启动暂停、删除）与呼叫时间模板",
                label_en: "Manage calling tasks (create, import numbers, start, pause, delete) and call-time templates",
            },
            Permission {
                key: BLACKLIST_VIEW,
                label: "查看黑名单",
                label_en: "View the blacklist",
            },
            Permission {
                key: BLACKLIST_MANAGE,
                label: "管理黑名单（添加、导入导出、删除、移动）",
                label_en: "Manage the blacklist (add, import, export, delete, move)",
            },
            Permission {
                key: BILLING_VIEW,
                label: "查看余额与账单",
                label_en: "View balance and bills",
            },
        ],
    },
    MenuPermissions {
        menu: "robot",
        menu_label: "AI机器人中心",
        menu_label_en: "AI robot centre",
        items: &[
            Permission {
                key: ROBOT_VIEW,
                label: "查看话术与意向等级规则（含测试对话）",
                label_en: "View scripts and grading rules (with the test chat)",
            },
            Permission {
                key: ROBOT_MANAGE,
                label: "管理话术与意向等级规则（新建、编辑、发布、导入导出）",
                label_en: "Manage scripts and grading rules (create, edit, publish, import, export)",
            },
        ],
    },
    MenuPermissions {
        menu: "org",
        menu_label: "团队组织",
        menu_label_en: "Team",
        items: &[
            Permission {
                key: MEMBER_VIEW,
                label: "查看子账户",
                label_en: "View sub-accounts",
            },
            Permission {
                key: MEMBER_MANAGE,
                label: "管理子账户（新建、编辑、停用、重置密码、导入）",
                label_en: "Manage sub-accounts (create, edit, disable, reset password, import)",
            },
            Permission {
                key: DEPARTMENT_MANAGE,
                label: "管理部门",
                label_en: "Manage departments",
            },
            Permission {
                key: GROUP_MANAGE,
                label: "管理权限组",
                label_en: "Manage permission groups",
            },
        ],
    },
];

/// Every key of the catalog, in catalog order.
pub fn all_keys() -> impl Iterator<Item = &'static str> {
    CATALOG
        .iter()
        .flat_map(|menu| menu.items.iter().map(|item| item.key))
}

pub fn is_known(key: &str) -> bool {
    all_keys().any(|known| known == key)
}

/// The permissions a new company's default group grants: seeing colleagues, nothing more.
pub const DEFAULT_GROUP_KEYS: &[&str] = &[MEMBER_VIEW];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_known() {
        let keys: Vec<_> = all_keys().collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(keys.len(), sorted.len());
        assert!(is_known(MEMBER_MANAGE));
        assert!(!is_known("member.delete_everything"));
        assert!(DEFAULT_GROUP_KEYS.iter().all(|key| is_known(key)));
    }
}
