//! 各单位已报送的数据：`content/submissions/` 下每个单位每种表一个 TOML 文件。
//!
//! 格式（详见 `content/submissions/README.md`）：
//!
//! ```toml
//! unit = "区发改局"         # 报送单位（登记册中的规范名或别名）
//! form = "办理方案"         # 办理方案（附表1）| 总体办理方案 | 工作人员名单（附表2）| 完成情况（附表3）
//! sample = true             # 可选：示例数据
//! quarter = "2023Q2"        # 仅“完成情况”：哪个季度
//!
//! [[task]]                  # 办理方案：每项牵头任务一段
//! id = "1"
//! [[task.row]]              # 具体工作内容，一行一条
//! content = "……"
//! month = 3                 # 完成时间（按月）：3、"3月"、"2023年3月" 或日期
//! leader = "分管副局长"
//! department = "规划科"
//! ```
//!
//! 校验：未知单位、未知任务、月份不在 1–12、缺必填项，都带文件、行号和中文提示报告；
//! 不中断构建，不丢弃、不改写任何报送内容（模型原样保存，表格原样显示）。
//!
//! 本模块是数据模型与查询；`parse` 解析单份文件并校验，`load` 读整个目录并查重复报送，
//! `month` 是手写与 XLSX 共用的月份解析，`received` 读报回件库（`duban ingest` 整理的数据），
//! `write` 把一份报送写回同一 TOML 格式。

mod load;
pub mod month;
mod parse;
pub mod received;
mod write;

pub use load::load_dir;
pub use parse::parse_str;
pub use received::{load_received, merge_received, ReceivedSummary};
pub use write::to_toml;

use crate::date::{Date, Quarter};
use serde::{Deserialize, Serialize};

/// 报送的表种。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum FormKind {
    /// 附表1 办理方案。
    Plan,
    /// 总牵头单位报区政府办公室的总体办理方案（附表1 格式，每行多一个牵头单位）。
    OverallPlan,
    /// 附表2 督办工作人员名单。
    Contacts,
    /// 附表3 季度完成情况。
    Quarterly,
}

impl FormKind {
    /// 接受“办理方案”“附表1”等写法。
    pub fn parse(s: &str) -> Option<FormKind> {
        match s.trim() {
            "办理方案" | "附表1" => Some(FormKind::Plan),
            "总体办理方案" => Some(FormKind::OverallPlan),
            "工作人员名单" | "督办工作人员名单" | "附表2" => {
                Some(FormKind::Contacts)
            }
            "完成情况" | "季度完成情况" | "附表3" => Some(FormKind::Quarterly),
            _ => None,
        }
    }
}

/// 附表1 的一行（一条具体工作内容）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow {
    pub content: String,
    /// 原样保存；不在 1–12 时已报告错误，但仍原样显示。
    pub month: Option<i64>,
    pub leader: String,
    pub department: String,
    /// 仅总体办理方案：这一行属于哪个牵头单位（原样保存；办理方案中为空）。
    pub lead: String,
    pub line: usize,
}

impl PlanRow {
    /// 表格中显示的完成时间，如“3月”。
    pub fn month_label(&self) -> String {
        self.month.map(|m| format!("{m}月")).unwrap_or_default()
    }
}

/// 附表1 中一项任务的报送内容。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTask {
    pub id: String,
    /// 目录中是否有这项任务（无则已报告错误，不填入表格）。
    pub known: bool,
    pub rows: Vec<PlanRow>,
    pub line: usize,
}

/// 附表2 中的一个人。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub office_phone: String,
    #[serde(default)]
    pub mobile: String,
}

/// 附表3 中一项任务的完成情况。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub id: String,
    pub known: bool,
    pub text: String,
    pub line: usize,
}

/// 一份报送文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    /// 文件路径（显示用）。
    pub file: String,
    /// 规范单位名（未知单位保留原文）。
    pub unit: String,
    pub unit_known: bool,
    pub form: FormKind,
    pub sample: bool,
    pub quarter: Option<Quarter>,
    /// 区政府办公室收到这份材料的日期（判断按时或逾期）；手写的报送文件可不写。
    pub received: Option<Date>,
    /// 附表1 与总体办理方案。
    pub plan: Vec<PlanTask>,
    /// 附表2：分管领导、办公室或者综合协调处室负责人、经办人。
    pub leader: Option<Person>,
    pub office_head: Option<Person>,
    pub clerk: Option<Person>,
    /// 附表3。
    pub statuses: Vec<Status>,
}

impl Submission {
    /// 某单位某张表的空报送（已登记的单位，不是示例，没有季度、收到日期和内容）。
    pub fn new(unit: &str, form: FormKind) -> Submission {
        Submission {
            file: String::new(),
            unit: unit.into(),
            unit_known: true,
            form,
            sample: false,
            quarter: None,
            received: None,
            plan: Vec::new(),
            leader: None,
            office_head: None,
            clerk: None,
            statuses: Vec::new(),
        }
    }
}

/// 全部报送数据（按文件路径排序）。
#[derive(Debug, Clone, Default, Serialize)]
pub struct Submissions {
    pub files: Vec<Submission>,
    /// 读到但无法使用（TOML 语法错误，已报告）的文件数。
    pub unreadable: usize,
    /// 示例数据（`sample = true`）是否当作报送（`duban.toml [status] count_samples`）；
    /// 否则下面的查询一律跳过示例文件：不算已报送，也不填进表格。
    pub count_samples: bool,
    /// 报回件库的概况（有报回件库时）。
    pub received: Option<ReceivedSummary>,
}

impl Submissions {
    /// 读到的报送文件总数（含无法使用的）。
    pub fn read(&self) -> usize {
        self.files.len() + self.unreadable
    }
    /// 示例数据文件（`sample = true`），按路径排序。
    pub fn samples(&self) -> impl Iterator<Item = &Submission> {
        self.files.iter().filter(|s| s.sample)
    }
    fn find(&self, unit: &str, form: FormKind, quarter: Option<Quarter>) -> Option<&Submission> {
        // 同一单位同一表重复报送时用路径排序最前的一份（已报告警告）。
        self.files.iter().find(|s| {
            (self.count_samples || !s.sample)
                && s.unit_known
                && s.unit == unit
                && s.form == form
                && (quarter.is_none() || s.quarter == quarter)
        })
    }
    /// 某单位的附表1。
    pub fn plan(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::Plan, None)
    }
    /// 某单位对某任务报的具体工作内容。
    pub fn plan_rows(&self, unit: &str, task_id: &str) -> Option<&[PlanRow]> {
        self.plan(unit)?
            .plan
            .iter()
            .find(|t| t.known && t.id == task_id)
            .map(|t| t.rows.as_slice())
    }
    /// 某总牵头单位报送的总体办理方案。
    pub fn overall_plan(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::OverallPlan, None)
    }
    /// 某单位的办理方案（`overall = true` 时为总体办理方案）中某任务是否至少有一行具体工作内容。
    pub fn has_plan_rows(&self, unit: &str, task_id: &str, overall: bool) -> bool {
        let sub = if overall {
            self.overall_plan(unit)
        } else {
            self.plan(unit)
        };
        sub.is_some_and(|s| {
            s.plan
                .iter()
                .any(|t| t.known && t.id == task_id && !t.rows.is_empty())
        })
    }
    /// 某单位的附表2。
    pub fn contacts(&self, unit: &str) -> Option<&Submission> {
        self.find(unit, FormKind::Contacts, None)
    }
    /// 某单位某季度的附表3。
    pub fn quarterly(&self, unit: &str, q: Quarter) -> Option<&Submission> {
        self.find(unit, FormKind::Quarterly, Some(q))
    }
    /// 某单位某季度对某任务报的完成情况。
    pub fn status(&self, unit: &str, q: Quarter, task_id: &str) -> Option<&str> {
        self.quarterly(unit, q)?
            .statuses
            .iter()
            .find(|s| s.known && s.id == task_id)
            .map(|s| s.text.as_str())
    }
    /// 某单位某季度对某任务是否报了（非空的）完成情况。
    pub fn has_status(&self, unit: &str, q: Quarter, task_id: &str) -> bool {
        self.quarterly(unit, q).is_some_and(|s| {
            s.statuses
                .iter()
                .any(|x| x.known && x.id == task_id && !x.text.trim().is_empty())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse::tests::{parse, PLAN};
    use super::*;

    #[test]
    fn lookups() {
        let (s, _) = parse(PLAN);
        let mut subs = Submissions {
            files: vec![s.unwrap()],
            ..Default::default()
        };
        // PLAN 是示例数据：默认不当作报送。
        assert!(subs.files[0].sample && subs.plan("区商务局").is_none());
        assert_eq!(subs.samples().count(), 1);
        subs.count_samples = true;
        assert_eq!(
            subs.plan_rows("区商务局", "2").unwrap()[0].content,
            "制定方案"
        );
        assert!(subs.plan_rows("区商务局", "1").is_none());
        assert!(subs.contacts("区商务局").is_none());
    }
}
