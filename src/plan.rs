//! 规划输出：先算出每个单位要拿到哪些文件（种类、文件名、适用的期限与催报事项），再统一渲染。
//!
//! 规划只读已加载的 [`Project`]，结果 [`BuildPlan`] 连同项目就是渲染所需的全部输入。

use crate::date::{Date, Quarter};
use crate::duties::{Duties, Role};
use crate::project::Project;
use crate::registry::Registry;
use crate::schedule::{due_items, reminders, DueItem};
use anyhow::bail;
use serde::Serialize;

/// 总表文件名（输出目录根下，不含扩展名）。
pub const MASTER_STEM: &str = "00-责任分解总表";

/// 打印合订本所在的子目录（输出目录下）：各单位一本，另有全区一本。单位目录不会用这个名字。
pub const PRINT_DIR: &str = "打印";

/// 全区打印合订本的文件名（[`PRINT_DIR`] 下，不含扩展名）。
pub const DISTRICT_STEM: &str = "00-全区合订本";

/// 文件种类。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum DocKind {
    TaskList,
    Plan,
    OverallPlan,
    Contacts,
    Quarterly(Quarter),
    Reminder,
    /// 本单位全部 PDF 按上面的顺序并成的打印合订本（在 [`PRINT_DIR`] 下）。
    Bundle,
}

impl DocKind {
    /// 文件名中的文档名。
    pub fn name(&self) -> String {
        match self {
            DocKind::TaskList => "任务清单".into(),
            DocKind::Plan => "附表1-办理方案".into(),
            DocKind::OverallPlan => "附表1-总体办理方案".into(),
            DocKind::Contacts => "附表2-督办工作人员名单".into(),
            DocKind::Quarterly(q) => format!("附表3-{}完成情况", q.chinese()),
            DocKind::Reminder => "催报通知".into(),
            DocKind::Bundle => "打印合订本".into(),
        }
    }
    /// 是否同时出 XLSX（供填报的表）。
    pub fn has_xlsx(&self) -> bool {
        matches!(
            self,
            DocKind::Plan | DocKind::OverallPlan | DocKind::Contacts | DocKind::Quarterly(_)
        )
    }
    /// 是否同时出 Word 文档（供各单位修改后印发的文书）。
    pub fn has_docx(&self) -> bool {
        matches!(self, DocKind::TaskList | DocKind::Reminder)
    }
}

/// 计划中的一份文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedDoc {
    pub kind: DocKind,
    /// 不含扩展名，如 "02-附表1-办理方案"；合订本为 "01-区发改局"。
    pub stem: String,
}

impl PlannedDoc {
    /// 相对输出目录的路径（不含扩展名）：单位目录下；合订本在 [`PRINT_DIR`] 下。
    pub fn rel_stem(&self, unit_dir: &str) -> std::path::PathBuf {
        let dir = if self.kind == DocKind::Bundle {
            PRINT_DIR
        } else {
            unit_dir
        };
        std::path::Path::new(dir).join(&self.stem)
    }
}

/// 一个单位的全部文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitPlan {
    pub unit: String,
    /// 输出子目录名：安全化后的单位名；两个单位安全化后重名（不分大小写）时加“-2”“-3”区分。
    pub dir: String,
    /// 在 `Duties::units` 中的下标。
    pub duties: usize,
    pub docs: Vec<PlannedDoc>,
    /// 本单位适用的全部报送事项（任务清单的期限表），按日期排序。
    pub due: Vec<DueItem>,
    /// 其中要催报的事项（只在要求附带催报通知时计算，否则为空）。
    pub reminders: Vec<DueItem>,
}

/// 整次构建的计划。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildPlan {
    pub today: Date,
    pub quarter: Quarter,
    pub units: Vec<UnitPlan>,
    /// 是否出全区打印合订本（[`DISTRICT_STEM`]）：只在生成全部单位时出，部分单位时它不完整。
    pub district: bool,
}

impl BuildPlan {
    /// 计划中的文件数（PDF 及同名的 XLSX、Word，加全区合订本；不含总表与索引）。
    pub fn file_count(&self) -> usize {
        let docs: usize = self
            .units
            .iter()
            .flat_map(|u| &u.docs)
            .map(|d| 1 + usize::from(d.kind.has_xlsx()) + usize::from(d.kind.has_docx()))
            .sum();
        docs + usize::from(self.district)
    }
}

/// 每个单位的输出子目录名（与 `duties.units` 同序）：安全化后的单位名，
/// 重名（不分大小写）时按先后加“-2”“-3”。
fn unit_dirs(duties: &Duties) -> Vec<String> {
    // 打印合订本的目录名留给它自己。
    let mut taken: Vec<String> = vec![PRINT_DIR.to_lowercase()];
    let mut dirs = Vec::new();
    for d in &duties.units {
        let base = safe_name(&d.unit);
        let mut dir = base.clone();
        let mut n = 1;
        while taken.contains(&dir.to_lowercase()) {
            n += 1;
            dir = format!("{base}-{n}");
        }
        taken.push(dir.to_lowercase());
        dirs.push(dir);
    }
    dirs
}

/// 把任意名称变成安全的单个路径组成部分。
pub fn safe_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    // “..”及以点开头/结尾（隐藏文件、Windows 末尾点）都改掉。
    while s.contains("..") {
        s = s.replace("..", "_");
    }
    let s = s.trim().trim_matches('.').trim().to_string();
    // Windows 保留设备名。
    let upper = s.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    let reserved = matches!(stem, "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    let s = if reserved { format!("_{s}") } else { s };
    // 文件名长度（字节）不超过常见文件系统的 255。
    let mut out = String::new();
    for c in s.chars() {
        if out.len() + c.len_utf8() > 200 {
            break;
        }
        out.push(c);
    }
    if out.is_empty() {
        "_".into()
    } else {
        out
    }
}

/// 把 `--unit` 给出的名称（规范名或别名）解析为规范名，重复的只留一个。
/// 未知名称一次全部报出，各附“你是不是要找”（登记册的编辑距离建议，只取有任务的单位）。
pub fn select_units(
    names: &[String],
    reg: &Registry,
    duties: &Duties,
) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for n in names {
        let registered = reg.unit(n).map(|u| u.name.clone());
        let canon = registered.clone().unwrap_or_else(|| n.trim().to_string());
        if duties.get(&canon).is_some() {
            if !out.contains(&canon) {
                out.push(canon);
            }
            continue;
        }
        let mut msg = match &registered {
            Some(c) if c != n.trim() => {
                format!("--unit “{n}”（即“{c}”）在登记册中，但任务目录中没有任务涉及它")
            }
            Some(_) => format!("--unit “{n}”在登记册中，但任务目录中没有任务涉及它"),
            None => format!("--unit “{n}”不是任务目录中任何任务涉及的单位"),
        };
        let sug: Vec<String> = reg
            .suggest(&[n.as_str()])
            .into_iter()
            .filter(|s| *s != canon && duties.get(s).is_some())
            .map(|s| format!("“{s}”"))
            .collect();
        if !sug.is_empty() {
            msg.push_str(&format!("，你是不是要找{}？", sug.join("、")));
        }
        problems.push(msg);
    }
    if !problems.is_empty() {
        bail!(
            "{}\n  提示：用 duban units 查看单位名称（规范名和 content/units.toml 中的别名都可以）",
            problems.join("\n  ")
        );
    }
    Ok(out)
}

/// 规划选项。
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// 生成日期：落款、催报判断。
    pub today: Date,
    /// 附表3 的季度。
    pub quarter: Quarter,
    /// 只规划这些单位（规范名，见 [`select_units`]）；空为全部单位。
    pub only: Vec<String>,
    /// 是否给有到期未报事项的单位附带催报通知（`build --reminders`）。默认不附：第一次下发时
    /// 不该人人都收到催报；催报是单独的一步（`duban remind`）。
    pub reminders: bool,
}

/// 一个单位要拿到的文件种类：角色决定表，到期未报决定催报通知。
fn doc_kinds(d: &crate::duties::UnitDuties, quarter: Quarter, remind: bool) -> Vec<DocKind> {
    let mut kinds = vec![DocKind::TaskList];
    if d.has(Role::Lead) {
        kinds.push(DocKind::Plan);
    }
    if d.has(Role::OverallLead) {
        kinds.push(DocKind::OverallPlan);
    }
    kinds.push(DocKind::Contacts);
    if d.reports_quarterly() {
        kinds.push(DocKind::Quarterly(quarter));
    }
    if remind {
        kinds.push(DocKind::Reminder);
    }
    kinds.push(DocKind::Bundle);
    kinds
}

/// 规划全部输出。
pub fn plan(project: &Project, opts: &PlanOptions) -> BuildPlan {
    let (cat, duties) = (&project.catalogue, &project.duties);
    // 目录名按全部单位分配，再按 `only` 筛选：只生成一个单位时它的目录名与全量生成时相同，
    // 不会因为重名的另一单位没参与而占用对方的目录。
    let dirs = unit_dirs(duties);
    let width = duties.units.len().to_string().len().max(2);
    let units = duties
        .units
        .iter()
        .zip(dirs)
        .enumerate()
        .filter(|(_, (d, _))| opts.only.is_empty() || opts.only.contains(&d.unit))
        .map(|(i, (d, dir))| {
            let due = due_items(cat, d, &project.submissions, &project.schedule);
            let reminders = if opts.reminders {
                reminders(&due, opts.today, project.config.status.due_soon_days)
            } else {
                Vec::new()
            };
            let docs = doc_kinds(d, opts.quarter, !reminders.is_empty())
                .into_iter()
                .enumerate()
                .map(|(n, kind)| PlannedDoc {
                    // 合订本按单位在登记册中的顺序编号，与全区合订本中的顺序一致。
                    stem: if kind == DocKind::Bundle {
                        format!("{:0width$}-{dir}", i + 1)
                    } else {
                        format!("{:02}-{}", n + 1, kind.name())
                    },
                    kind,
                })
                .collect();
            UnitPlan {
                unit: d.unit.clone(),
                dir,
                duties: i,
                docs,
                due,
                reminders,
            }
        })
        .collect();
    BuildPlan {
        today: opts.today,
        quarter: opts.quarter,
        units,
        district: opts.only.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::tests::sample;
    use crate::project::test_project;

    /// 无报送、默认期限、2023 年第二季度、附带催报通知的计划。
    fn plan_on(p: &Project, today: Date, only: &[String]) -> BuildPlan {
        let opts = PlanOptions {
            today,
            quarter: Quarter::parse("2023Q2").unwrap(),
            only: only.to_vec(),
            reminders: true,
        };
        plan(p, &opts)
    }

    #[test]
    fn docs_per_role() {
        let (cat, reg) = sample();
        let proj = test_project(cat, reg, Default::default());
        let today = Date::parse("2023-02-08").unwrap();
        let p = plan_on(&proj, today, &[]);
        let stems = |u: &str| -> Vec<String> {
            p.units
                .iter()
                .find(|x| x.unit == u)
                .unwrap()
                .docs
                .iter()
                .map(|d| d.stem.clone())
                .collect()
        };
        // 每个单位最后是打印合订本（在“打印”目录下，按单位在登记册中的顺序编号）。
        let unit_no = |u: &str| proj.duties.units.iter().position(|d| d.unit == u).unwrap() + 1;
        assert_eq!(
            stems("区发改局"),
            [
                "01-任务清单",
                "02-附表1-办理方案",
                "03-附表1-总体办理方案",
                "04-附表2-督办工作人员名单",
                "05-附表3-2023年第二季度完成情况",
                "06-催报通知",
                &format!("{:02}-区发改局", unit_no("区发改局")),
            ]
        );
        assert_eq!(
            stems("区商务局"),
            [
                "01-任务清单",
                "02-附表1-办理方案",
                "03-附表2-督办工作人员名单",
                "04-催报通知",
                &format!("{:02}-区商务局", unit_no("区商务局")),
            ]
        );
        // 附表2 2月15日到期，7 天内且未报：人人催报。
        assert_eq!(
            stems("区财政局")[..3],
            ["01-任务清单", "02-附表2-督办工作人员名单", "03-催报通知"]
        );
        assert_eq!(
            stems("纸坊街道办事处")[..4],
            [
                "01-任务清单",
                "02-附表2-督办工作人员名单",
                "03-附表3-2023年第二季度完成情况",
                "04-催报通知"
            ]
        );
        let u = p.units.iter().find(|u| u.unit == "区商务局").unwrap();
        let bundle = u.docs.last().unwrap();
        assert_eq!(bundle.kind, DocKind::Bundle);
        assert_eq!(
            bundle.rel_stem(&u.dir),
            std::path::Path::new(PRINT_DIR).join(&bundle.stem)
        );
        assert!(p.district);
        // 文件数：每份文件一个 PDF，附表另有 XLSX，文书另有 Word，加全区合订本。
        let docs: usize = p.units.iter().map(|u| u.docs.len()).sum();
        let xlsx = p
            .units
            .iter()
            .flat_map(|u| &u.docs)
            .filter(|d| d.kind.has_xlsx())
            .count();
        let docx = p
            .units
            .iter()
            .flat_map(|u| &u.docs)
            .filter(|d| d.kind.has_docx())
            .count();
        assert_eq!(p.file_count(), docs + xlsx + docx + 1);
        let early = plan_on(&proj, Date::parse("2023-02-01").unwrap(), &[]);
        assert!(early.units.iter().all(|u| u.reminders.is_empty()));
        let only = plan_on(&proj, today, &["区财政局".into()]);
        assert_eq!(only.units.len(), 1);
        assert!(!only.district, "只生成部分单位时不出全区合订本");
        // 不要求时（build 的默认）：没有催报通知，也不算催报事项。
        let plain = plan(
            &proj,
            &PlanOptions {
                today,
                quarter: Quarter::parse("2023Q2").unwrap(),
                only: Vec::new(),
                reminders: false,
            },
        );
        assert!(
            plain
                .units
                .iter()
                .all(|u| u.reminders.is_empty()
                    && !u.docs.iter().any(|d| d.kind == DocKind::Reminder))
        );
    }

    #[test]
    fn unit_dirs_are_safe_and_distinct() {
        let (mut cat, reg) = sample();
        cat.tasks[0]
            .responsible
            .push(crate::catalogue::UnitRef::unit("../区a/b局"));
        cat.tasks[0]
            .responsible
            .push(crate::catalogue::UnitRef::unit("../区a_b局"));
        let proj = test_project(cat, reg, Default::default());
        let p = plan_on(&proj, Date::parse("2023-02-01").unwrap(), &[]);
        let mut dirs: Vec<&str> = p.units.iter().map(|u| u.dir.as_str()).collect();
        assert!(
            dirs.contains(&"__区a_b局") && dirs.contains(&"__区a_b局-2"),
            "{dirs:?}"
        );
        dirs.sort();
        dirs.dedup();
        assert_eq!(dirs.len(), p.units.len());
        // 只生成其中一个（--unit）时目录名不变：否则会写进另一单位的目录、覆盖它的文件。
        for u in &p.units {
            let only = plan_on(
                &proj,
                Date::parse("2023-02-01").unwrap(),
                std::slice::from_ref(&u.unit),
            );
            assert_eq!(only.units.len(), 1);
            assert_eq!(only.units[0].dir, u.dir, "{}", u.unit);
        }
    }

    #[test]
    fn names_are_safe() {
        for bad in [
            "../etc/passwd",
            "a/b\\c",
            "..",
            ".",
            "区\u{0}局\n",
            "CON",
            "com1.txt",
            "  ",
            "x:y*?\"<>|",
        ] {
            let s = safe_name(bad);
            assert!(
                !s.contains('/') && !s.contains('\\') && !s.contains(".."),
                "{bad:?} → {s:?}"
            );
            assert!(!s.chars().any(|c| c.is_control()), "{s:?}");
            assert!(!s.is_empty() && s != ".");
            assert_ne!(s.to_ascii_uppercase(), "CON");
        }
        assert_eq!(safe_name("区发改局"), "区发改局");
        assert_eq!(safe_name("区财政局(金融办)"), "区财政局(金融办)");
        assert!(safe_name(&"长".repeat(200)).len() <= 200);
    }

    proptest::proptest! {
        /// 任意名称都变成单个、非空、不含分隔符和控制字符、不含“..”的路径组成部分。
        #[test]
        fn any_name_is_one_safe_component(name in "\\PC{0,40}|[./\\\u{0}-\u{1f}:*?<>|区局 ]{0,20}") {
            let s = safe_name(&name);
            let p = std::path::Path::new(&s);
            proptest::prop_assert_eq!(p.components().count(), 1);
            proptest::prop_assert!(matches!(p.components().next(), Some(std::path::Component::Normal(_))));
            proptest::prop_assert!(!s.contains("..") && !s.contains('/') && !s.contains('\\'));
            proptest::prop_assert!(!s.chars().any(char::is_control));
        }
    }

    fn setup() -> (Registry, Duties) {
        let reg: Registry = toml::from_str(
            r#"
[[unit]]
name = "区税务局"
kind = "区直部门"
aliases = ["国家税务总局区税务局"]
[[unit]]
name = "区财政局"
kind = "区直部门"
[[unit]]
name = "区档案馆"
kind = "其他"
"#,
        )
        .unwrap();
        let notice = "二、重点工作(共1项)\n(一)测试章。\n1.测试任务。(牵头单位:区税务局;责任单位:区财政局)\n";
        let (cat, _) = crate::catalogue::parse(notice, "notice.txt", &reg);
        let (duties, _) = crate::duties::assign(&cat, &reg);
        assert!(duties.get("区税务局").is_some(), "{cat:?}");
        (reg, duties)
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn unit_names_and_aliases_resolve_once() {
        let (reg, duties) = setup();
        let got = select_units(
            &names(&["国家税务总局区税务局", "区税务局", "区财政局"]),
            &reg,
            &duties,
        )
        .unwrap();
        assert_eq!(got, ["区税务局", "区财政局"]);
    }

    #[test]
    fn unknown_units_all_reported_with_suggestion() {
        let (reg, duties) = setup();
        let err = select_units(&names(&["区税物局", "完全无关", "区档案馆"]), &reg, &duties)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "--unit “区税物局”不是任务目录中任何任务涉及的单位，你是不是要找“区税务局”？"
            ),
            "{err}"
        );
        assert!(
            err.contains("--unit “完全无关”不是任务目录中任何任务涉及的单位\n"),
            "{err}"
        );
        assert!(
            err.contains("“区档案馆”在登记册中，但任务目录中没有任务涉及它"),
            "{err}"
        );
        assert!(err.contains("duban units"), "{err}");
    }
}
