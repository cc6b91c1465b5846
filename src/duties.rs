//! 谁拿到什么：由任务目录和单位登记册推出每个单位的角色、要报的表和适用的期限。
//!
//! 规则全部集中在本模块，并以数据表（[`QUARTERLY_RULES`]）的形式写出，README 中有同样的说明：
//!
//! - 角色：总牵头单位（统筹一个任务组）、牵头单位（牵头一项任务）、责任单位（参与一项任务）。
//!   通过群体短语（如“各街道办事处”）点到的单位按登记册 `[[group]] members` 逐个展开，
//!   并记下是经哪个短语点到的（`via`）。登记册没有列成员的短语无法分发，报告警告。
//! - 同一单位在同一任务上既是牵头又是责任单位（如既被点名牵头、又经“各街道办事处”被点到）时
//!   只记为牵头单位；直接点名优先于经短语点到。总牵头单位是组一级的角色，与牵头单位并存
//!   （总牵头单位自己牵头的任务，它既出总体办理方案，也出本单位的办理方案）。
//! - 季度完成情况（附表3）由谁报，见 [`QUARTERLY_RULES`]。

use crate::catalogue::{Catalogue, Task, UnitRef};
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::{Index, Registered, Registry, UnitKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// 单位在一项任务上的角色。顺序即强弱：总牵头最强。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Role {
    #[serde(rename = "总牵头单位")]
    OverallLead,
    #[serde(rename = "牵头单位")]
    Lead,
    #[serde(rename = "责任单位")]
    Responsible,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::OverallLead => "总牵头单位",
            Role::Lead => "牵头单位",
            Role::Responsible => "责任单位",
        }
    }
}

/// 一个单位在一项任务上的一次分工。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// 任务在 `Catalogue::tasks` 中的下标（即目录顺序）。
    pub task: usize,
    pub role: Role,
    /// 经哪个群体短语点到（如“各街道办事处”）；直接点名为 `None`。
    pub via: Option<String>,
}

/// 任务属于哪一类（决定季报由谁报）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TaskClass {
    /// 重点工作中、所在组有总牵头单位的任务。
    GroupWithOverallLead,
    /// 重点工作中、所在组没有总牵头单位（或不在任何组）的任务。
    NoOverallLead,
    /// 第三部分（全力建设人民满意政府）中有牵头单位的条目。
    SectionThreeWithLead,
    /// 第三部分中只有责任单位的条目。
    SectionThreeWithoutLead,
}

/// 季报规则：某类任务的完成情况由哪种角色的单位报送。
#[derive(Debug, Clone, Copy)]
pub struct QuarterlyRule {
    pub scope: TaskClass,
    pub reporter: Role,
    /// 依据（写进 README）。
    pub basis: &'static str,
}

/// 季报规则表（通知第三条：“各总牵头单位（无总牵头单位的由牵头单位报送）”）。
///
/// 第三部分只有责任单位的条目（1、3、4 项）通知没有指定报送人；我们决定由每个责任单位
/// （含经“各街道办事处”“区人民政府各部门”等短语点到的单位）各自报送本单位的完成情况，
/// 因为这些条目没有可以汇总的牵头单位，而遗漏报送比多报更难补救。
pub const QUARTERLY_RULES: &[QuarterlyRule] = &[
    QuarterlyRule {
        scope: TaskClass::GroupWithOverallLead,
        reporter: Role::OverallLead,
        basis: "通知第三条：各总牵头单位报送",
    },
    QuarterlyRule {
        scope: TaskClass::NoOverallLead,
        reporter: Role::Lead,
        basis: "通知第三条：无总牵头单位的由牵头单位报送",
    },
    QuarterlyRule {
        scope: TaskClass::SectionThreeWithLead,
        reporter: Role::Lead,
        basis: "第三部分条目无总牵头单位，由牵头单位报送",
    },
    QuarterlyRule {
        scope: TaskClass::SectionThreeWithoutLead,
        reporter: Role::Responsible,
        basis: "第三部分只有责任单位的条目：各责任单位各自报送（本项目的决定）",
    },
];

/// 一个单位的全部分工。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitDuties {
    /// 规范名。
    pub unit: String,
    /// 登记册中的类别；未登记单位为 `None`。
    pub kind: Option<UnitKind>,
    /// 按任务目录顺序、同一任务内按角色强弱排列。
    pub assignments: Vec<Assignment>,
    /// 本单位需在附表3中报送的任务（目录顺序）。
    pub quarterly: Vec<usize>,
}

impl UnitDuties {
    /// 本单位以某角色承担的任务下标（目录顺序）。
    pub fn tasks_with(&self, role: Role) -> Vec<usize> {
        self.assignments
            .iter()
            .filter(|a| a.role == role)
            .map(|a| a.task)
            .collect()
    }
    pub fn has(&self, role: Role) -> bool {
        self.assignments.iter().any(|a| a.role == role)
    }
    /// 是否只经群体短语被点到（从未被直接点名）。
    pub fn only_via_group(&self) -> bool {
        self.assignments.iter().all(|a| a.via.is_some())
    }
    pub fn reports_quarterly(&self) -> bool {
        !self.quarterly.is_empty()
    }
}

/// 全部单位的分工，按登记册顺序（未登记单位按名称排在最后）。
#[derive(Debug, Clone, Default, Serialize)]
pub struct Duties {
    pub units: Vec<UnitDuties>,
}

impl Duties {
    pub fn get(&self, unit: &str) -> Option<&UnitDuties> {
        self.units.iter().find(|u| u.unit == unit)
    }
}

/// 任务的类别。
pub fn class_of(cat: &Catalogue, task: &Task) -> TaskClass {
    let section_three = task
        .chapter
        .and_then(|c| cat.chapters.get(c))
        .map(|c| c.part == "三")
        .unwrap_or(false)
        || task.id.starts_with("三");
    if section_three {
        if task.leads.is_empty() {
            TaskClass::SectionThreeWithoutLead
        } else {
            TaskClass::SectionThreeWithLead
        }
    } else if cat.overall_leads(task).is_empty() {
        TaskClass::NoOverallLead
    } else {
        TaskClass::GroupWithOverallLead
    }
}

/// 本项任务的季报由哪种角色报送。
pub fn quarterly_reporter(cat: &Catalogue, task: &Task) -> Role {
    let scope = class_of(cat, task);
    QUARTERLY_RULES
        .iter()
        .find(|r| r.scope == scope)
        .map(|r| r.reporter)
        .unwrap_or(Role::Lead)
}

/// 把一个单位引用展开成 (规范名, 经由短语)。无法展开的群体短语记入 `unresolved`（短语 → 任务下标）。
/// 查名称用登记册的查找表（建一次）：逐个线性比对规范化名称时，全区分工要几十毫秒。
fn expand_ref(
    r: &UnitRef,
    idx: &Index,
    task: usize,
    unresolved: &mut BTreeMap<String, Vec<usize>>,
) -> Vec<(String, Option<String>)> {
    let canonical = |n: &str| match idx.get(n) {
        Some(Registered::Unit(u)) => u.name.clone(),
        _ => n.to_string(),
    };
    if !r.is_group {
        return vec![(canonical(&r.name), None)];
    }
    match idx.get(&r.name) {
        Some(Registered::Group(g)) if !g.members.is_empty() => g
            .members
            .iter()
            .map(|m| (canonical(m), Some(r.name.clone())))
            .collect(),
        _ => {
            let v = unresolved.entry(r.name.clone()).or_default();
            if !v.contains(&task) {
                v.push(task);
            }
            Vec::new()
        }
    }
}

/// 登记册中的类别（未登记为 `None`）。
fn kind_of(idx: &Index, unit: &str) -> Option<UnitKind> {
    match idx.get(unit) {
        Some(Registered::Unit(u)) => Some(u.kind),
        _ => None,
    }
}

/// 推出全部单位的分工。
pub fn assign(cat: &Catalogue, reg: &Registry) -> (Duties, Diagnostics) {
    let mut diags = Diagnostics::new();
    let idx = reg.index();
    let mut unresolved: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // (单位, 任务, 是否总牵头) → 最强分工；BTreeMap 保证确定顺序。
    let mut best: BTreeMap<(String, usize, bool), Assignment> = BTreeMap::new();
    let mut put = |unit: String, a: Assignment| {
        let key = (unit, a.task, a.role == Role::OverallLead);
        match best.get(&key) {
            Some(old) if (old.role, old.via.is_some()) <= (a.role, a.via.is_some()) => {}
            _ => {
                best.insert(key, a);
            }
        }
    };
    for (i, task) in cat.tasks.iter().enumerate() {
        let lists: [(&[UnitRef], Role); 3] = [
            (cat.overall_leads(task), Role::OverallLead),
            (&task.leads, Role::Lead),
            (&task.responsible, Role::Responsible),
        ];
        for (refs, role) in lists {
            for r in refs {
                for (unit, via) in expand_ref(r, &idx, i, &mut unresolved) {
                    put(unit, Assignment { task: i, role, via });
                }
            }
        }
    }
    // 每个无法展开的短语只报一次，列出涉及的任务。
    for (phrase, tasks) in unresolved {
        let first = &cat.tasks[tasks[0]];
        let ids: Vec<&str> = tasks.iter().map(|&t| cat.tasks[t].id.as_str()).collect();
        diags.push(
            Diagnostic::warning(
                &cat.source,
                first.line,
                0,
                format!(
                    "“{phrase}”在单位登记册中没有列出成员，无法分发到具体单位（涉及任务 {}）",
                    ids.join("、")
                ),
            )
            .with_hint("在 content/units.toml 的 [[group]] 中为该短语补上 members；在此之前这些单位收不到相关材料"),
        );
    }
    let mut by_unit: BTreeMap<String, Vec<Assignment>> = BTreeMap::new();
    for ((unit, _, _), a) in best {
        by_unit.entry(unit).or_default().push(a);
    }
    let mut units: Vec<UnitDuties> = by_unit
        .into_iter()
        .map(|(unit, mut assignments)| {
            assignments.sort_by_key(|a| (a.task, a.role));
            let quarterly = assignments
                .iter()
                .filter(|a| a.role == quarterly_reporter(cat, &cat.tasks[a.task]))
                .map(|a| a.task)
                .collect();
            UnitDuties {
                kind: kind_of(&idx, &unit),
                unit,
                assignments,
                quarterly,
            }
        })
        .collect();
    let positions: BTreeMap<&str, usize> = reg
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.as_str(), i))
        .rev()
        .collect();
    let order = |name: &str| positions.get(name).copied().unwrap_or(usize::MAX);
    units.sort_by(|a, b| (order(&a.unit), &a.unit).cmp(&(order(&b.unit), &b.unit)));
    (Duties { units }, diags)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalogue::{Chapter, Group};
    use crate::registry::{GroupPhrase, Unit};

    /// 手工构造的小目录：覆盖总牵头、纯牵头、纯责任、经短语点到的街道、两个总牵头、无总牵头、第三部分。
    pub fn sample() -> (Catalogue, Registry) {
        let u = UnitRef::unit;
        let g = UnitRef::group;
        let ch = |part: &str, number: &str| Chapter {
            part: part.into(),
            number: number.into(),
            title: format!("第{part}部分第{number}章"),
            line: 1,
        };
        let task = |id: &str, n: u32, chapter: usize, group: Option<usize>, leads, resp| Task {
            id: id.into(),
            number: n,
            chapter: Some(chapter),
            group,
            text: format!("任务{id}的正文。"),
            leads,
            responsible: resp,
            line: 10 + n as usize,
        };
        let cat = Catalogue {
            title: "测试方案".into(),
            source: "notice.txt".into(),
            chapters: vec![ch("二", "一"), ch("三", "一")],
            groups: vec![
                Group {
                    chapter: 0,
                    title: "甲组".into(),
                    overall_leads: vec![u("区发改局")],
                    line: 5,
                },
                Group {
                    chapter: 0,
                    title: "乙组".into(),
                    overall_leads: vec![u("区发改局"), u("区住建局")],
                    line: 6,
                },
                Group {
                    chapter: 0,
                    title: "丙组".into(),
                    overall_leads: vec![],
                    line: 7,
                },
            ],
            tasks: vec![
                task("1", 1, 0, Some(0), vec![u("区发改局")], vec![u("区商务局")]),
                task(
                    "2",
                    2,
                    0,
                    Some(0),
                    vec![u("区商务局")],
                    vec![u("区财政局"), g("各街道办事处")],
                ),
                task("3", 3, 0, Some(1), vec![u("区住建局")], vec![u("区财政局")]),
                task(
                    "4",
                    4,
                    0,
                    Some(2),
                    vec![u("区民政局")],
                    vec![g("各街道办事处")],
                ),
                task("三.1", 1, 1, None, vec![], vec![g("各街道办事处")]),
                task("三.2", 2, 1, None, vec![u("区司法局")], vec![u("区财政局")]),
            ],
            ..Catalogue::default()
        };
        let unit = |name: &str, kind| Unit {
            name: name.into(),
            kind,
            aliases: vec![],
        };
        let reg = Registry::new(
            vec![
                unit("区发改局", UnitKind::Department),
                unit("区商务局", UnitKind::Department),
                unit("区财政局", UnitKind::Department),
                unit("区住建局", UnitKind::Department),
                unit("区民政局", UnitKind::Department),
                unit("区司法局", UnitKind::Department),
                unit("纸坊街道办事处", UnitKind::Street),
                unit("金口街道办事处", UnitKind::Street),
            ],
            vec![GroupPhrase {
                name: "各街道办事处".into(),
                aliases: vec![],
                members: vec!["纸坊街道办事处".into(), "金口街道办事处".into()],
            }],
        );
        (cat, reg)
    }

    #[test]
    fn roles_by_unit() {
        let (cat, reg) = sample();
        let (d, diags) = assign(&cat, &reg);
        assert!(diags.is_empty(), "{diags:?}");
        let fg = d.get("区发改局").unwrap();
        assert_eq!(fg.tasks_with(Role::OverallLead), vec![0, 1, 2]);
        // 总牵头单位自己牵头的任务 1：两个角色并存。
        assert_eq!(fg.tasks_with(Role::Lead), vec![0]);
        assert_eq!(fg.quarterly, vec![0, 1, 2]);

        let sw = d.get("区商务局").unwrap();
        assert_eq!(sw.tasks_with(Role::Lead), vec![1]);
        assert_eq!(sw.tasks_with(Role::Responsible), vec![0]);
        assert!(sw.quarterly.is_empty(), "组有总牵头单位，牵头单位不报季报");

        let cz = d.get("区财政局").unwrap();
        assert_eq!(cz.tasks_with(Role::Responsible), vec![1, 2, 5]);
        assert!(cz.quarterly.is_empty());

        let zf = d.get("纸坊街道办事处").unwrap();
        assert!(zf.only_via_group());
        assert_eq!(zf.assignments[0].via.as_deref(), Some("各街道办事处"));
        assert_eq!(zf.tasks_with(Role::Responsible), vec![1, 3, 4]);
        // 第三部分只有责任单位的条目：责任单位各自报。
        assert_eq!(zf.quarterly, vec![4]);

        let mz = d.get("区民政局").unwrap();
        assert_eq!(mz.quarterly, vec![3], "无总牵头单位的组由牵头单位报");
        assert_eq!(d.get("区司法局").unwrap().quarterly, vec![5]);
        assert_eq!(
            d.get("区住建局").unwrap().tasks_with(Role::OverallLead),
            vec![2]
        );
        // 登记册顺序。
        let names: Vec<&str> = d.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names[0], "区发改局");
        assert_eq!(names.last().unwrap(), &"金口街道办事处");
    }

    #[test]
    fn unresolvable_group_is_reported() {
        let (mut cat, reg) = sample();
        cat.tasks[0].responsible.push(UnitRef::group("区直各单位"));
        cat.tasks[2].responsible.push(UnitRef::group("区直各单位"));
        let (_, diags) = assign(&cat, &reg);
        assert_eq!(diags.warnings(), 1, "每个短语只报一次");
        let d = diags.iter().next().unwrap();
        assert!(
            d.message.contains("区直各单位") && d.message.contains("涉及任务 1、3"),
            "{d}"
        );
        assert_eq!(d.line, cat.tasks[0].line);
    }
}
