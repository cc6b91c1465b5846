//! 报送状态：每个单位 × 每项报送义务在某一天的状态，以及按单位、章、任务组、截止日期的统计。
//!
//! 模型（[`StatusReport`]）由 [`status`] 从已加载的项目算出，全部输出都从它来：终端表格
//! （[`table`]）、JSON 导出（模型本身，字段见 README）、XLSX（[`xlsx`]）、HTML 页面（[`html`]）和
//! 督办情况通报（[`bulletin`]）。单位按登记册顺序，章、组按任务目录顺序，同输入同输出。

pub mod bulletin;
pub mod html;
mod svg;
pub mod table;
pub mod xlsx;

use crate::catalogue::Catalogue;
use crate::date::Date;
use crate::project::Project;
use crate::schedule::{due_items, Colour, DueItem, DueKind, State};
use serde::{Serialize, Serializer};

/// JSON 导出的格式名与版本：字段只增不改；改了含义就升版本。
pub const FORMAT: &str = "duban-status";
pub const VERSION: u32 = 1;

/// 计算选项。
#[derive(Debug, Clone)]
pub struct StatusOptions {
    /// 按哪一天算（`--as-of`）。
    pub as_of: Date,
    /// 截止日前多少天内未报的算即将到期（黄色）。
    pub due_soon_days: i64,
    /// 只算这些单位（规范名）；空为全部。
    pub only: Vec<String>,
}

/// 计数。单位与截止日期的统计按事项计；章、任务组的统计按（单位, 事项, 任务）计——
/// 一个单位的办理方案涉及 3 项任务，就是 3 个。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 应报。
    pub total: usize,
    /// 已报送（= on_time + late + undated）。
    pub done: usize,
    pub on_time: usize,
    pub late: usize,
    /// 已报送但没写收到日期。
    pub undated: usize,
    /// 逾期未报（红）。
    pub overdue: usize,
    /// 即将到期未报（黄）。
    pub due_soon: usize,
    /// 未到期（离截止日还远）。
    pub not_due: usize,
    /// 其中报了一部分的（只对事项计）。
    pub partial: usize,
}

impl Counts {
    /// 单位（或章、组）一行的颜色：有逾期红，有即将到期黄，全部报齐绿。
    pub fn colour(&self) -> Colour {
        if self.overdue > 0 {
            Colour::Red
        } else if self.due_soon > 0 {
            Colour::Yellow
        } else if self.total > 0 && self.done == self.total {
            Colour::Green
        } else {
            Colour::None
        }
    }

    fn add(&mut self, state: State, partial: bool) {
        self.total += 1;
        match state {
            State::OnTime => self.on_time += 1,
            State::Late => self.late += 1,
            State::Submitted => self.undated += 1,
            State::Overdue => self.overdue += 1,
            State::DueSoon => self.due_soon += 1,
            State::NotDue | State::Untracked => self.not_due += 1,
        }
        if state.is_done() {
            self.done += 1;
        }
        if partial {
            self.partial += 1;
        }
    }
    fn merge(&mut self, o: &Counts) {
        self.total += o.total;
        self.done += o.done;
        self.on_time += o.on_time;
        self.late += o.late;
        self.undated += o.undated;
        self.overdue += o.overdue;
        self.due_soon += o.due_soon;
        self.not_due += o.not_due;
        self.partial += o.partial;
    }
    /// 完成率（百分数，一位小数）；无应报时为 100。
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            (self.done as f64 * 1000.0 / self.total as f64).round() / 10.0
        }
    }
}

/// 日期写成 "2023-02-15"（JSON 中）。
fn iso<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn iso_opt<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// 一个单位的一项报送义务在这一天的状态。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligation {
    pub kind: DueKind,
    /// 仅附表3：季度，如 "2023Q2"。
    pub quarter: Option<String>,
    /// 报送什么。
    pub what: String,
    /// 报送给谁。
    pub to: String,
    #[serde(serialize_with = "iso")]
    pub deadline: Date,
    pub state: State,
    /// 逾期天数（late、overdue）或剩余天数（due_soon、not_due）。
    pub days: i64,
    /// 状态文字，如“未报送（逾期3天）”。
    pub label: String,
    /// 状态文字加尚缺的任务。
    pub text: String,
    pub colour: Colour,
    /// 报齐的日期（已报送且有收到日期时）。
    #[serde(serialize_with = "iso_opt")]
    pub received: Option<Date>,
    /// 报了一部分时尚缺的任务序号。
    pub missing: Vec<String>,
    /// 涉及的全部任务序号（附表2 为空）。
    pub tasks: Vec<String>,
    /// 在任务目录中的位置（涉及的第一项任务；附表2 取本单位的第一项任务），通报按它排序。
    #[serde(skip)]
    pub order: usize,
}

/// 一个单位。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStatus {
    pub unit: String,
    /// 登记册中的类别；未登记为“未登记”。
    pub kind: String,
    pub counts: Counts,
    /// 完成率（%）。
    pub percent: f64,
    /// 最长逾期天数（逾期未报的事项中）。
    pub max_overdue_days: i64,
    pub obligations: Vec<Obligation>,
}

/// 一章（按任务计）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterStatus {
    /// 如“二（一）”。
    pub key: String,
    pub title: String,
    /// 本章任务数。
    pub tasks: usize,
    pub counts: Counts,
    pub percent: f64,
}

/// 一个任务组（按任务计）；不在任何组里的任务（第三部分等）合为一个 `ungrouped` 条目。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStatus {
    pub title: String,
    /// 所在章，如“二（一）”。
    pub chapter: String,
    /// 总牵头单位（可为空或两个）。
    pub overall_leads: Vec<String>,
    pub ungrouped: bool,
    pub tasks: usize,
    pub counts: Counts,
    pub percent: f64,
}

impl GroupStatus {
    /// 表格里的“总牵头单位”：不属任务组的空着，没有总牵头单位的注明。
    pub fn leads_text(&self) -> String {
        if self.ungrouped {
            String::new()
        } else if self.overall_leads.is_empty() {
            "（无总牵头单位）".into()
        } else {
            self.overall_leads.join("、")
        }
    }
}

/// 一个截止日期的全部事项（逾期趋势）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlineStatus {
    #[serde(serialize_with = "iso")]
    pub date: Date,
    /// 这一天截止的事项名称（去重，按事项种类排序）。
    pub what: Vec<String>,
    pub counts: Counts,
}

/// 示例报送数据的情况。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Samples {
    /// 是否算作报送（`[status] count_samples`）。
    pub counted: bool,
    /// 示例数据文件名（不含目录）。
    pub files: Vec<String>,
}

/// 整份报送状态（JSON 导出即此结构）。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    pub format: &'static str,
    pub version: u32,
    /// 方案标题。
    pub title: String,
    #[serde(serialize_with = "iso")]
    pub as_of: Date,
    pub due_soon_days: i64,
    pub samples: Samples,
    /// 全部事项。
    pub totals: Counts,
    pub percent: f64,
    /// 有逾期未报事项的单位数。
    pub units_overdue: usize,
    pub units: Vec<UnitStatus>,
    pub chapters: Vec<ChapterStatus>,
    pub groups: Vec<GroupStatus>,
    pub deadlines: Vec<DeadlineStatus>,
}

/// 单位的一项事项 → 这一天的状态。
fn obligation(
    cat: &Catalogue,
    item: &DueItem,
    first_task: usize,
    opts: &StatusOptions,
) -> Obligation {
    let a = item.assess(opts.as_of, opts.due_soon_days);
    let tasks: Vec<String> = item.tasks().map(|i| cat.tasks[i].id.clone()).collect();
    Obligation {
        kind: item.kind,
        quarter: item.quarter.map(|q| q.to_string()),
        what: item.what.clone(),
        to: item.to.clone(),
        deadline: item.date,
        state: a.state,
        days: a.days,
        label: a.label(),
        text: a.text(),
        colour: a.state.colour(),
        received: a.received,
        missing: a.missing.clone(),
        tasks,
        order: item.tasks().next().unwrap_or(first_task),
    }
}

/// 按章、组累计（按任务计）。
struct TaskTally {
    chapters: Vec<Counts>,
    groups: Vec<Counts>,
    ungrouped: Counts,
}

impl TaskTally {
    fn add(&mut self, cat: &Catalogue, item: &DueItem, opts: &StatusOptions) {
        let state = item.assess(opts.as_of, opts.due_soon_days).state;
        for p in &item.parts {
            let Some(i) = p.task else { continue };
            // 一项任务：已报的按它自己的收到日期看按时与否；未报的随整项（逾期、即将到期、未到期）。
            let s = if p.done_by(opts.as_of) {
                match p.received {
                    None => State::Submitted,
                    Some(r) if r <= item.date => State::OnTime,
                    Some(_) => State::Late,
                }
            } else {
                state
            };
            let t = &cat.tasks[i];
            if let Some(c) = t.chapter {
                self.chapters[c].add(s, false);
            }
            match t.group {
                Some(g) => self.groups[g].add(s, false),
                None => self.ungrouped.add(s, false),
            }
        }
    }
}

/// 章的简称“二（一）”。
fn chapter_key(cat: &Catalogue, c: usize) -> String {
    let ch = &cat.chapters[c];
    format!("{}（{}）", ch.part, ch.number)
}

/// 算出 `as_of` 这天的报送状态。
pub fn status(project: &Project, opts: &StatusOptions) -> StatusReport {
    let cat = &project.catalogue;
    let mut tally = TaskTally {
        chapters: vec![Counts::default(); cat.chapters.len()],
        groups: vec![Counts::default(); cat.groups.len()],
        ungrouped: Counts::default(),
    };
    let mut units = Vec::new();
    let mut deadlines: Vec<DeadlineStatus> = Vec::new();
    for d in &project.duties.units {
        if !opts.only.is_empty() && !opts.only.contains(&d.unit) {
            continue;
        }
        let first_task = d.assignments.first().map_or(usize::MAX, |a| a.task);
        let items = due_items(cat, d, &project.submissions, &project.schedule);
        let mut obligations = Vec::new();
        let mut counts = Counts::default();
        for item in items.iter().filter(|i| i.submitted.is_some()) {
            let o = obligation(cat, item, first_task, opts);
            counts.add(o.state, !o.missing.is_empty());
            tally.add(cat, item, opts);
            deadline_entry(&mut deadlines, &o);
            obligations.push(o);
        }
        let max_overdue_days = obligations
            .iter()
            .filter(|o| o.state == State::Overdue)
            .map(|o| o.days)
            .max()
            .unwrap_or(0);
        units.push(UnitStatus {
            unit: d.unit.clone(),
            kind: d.kind.map_or("未登记", |k| k.as_str()).to_string(),
            percent: counts.percent(),
            counts,
            max_overdue_days,
            obligations,
        });
    }
    deadlines.sort_by_key(|d| d.date);
    for d in &mut deadlines {
        d.what.sort_by_key(|w| kind_rank(w));
    }
    let mut totals = Counts::default();
    for u in &units {
        totals.merge(&u.counts);
    }
    StatusReport {
        format: FORMAT,
        version: VERSION,
        title: cat.title.clone(),
        as_of: opts.as_of,
        due_soon_days: opts.due_soon_days,
        samples: Samples {
            counted: project.submissions.count_samples,
            // 只写文件名：导出里不带本机的目录。
            files: project
                .submissions
                .samples()
                .map(|s| {
                    std::path::Path::new(&s.file)
                        .file_name()
                        .map_or(s.file.clone(), |f| f.to_string_lossy().into_owned())
                })
                .collect(),
        },
        percent: totals.percent(),
        totals,
        units_overdue: units.iter().filter(|u| u.counts.overdue > 0).count(),
        units,
        chapters: chapters(cat, &tally),
        groups: groups(cat, &tally),
        deadlines,
    }
}

fn deadline_entry(deadlines: &mut Vec<DeadlineStatus>, o: &Obligation) {
    let i = match deadlines.iter().position(|d| d.date == o.deadline) {
        Some(i) => i,
        None => {
            deadlines.push(DeadlineStatus {
                date: o.deadline,
                what: Vec::new(),
                counts: Counts::default(),
            });
            deadlines.len() - 1
        }
    };
    let d = &mut deadlines[i];
    d.counts.add(o.state, !o.missing.is_empty());
    // 事项名称去掉括注里的单位说明（“总体办理方案（其中……）”→“总体办理方案”）。
    let what = short_what(&o.what);
    if !d.what.contains(&what) {
        d.what.push(what);
    }
}

/// 事项名称的排序：办理方案、无总牵头单位的办理方案、总体办理方案、附表2、附表3。
fn kind_rank(what: &str) -> usize {
    [
        "办理方案（附表1）",
        "办理方案（附表1，",
        "总体办理方案",
        "督办工作人员名单",
        "",
    ]
    .iter()
    .position(|p| what.starts_with(p))
    .unwrap_or(4)
}

/// 事项的简称：去掉“（其中……）”这类单位专属的说明，保留“（附表1）”等表号。
pub fn short_what(what: &str) -> String {
    match what.find("（其中") {
        Some(i) => what[..i].to_string(),
        None => what.to_string(),
    }
}

fn chapters(cat: &Catalogue, tally: &TaskTally) -> Vec<ChapterStatus> {
    cat.chapters
        .iter()
        .enumerate()
        .map(|(i, ch)| ChapterStatus {
            key: chapter_key(cat, i),
            title: ch.title.clone(),
            tasks: cat.tasks.iter().filter(|t| t.chapter == Some(i)).count(),
            counts: tally.chapters[i],
            percent: tally.chapters[i].percent(),
        })
        .collect()
}

fn groups(cat: &Catalogue, tally: &TaskTally) -> Vec<GroupStatus> {
    let mut out: Vec<GroupStatus> = cat
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| GroupStatus {
            title: g.title.clone(),
            chapter: chapter_key(cat, g.chapter),
            overall_leads: g.overall_leads.iter().map(|r| r.name.clone()).collect(),
            ungrouped: false,
            tasks: cat.tasks.iter().filter(|t| t.group == Some(i)).count(),
            counts: tally.groups[i],
            percent: tally.groups[i].percent(),
        })
        .collect();
    let loose = cat.tasks.iter().filter(|t| t.group.is_none()).count();
    if loose > 0 {
        out.push(GroupStatus {
            title: "不属任务组的任务".into(),
            chapter: String::new(),
            overall_leads: Vec::new(),
            ungrouped: true,
            tasks: loose,
            counts: tally.ungrouped,
            percent: tally.ungrouped.percent(),
        });
    }
    out
}

impl StatusReport {
    /// 逾期未报的事项，按任务目录顺序（涉及的第一项任务），同位置按单位、截止日期。
    pub fn overdue(&self) -> Vec<(&UnitStatus, &Obligation)> {
        let mut v: Vec<(usize, &UnitStatus, &Obligation)> = self
            .units
            .iter()
            .enumerate()
            .flat_map(|(n, u)| {
                u.obligations
                    .iter()
                    .filter(|o| o.state == State::Overdue)
                    .map(move |o| (n, u, o))
            })
            .collect();
        v.sort_by_key(|(n, _, o)| (o.order, *n, o.deadline));
        v.into_iter().map(|(_, u, o)| (u, o)).collect()
    }

    /// JSON 导出（带缩进，末尾换行）。
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("状态模型可序列化") + "\n"
    }
}

#[cfg(test)]
mod tests;
