//! The department tree: sub-tree queries, cycle checks, and settings inherited from the
//! parent unless a department overrides them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The settings a department may override; `None` means "inherit from the parent".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentSettings {
    pub permission_group_id: Option<i64>,
    pub recycle_days: Option<i32>,
    pub claim_quota: Option<i32>,
    pub sales_stages: Option<Vec<String>>,
}

/// Settings after inheritance, with where each value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EffectiveSettings {
    pub permission_group_id: i64,
    pub recycle_days: i32,
    pub claim_quota: i32,
    pub sales_stages: Vec<String>,
    pub inherited: InheritedFlags,
}

/// `true` for a value that comes from an ancestor or the company default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InheritedFlags {
    pub permission_group_id: bool,
    pub recycle_days: bool,
    pub claim_quota: bool,
    pub sales_stages: bool,
}

/// What applies at the top of the tree, above every root department.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyDefaults {
    pub permission_group_id: i64,
    pub recycle_days: i32,
    pub claim_quota: i32,
    pub sales_stages: Vec<String>,
}

pub const DEFAULT_RECYCLE_DAYS: i32 = 30;
pub const DEFAULT_CLAIM_QUOTA: i32 = 100;
/// The sales pipeline the seed product ships with.
pub const DEFAULT_SALES_STAGES: &[&str] = &["系统演示", "商务洽谈", "意向了解", "签约客户"];

/// A department as the tree rules need it.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub settings: DepartmentSettings,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TreeError {
    #[error("a department cannot move under itself or its own sub-department")]
    Cycle,
    #[error("unknown department {0}")]
    Unknown(i64),
}

/// The company's departments, indexed for the questions the API asks.
pub struct Tree {
    nodes: HashMap<i64, Node>,
    children: HashMap<i64, Vec<i64>>,
}

impl Tree {
    pub fn new(nodes: impl IntoIterator<Item = Node>) -> Self {
        let nodes: HashMap<i64, Node> = nodes.into_iter().map(|node| (node.id, node)).collect();
        let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
        for node in nodes.values() {
            if let Some(parent) = node.parent_id {
                children.entry(parent).or_default().push(node.id);
            }
        }
        Self { nodes, children }
    }

    pub fn contains(&self, id: i64) -> bool {
        self.nodes.contains_key(&id)
    }

    /// The department and all departments below it, at any depth.
    pub fn subtree(&self, root: i64) -> Vec<i64> {
        let mut found = Vec::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if !self.nodes.contains_key(&id) {
                continue;
            }
            found.push(id);
            if let Some(kids) = self.children.get(&id) {
                stack.extend(kids);
            }
        }
        found
    }

    pub fn is_within(&self, id: i64, ancestor: i64) -> bool {
        self.ancestors_and_self(id).any(|step| step == ancestor)
    }

    /// Walks from a department up to its root. Stops on a broken chain rather than looping.
    fn ancestors_and_self(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        let mut next = self.nodes.get(&id).map(|node| node.id);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let current = next?;
            steps += 1;
            next = if steps > self.nodes.len() {
                None
            } else {
                self.nodes.get(&current).and_then(|node| node.parent_id)
            };
            Some(current)
        })
    }

    /// Checks that `id` may be moved under `new_parent` (`None` = top level).
    pub fn check_move(&self, id: i64, new_parent: Option<i64>) -> Result<(), TreeError> {
        if !self.contains(id) {
            return Err(TreeError::Unknown(id));
        }
        match new_parent {
            None => Ok(()),
            Some(parent) if !self.contains(parent) => Err(TreeError::Unknown(parent)),
            Some(parent) if self.is_within(parent, id) => Err(TreeError::Cycle),
            Some(_) => Ok(()),
        }
    }

    /// Resolves each setting from the nearest department that sets it, else the company default.
    pub fn effective_settings(&self, id: i64, defaults: &CompanyDefaults) -> EffectiveSettings {
        let chain: Vec<&DepartmentSettings> = self
            .ancestors_and_self(id)
            .filter_map(|step| self.nodes.get(&step).map(|node| &node.settings))
            .collect();
        let own = chain.first().copied();
        let nearest = |pick: &dyn Fn(&DepartmentSettings) -> bool| {
            chain.iter().position(|settings| pick(settings))
        };
        let from = |index: Option<usize>| index.map(|i| chain[i]);

        let group = from(nearest(&|s| s.permission_group_id.is_some()));
        let recycle = from(nearest(&|s| s.recycle_days.is_some()));
        let quota = from(nearest(&|s| s.claim_quota.is_some()));
        let stages = from(nearest(&|s| s.sales_stages.is_some()));
        let inherited = |found: Option<&DepartmentSettings>| match (found, own) {
            (Some(found), Some(own)) => !std::ptr::eq(found, own),
            _ => true,
        };
        EffectiveSettings {
            permission_group_id: group
                .and_then(|s| s.permission_group_id)
                .unwrap_or(defaults.permission_group_id),
            recycle_days: recycle
                .and_then(|s| s.recycle_days)
                .unwrap_or(defaults.recycle_days),
            claim_quota: quota
                .and_then(|s| s.claim_quota)
                .unwrap_or(defaults.claim_quota),
            sales_stages: stages
                .and_then(|s| s.sales_stages.clone())
                .unwrap_or_else(|| defaults.sales_stages.clone()),
            inherited: InheritedFlags {
                permission_group_id: inherited(group),
                recycle_days: inherited(recycle),
                claim_quota: inherited(quota),
                sales_stages: inherited(stages),
            },
        }
    }
}

/// Which members' data a caller may see (ORG-6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataScope {
    /// The company owner: everything.
    All,
    /// A department admin: members of these departments (their own and every one below).
    Departments(Vec<i64>),
    /// An employee: only their own data.
    Own(i64),
}

impl DataScope {
    /// The scope of a member, from whether they own the company and which departments they head.
    pub fn for_member(
        member_id: i64,
        is_owner: bool,
        headed_departments: &[i64],
        tree: &Tree,
    ) -> Self {
        if is_owner {
            return Self::All;
        }
        if headed_departments.is_empty() {
            return Self::Own(member_id);
        }
        let mut ids: Vec<i64> = headed_departments
            .iter()
            .flat_map(|&id| tree.subtree(id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Self::Departments(ids)
    }

    /// Whether a member may be placed in this department (`None`: no department) by someone
    /// with this scope: the owner anywhere, a department admin inside their departments.
    pub fn may_place_in(&self, department_id: Option<i64>) -> bool {
        match (self, department_id) {
            (Self::All, _) => true,
            (Self::Departments(ids), Some(id)) => ids.contains(&id),
            _ => false,
        }
    }

    /// Whether a member (given their id and department) is inside this scope.
    pub fn covers(&self, member_id: i64, department_id: Option<i64>, caller_id: i64) -> bool {
        match self {
            Self::All => true,
            Self::Departments(ids) => {
                member_id == caller_id || department_id.is_some_and(|dept| ids.contains(&dept))
            }
            Self::Own(own) => *own == member_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent_id: Option<i64>, settings: DepartmentSettings) -> Node {
        Node {
            id,
            parent_id,
            settings,
        }
    }

    fn defaults() -> CompanyDefaults {
        CompanyDefaults {
            permission_group_id: 1,
            recycle_days: DEFAULT_RECYCLE_DAYS,
            claim_quota: DEFAULT_CLAIM_QUOTA,
            sales_stages: DEFAULT_SALES_STAGES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// 1 销售部 (group 7, 15 days) → 2 华东组 (quota 20) → 3 上海小组; 4 客服部.
    fn sample() -> Tree {
        Tree::new([
            node(
                1,
                None,
                DepartmentSettings {
                    permission_group_id: Some(7),
                    recycle_days: Some(15),
                    ..Default::default()
                },
            ),
            node(
                2,
                Some(1),
                DepartmentSettings {
                    claim_quota: Some(20),
                    ..Default::default()
                },
            ),
            node(3, Some(2), DepartmentSettings::default()),
            node(4, None, DepartmentSettings::default()),
        ])
    }

    #[test]
    fn settings_come_from_the_nearest_ancestor_that_sets_them() {
        let tree = sample();
        let leaf = tree.effective_settings(3, &defaults());
        assert_eq!(leaf.permission_group_id, 7);
        assert_eq!(leaf.recycle_days, 15);
        assert_eq!(leaf.claim_quota, 20);
        assert_eq!(leaf.sales_stages[0], "系统演示");
        assert_eq!(
            leaf.inherited,
            InheritedFlags {
                permission_group_id: true,
                recycle_days: true,
                claim_quota: true,
                sales_stages: true
            }
        );

        let middle = tree.effective_settings(2, &defaults());
        assert!(!middle.inherited.claim_quota);
        assert!(middle.inherited.recycle_days);

        let other_root = tree.effective_settings(4, &defaults());
        assert_eq!(other_root.permission_group_id, 1);
        assert_eq!(other_root.claim_quota, DEFAULT_CLAIM_QUOTA);
    }

    #[test]
    fn moves_that_would_make_a_cycle_are_refused() {
        let tree = sample();
        assert_eq!(tree.check_move(1, Some(3)), Err(TreeError::Cycle));
        assert_eq!(tree.check_move(1, Some(1)), Err(TreeError::Cycle));
        assert_eq!(tree.check_move(3, Some(4)), Ok(()));
        assert_eq!(tree.check_move(3, None), Ok(()));
        assert_eq!(tree.check_move(3, Some(99)), Err(TreeError::Unknown(99)));
    }

    #[test]
    fn subtree_includes_every_level() {
        let tree = sample();
        let mut ids = tree.subtree(1);
        ids.sort_unstable();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(tree.subtree(4), vec![4]);
    }

    #[test]
    fn data_scope_follows_role() {
        let tree = sample();
        assert_eq!(DataScope::for_member(10, true, &[], &tree), DataScope::All);
        assert_eq!(
            DataScope::for_member(10, false, &[], &tree),
            DataScope::Own(10)
        );
        let head = DataScope::for_member(10, false, &[2], &tree);
        assert_eq!(head, DataScope::Departments(vec![2, 3]));
        assert!(head.covers(11, Some(3), 10));
        assert!(!head.covers(11, Some(1), 10));
        assert!(!head.covers(11, None, 10));
        assert!(head.covers(10, Some(1), 10));
        assert!(!DataScope::Own(10).covers(11, Some(2), 10));
        assert!(head.may_place_in(Some(3)));
        assert!(!head.may_place_in(Some(1)));
        assert!(!head.may_place_in(None));
        assert!(DataScope::All.may_place_in(None));
        assert!(!DataScope::Own(10).may_place_in(Some(2)));
    }
}
