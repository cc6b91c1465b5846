//! 一项报送事项在某一天的状态：已报送（按时/逾期N天）、未报送（逾期N天）、未到期（剩N天）、
//! 部分报送（尚缺第N、M项），以及办公室用的红黄绿。

use super::{DueItem, Part};
use crate::date::Date;
use serde::Serialize;

/// 某一天一项事项的状态。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 已报送，收到日期不晚于截止日。
    OnTime,
    /// 已报送，但晚于截止日。
    Late,
    /// 已报送，报送文件没写收到日期（无法判断按时与否）。
    Submitted,
    /// 过了截止日仍未报齐。
    Overdue,
    /// 未报齐，截止日在提醒天数之内（含当天）。
    DueSoon,
    /// 未报齐，离截止日还远。
    NotDue,
    /// 不由 duban 跟踪（配合牵头单位制定办理方案）。
    Untracked,
}

impl State {
    pub fn is_done(self) -> bool {
        matches!(self, State::OnTime | State::Late | State::Submitted)
    }
    /// 办公室的颜色：红（逾期未报）、黄（即将到期）、绿（已报送）；其余无色。
    pub fn colour(self) -> Colour {
        match self {
            State::OnTime | State::Late | State::Submitted => Colour::Green,
            State::Overdue => Colour::Red,
            State::DueSoon => Colour::Yellow,
            State::NotDue | State::Untracked => Colour::None,
        }
    }
}

/// 状态的颜色。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Red,
    Yellow,
    Green,
    #[default]
    None,
}

/// 一项事项在某一天的评估结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub state: State,
    /// 逾期天数（`Late`、`Overdue`）或离截止日的天数（`DueSoon`、`NotDue`，当天为 0）；其余为 0。
    pub days: i64,
    /// 报齐的日期：最后一部分的收到日期（有一部分没写收到日期时为 `None`）。
    pub received: Option<Date>,
    /// 报了一部分时尚缺的任务序号；完全未报或已报齐时为空。
    pub missing: Vec<String>,
}

impl Assessment {
    /// 是否报了一部分。
    pub fn partial(&self) -> bool {
        !self.missing.is_empty()
    }

    /// 状态文字：“已报送（按时）”“已报送（逾期3天）”“未报送（逾期2天）”“未到期（剩5天）”
    /// “部分报送（逾期2天）”等；尚缺的任务另见 [`Assessment::text`]。
    pub fn label(&self) -> String {
        let d = self.days;
        let open = if self.partial() {
            "部分报送"
        } else {
            "未报送"
        };
        match self.state {
            State::OnTime => "已报送（按时）".into(),
            State::Late => format!("已报送（逾期{d}天）"),
            State::Submitted => "已报送".into(),
            State::Overdue => format!("{open}（逾期{d}天）"),
            State::DueSoon | State::NotDue => {
                let head = if self.partial() { open } else { "未到期" };
                if d == 0 {
                    format!("{head}（今日截止）")
                } else {
                    format!("{head}（剩{d}天）")
                }
            }
            State::Untracked => String::new(),
        }
    }

    /// 状态文字加尚缺的任务：“部分报送（逾期1天），尚缺第1—3、7项”。
    pub fn text(&self) -> String {
        if self.partial() {
            format!("{}，尚缺{}", self.label(), missing_label(&self.missing))
        } else {
            self.label()
        }
    }
}

/// 尚缺任务的称呼：["6", "20", "三.1"] → “第6、20项、第三部分第1项”；
/// 连续三项以上写成区间（“第1—12项”），免得几十个序号撑满一格。
pub fn missing_label(ids: &[String]) -> String {
    let (three, main): (Vec<&String>, Vec<&String>) = ids.iter().partition(|id| id.contains('.'));
    let mut parts = Vec::new();
    if !main.is_empty() {
        parts.push(format!("第{}项", ranges(main.iter().map(|s| s.as_str()))));
    }
    if !three.is_empty() {
        let n = three
            .iter()
            .map(|s| s.split_once('.').map_or(s.as_str(), |x| x.1));
        parts.push(format!("第三部分第{}项", ranges(n)));
    }
    parts.join("、")
}

/// 序号列表写成区间：1、2、3、5 → “1—3、5”；不是数字的原样列出。
fn ranges<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<(u32, &str)> = Vec::new();
    let flush = |run: &mut Vec<(u32, &str)>, out: &mut Vec<String>| {
        if run.len() >= 3 {
            out.push(format!("{}—{}", run[0].1, run[run.len() - 1].1));
        } else {
            out.extend(run.iter().map(|(_, s)| s.to_string()));
        }
        run.clear();
    };
    for id in ids {
        match id.parse::<u32>() {
            Ok(n) if run.last().is_some_and(|(m, _)| *m + 1 == n) => run.push((n, id)),
            Ok(n) => {
                flush(&mut run, &mut out);
                run.push((n, id));
            }
            Err(_) => {
                flush(&mut run, &mut out);
                out.push(id.to_string());
            }
        }
    }
    flush(&mut run, &mut out);
    out.join("、")
}

/// 从 `from` 到 `to` 的天数（`to` 早于 `from` 时为负）。
pub fn days_between(from: Date, to: Date) -> i64 {
    to.days_since_epoch() - from.days_since_epoch()
}

impl DueItem {
    /// `as_of` 这天的状态；`due_soon_days`：截止日前多少天内算即将到期。
    /// 收到日期晚于 `as_of` 的部分算作这天还没报，所以可以回看任意一天的情况。
    pub fn assess(&self, as_of: Date, due_soon_days: i64) -> Assessment {
        let mut a = Assessment {
            state: State::Untracked,
            days: 0,
            received: None,
            missing: Vec::new(),
        };
        if self.submitted.is_none() {
            return a;
        }
        let done: Vec<&Part> = self.parts.iter().filter(|p| p.done_by(as_of)).collect();
        if done.len() == self.parts.len() {
            let dates: Option<Vec<Date>> = done.iter().map(|p| p.received).collect();
            a.received = dates.and_then(|d| d.into_iter().max());
            a.state = match a.received {
                None => State::Submitted,
                Some(r) if r <= self.date => State::OnTime,
                Some(r) => {
                    a.days = days_between(self.date, r);
                    State::Late
                }
            };
            return a;
        }
        if !done.is_empty() {
            a.missing = self
                .parts
                .iter()
                .filter(|p| !p.done_by(as_of))
                .map(|p| p.id.clone())
                .collect();
        }
        let left = days_between(as_of, self.date);
        (a.state, a.days) = if left < 0 {
            (State::Overdue, -left)
        } else if left <= due_soon_days {
            (State::DueSoon, left)
        } else {
            (State::NotDue, left)
        };
        a
    }
}
