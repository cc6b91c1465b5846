//! 季度完成情况汇总（`duban report 2023Q2`）：全部任务按目录顺序，每项列出报送单位及其报来的
//! 完成情况（没报的写“未报送”），按章、任务组分段；另有一页汇总：多少项已报、按时、逾期、缺报，分组统计。
//!
//! 模型（[`QuarterReport`]）只读 [`Project`]；排版成 PDF 与 XLSX 在 [`render`]。

pub mod render;

use crate::date::{Date, Quarter};
use crate::project::Project;
use serde::Serialize;

/// 一个报送单位对一项任务的报送情况。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub unit: String,
    /// 报来的完成情况；没报为 `None`。
    pub text: Option<String>,
    /// 收到日期（报送文件或回收台账记下的）。
    pub received: Option<Date>,
    pub state: State,
}

/// 报送状态（以季度截止日和汇总日期判断）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "状态", content = "天数")]
pub enum State {
    /// 已报送，截止日当天或之前收到。
    #[serde(rename = "按时")]
    OnTime,
    /// 已报送，但没有记下收到日期（手写的报送文件没写 received），无从判断是否逾期。
    #[serde(rename = "已报送")]
    Undated,
    /// 已报送，截止日后 N 天收到。
    #[serde(rename = "逾期")]
    Late(i64),
    /// 未报送，已过截止日 N 天。
    #[serde(rename = "未报送")]
    Missing(i64),
    /// 未报送，还没到截止日（剩 N 天）。
    #[serde(rename = "未到期")]
    NotDue(i64),
}

impl State {
    /// 表格里的写法：“按时”“逾期3天”“未报送（逾期5天）”“未到期（剩4天）”。
    pub fn label(self) -> String {
        match self {
            State::OnTime => "按时".into(),
            State::Undated => "已报送（未记收到日期）".into(),
            State::Late(n) => format!("逾期{n}天"),
            State::Missing(0) => "未报送".into(),
            State::Missing(n) => format!("未报送（逾期{n}天）"),
            State::NotDue(n) => format!("未到期（剩{n}天）"),
        }
    }
    pub fn reported(self) -> bool {
        matches!(self, State::OnTime | State::Undated | State::Late(_))
    }
}

/// 一项任务。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    pub id: String,
    pub text: String,
    /// 报送单位（按分工，附表3 由谁报），按单位顺序。
    pub entries: Vec<Entry>,
}

/// 一段：一个任务组（或没有组的章）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// 章标题（“（一）坚持把产业……”）。
    pub chapter: String,
    /// 任务组标题；没有组时为空。
    pub group: String,
    /// 总牵头单位（顿号分隔），没有为空。
    pub overall_leads: String,
    pub tasks: Vec<TaskRow>,
}

/// 计数：任务项数及其报送情况（一项任务的全部报送单位都报了才算已报；部分单位报了算“部分报送”）。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub tasks: usize,
    /// 全部报送单位都报了。
    pub reported: usize,
    /// 其中全部按时。
    pub on_time: usize,
    /// 其中有逾期报送的。
    pub late: usize,
    /// 其中有没记收到日期的（无逾期）。
    pub undated: usize,
    /// 部分单位报了。
    pub partial: usize,
    /// 一个单位都没报。
    pub missing: usize,
}

impl Tally {
    fn add(&mut self, t: &TaskRow) {
        self.tasks += 1;
        let done = t.entries.iter().filter(|e| e.state.reported()).count();
        if t.entries.is_empty() || done == 0 {
            self.missing += 1;
        } else if done < t.entries.len() {
            self.partial += 1;
        } else {
            self.reported += 1;
            if t.entries.iter().any(|e| matches!(e.state, State::Late(_))) {
                self.late += 1;
            } else if t.entries.iter().any(|e| e.state == State::Undated) {
                self.undated += 1;
            } else {
                self.on_time += 1;
            }
        }
    }
}

/// 一个季度的汇总。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterReport {
    /// 方案标题。
    pub plan_title: String,
    pub quarter: Quarter,
    /// 本季度完成情况的报送截止日。
    pub due: Date,
    /// 汇总日期。
    pub as_of: Date,
    pub sections: Vec<Section>,
    pub total: Tally,
    /// 各段（任务组）的计数，与 `sections` 同序。
    pub by_section: Vec<Tally>,
}

/// 某单位某季度对某任务的报送情况。
fn entry(project: &Project, unit: &str, q: Quarter, id: &str, due: Date, as_of: Date) -> Entry {
    let subs = &project.submissions;
    let text = subs
        .status(unit, q, id)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string);
    let received = subs.quarterly(unit, q).and_then(|s| s.received);
    let late = |d: Date| d.days_since_epoch() - due.days_since_epoch();
    let state = match (&text, received) {
        (Some(_), Some(r)) if r > due => State::Late(late(r)),
        (Some(_), Some(_)) => State::OnTime,
        (Some(_), None) => State::Undated,
        (None, _) if as_of > due => State::Missing(late(as_of)),
        (None, _) => State::NotDue(-late(as_of)),
    };
    Entry {
        unit: unit.into(),
        text,
        received,
        state,
    }
}

/// 季度 `q` 的汇总；`as_of` 是汇总日期（判断未报送是否已逾期）。`q` 不在需报季度内时为 `None`。
pub fn build(project: &Project, q: Quarter, as_of: Date) -> Option<QuarterReport> {
    let due = project
        .schedule
        .quarters
        .iter()
        .find(|(x, _)| *x == q)
        .map(|(_, d)| *d)?;
    let cat = &project.catalogue;
    // 每项任务的季报单位（按分工顺序）。
    let mut reporters: Vec<Vec<&str>> = vec![Vec::new(); cat.tasks.len()];
    for d in &project.duties.units {
        for &i in &d.quarterly {
            reporters[i].push(&d.unit);
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut last: Option<(Option<usize>, Option<usize>)> = None;
    for (i, t) in cat.tasks.iter().enumerate() {
        let key = (t.chapter, t.group);
        if last != Some(key) {
            last = Some(key);
            let group = cat.group_of(t);
            sections.push(Section {
                chapter: cat
                    .chapter_of(t)
                    .map(|c| c.title.clone())
                    .unwrap_or_default(),
                group: group.map(|g| g.title.clone()).unwrap_or_default(),
                overall_leads: cat
                    .overall_leads(t)
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                tasks: Vec::new(),
            });
        }
        let entries = reporters[i]
            .iter()
            .map(|u| entry(project, u, q, &t.id, due, as_of))
            .collect();
        sections.last_mut().expect("刚加入").tasks.push(TaskRow {
            id: t.id.clone(),
            text: t.text.clone(),
            entries,
        });
    }
    let by_section: Vec<Tally> = sections
        .iter()
        .map(|s| {
            let mut t = Tally::default();
            s.tasks.iter().for_each(|r| t.add(r));
            t
        })
        .collect();
    let mut total = Tally::default();
    sections
        .iter()
        .flat_map(|s| &s.tasks)
        .for_each(|r| total.add(r));
    Some(QuarterReport {
        plan_title: cat.title.clone(),
        quarter: q,
        due,
        as_of,
        sections,
        total,
        by_section,
    })
}

#[cfg(test)]
mod tests;
