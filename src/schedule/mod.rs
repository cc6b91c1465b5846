//! 期限与报送义务：通知第二、三条的期限（`duban.toml` 的 `[deadlines]`）换算成 [`Schedule`]，
//! 再按分工推出每个单位要报的每一项材料（[`DueItem`]），每项拆成若干部分（[`Part`]：一项任务
//! 是否已报、何时收到），由此算出任意一天的状态（[`DueItem::assess`]：已报送按时/逾期、
//! 未报送逾期、未到期剩几天、报了一部分尚缺哪几项）。
//!
//! 任务清单的期限表、催报（[`reminders`]）、`duban status` 和督办情况通报都从这里取，不各算一遍。

use crate::catalogue::Catalogue;
use crate::config::Deadlines;
use crate::date::{Date, DateError, Quarter};
use crate::diag::Diagnostic;
use crate::duties::{Role, UnitDuties};
use crate::submissions::{Submission, Submissions};
use serde::Serialize;

mod state;

pub use state::{days_between, missing_label, Assessment, Colour, State};

/// 换算后的期限表。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub plan_to_overall_lead: Date,
    pub overall_plan_to_office: Date,
    /// 需报送完成情况的季度及各自截止日（从 `quarterly_from` 到当年第四季度；第四季度的截止日在次年 1 月）。
    pub quarters: Vec<(Quarter, Date)>,
    pub office: String,
    pub office_email: String,
}

impl Schedule {
    pub fn from_config(d: &Deadlines) -> Result<Schedule, DateError> {
        let from = Quarter::parse(&d.quarterly_from)?;
        if !(1..=31).contains(&d.quarterly_day) {
            return Err(DateError::Invalid(format!(
                "每季度第一个月 {} 日（quarterly_day 应为 1–31）",
                d.quarterly_day
            )));
        }
        let mut quarters = Vec::new();
        let mut q = from;
        while q.year == from.year {
            quarters.push((q, q.due(d.quarterly_day)));
            q = q.next();
        }
        Ok(Schedule {
            plan_to_overall_lead: Date::parse(&d.plan_to_overall_lead)?,
            overall_plan_to_office: Date::parse(&d.overall_plan_to_office)?,
            quarters,
            office: d.office.clone(),
            office_email: d.office_email.clone(),
        })
    }

    /// 默认季度：截止日不早于今天的第一个需报季度；都过了则取最后一个。
    pub fn default_quarter(&self, today: Date) -> Option<Quarter> {
        self.quarters
            .iter()
            .find(|(_, due)| *due >= today)
            .or(self.quarters.last())
            .map(|(q, _)| *q)
    }
}

/// 报送事项的种类（导出时是稳定的英文键）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// 牵头任务的办理方案，报总牵头单位。
    Plan,
    /// 所在组无总牵头单位的办理方案，直接报区政府办公室。
    OfficePlan,
    /// 总牵头单位的总体办理方案，报区政府办公室。
    OverallPlan,
    /// 配合牵头单位制定办理方案（不跟踪）。
    HelpLead,
    /// 附表2 督办工作人员名单。
    Contacts,
    /// 附表3 某季度完成情况。
    Quarterly,
}

/// 一项事项的一部分：一项任务（附表2 不分任务，`task` 为 `None`）是否已报、何时收到。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// 任务在目录中的下标。
    pub task: Option<usize>,
    /// 任务序号（"12"、"三.1"）；不分任务时为空。
    pub id: String,
    pub done: bool,
    /// 收到日期（报送文件的 `received`）；已报而文件没写收到日期时为 `None`，视为一直已报。
    pub received: Option<Date>,
}

impl Part {
    /// 到 `as_of` 这天是否已报：收到日期晚于这天的，这天还没收到。
    pub fn done_by(&self, as_of: Date) -> bool {
        self.done && self.received.is_none_or(|d| d <= as_of)
    }
}

/// 一项适用于某单位的报送事项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub kind: DueKind,
    /// 仅附表3：哪个季度。
    pub quarter: Option<Quarter>,
    /// 报送什么，如“办理方案（附表1）”。
    pub what: String,
    /// 报送给谁。
    pub to: String,
    pub date: Date,
    /// 按现有报送数据（不论收到日期）是否已报齐（`None`：本项不由 duban 跟踪，如配合牵头单位）。
    pub submitted: Option<bool>,
    /// 按现有报送数据报了一部分时尚缺的任务序号（目录顺序）；完全未报或已报齐时为空。
    pub missing: Vec<String>,
    /// 逐项任务的报送情况（不跟踪的事项为空）。
    pub parts: Vec<Part>,
}

impl DueItem {
    /// 由逐项任务的报送情况组成事项；`submitted`、`missing` 按现有数据（不论收到日期）算。
    fn new(
        kind: DueKind,
        quarter: Option<Quarter>,
        what: String,
        to: String,
        date: Date,
        parts: Vec<Part>,
    ) -> DueItem {
        let done = parts.iter().filter(|p| p.done).count();
        let missing = if done > 0 && done < parts.len() {
            parts
                .iter()
                .filter(|p| !p.done)
                .map(|p| p.id.clone())
                .collect()
        } else {
            Vec::new()
        };
        DueItem {
            kind,
            quarter,
            what,
            to,
            date,
            submitted: Some(done == parts.len()),
            missing,
            parts,
        }
    }

    /// 涉及的任务下标（目录顺序）。
    pub fn tasks(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().filter_map(|p| p.task)
    }
}

fn join(v: &[String]) -> String {
    v.join("、")
}

/// 本单位作为总牵头单位的组中，与别的单位共同总牵头的：(组名, 其他总牵头单位)，按目录顺序。
pub fn joint_groups(cat: &Catalogue, d: &UnitDuties) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for i in d.tasks_with(Role::OverallLead) {
        let t = &cat.tasks[i];
        let Some(g) = t.group.and_then(|g| cat.groups.get(g)) else {
            continue;
        };
        let others: Vec<String> = g
            .overall_leads
            .iter()
            .map(|r| r.name.clone())
            .filter(|n| *n != d.unit)
            .collect();
        if !others.is_empty() && !out.iter().any(|(title, _)| *title == g.title) {
            out.push((g.title.clone(), others));
        }
    }
    out
}

/// 报送文件中某任务是否至少有一行具体工作内容。
fn has_rows(s: &Submission, id: &str) -> bool {
    s.plan
        .iter()
        .any(|t| t.known && t.id == id && !t.rows.is_empty())
}

/// 几份报送文件都报了同一部分时，取最早收到的；其中有没写收到日期的，视为一直已报。
fn earliest(found: &[Option<Date>]) -> Option<Date> {
    if found.iter().any(Option::is_none) {
        None
    } else {
        found.iter().flatten().min().copied()
    }
}

/// 报送义务的计算上下文：一个单位、全部报送数据、期限表。
struct Ctx<'a> {
    cat: &'a Catalogue,
    d: &'a UnitDuties,
    subs: &'a Submissions,
    s: &'a Schedule,
}

impl Ctx<'_> {
    /// 一项任务的部分：`found` 是报了这项任务的各份文件的收到日期。
    fn part(&self, task: usize, found: &[Option<Date>]) -> Part {
        Part {
            task: Some(task),
            id: self.cat.tasks[task].id.clone(),
            done: !found.is_empty(),
            received: earliest(found),
        }
    }

    /// 本单位的办理方案中逐项任务的报送情况。
    fn plan_parts(&self, tasks: &[usize]) -> Vec<Part> {
        let sub = self.subs.plan(&self.d.unit);
        tasks
            .iter()
            .map(|&i| {
                let found: Vec<Option<Date>> = sub
                    .filter(|s| has_rows(s, &self.cat.tasks[i].id))
                    .map(|s| s.received)
                    .into_iter()
                    .collect();
                self.part(i, &found)
            })
            .collect()
    }

    /// 牵头任务的办理方案：有总牵头单位的报总牵头单位；没有的直接报区政府办公室（本项目的决定）。
    fn lead_plans(&self, items: &mut Vec<DueItem>) {
        let (cat, d) = (self.cat, self.d);
        let mut to_overall: Vec<String> = Vec::new();
        let mut overall_tasks: Vec<usize> = Vec::new();
        let mut office_tasks: Vec<usize> = Vec::new();
        for i in d.tasks_with(Role::Lead) {
            let ol = cat.overall_leads(&cat.tasks[i]);
            if ol.is_empty() {
                office_tasks.push(i);
                continue;
            }
            // 自己就是本组总牵头单位之一：并入（与其他总牵头单位共同制定的）总体办理方案，
            // 不另报，也不报给共同总牵头的单位。
            if d.assignments
                .iter()
                .any(|a| a.task == i && a.role == Role::OverallLead)
            {
                continue;
            }
            overall_tasks.push(i);
            for r in ol {
                if r.name != d.unit && !to_overall.contains(&r.name) {
                    to_overall.push(r.name.clone());
                }
            }
        }
        if !overall_tasks.is_empty() {
            items.push(DueItem::new(
                DueKind::Plan,
                None,
                "办理方案（附表1）".into(),
                format!("总牵头单位 {}", join(&to_overall)),
                self.s.plan_to_overall_lead,
                self.plan_parts(&overall_tasks),
            ));
        }
        if !office_tasks.is_empty() {
            items.push(DueItem::new(
                DueKind::OfficePlan,
                None,
                "办理方案（附表1，所在组无总牵头单位）".into(),
                self.s.office.clone(),
                self.s.overall_plan_to_office,
                self.plan_parts(&office_tasks),
            ));
        }
    }

    /// 总体办理方案。共同总牵头的组：任何一家报来的都算这一组报了（两家共同制定、联合报送），
    /// 收到日期取最早报来的一份。
    fn overall_plan(&self) -> DueItem {
        let (cat, d, subs) = (self.cat, self.d, self.subs);
        let parts = d
            .tasks_with(Role::OverallLead)
            .into_iter()
            .map(|i| {
                let t = &cat.tasks[i];
                let mut units: Vec<&str> = vec![d.unit.as_str()];
                units.extend(
                    cat.overall_leads(t)
                        .iter()
                        .map(|r| r.name.as_str())
                        .filter(|n| *n != d.unit),
                );
                let found: Vec<Option<Date>> = units
                    .iter()
                    .filter_map(|u| subs.overall_plan(u))
                    .filter(|s| has_rows(s, &t.id))
                    .map(|s| s.received)
                    .collect();
                self.part(i, &found)
            })
            .collect();
        let joint: Vec<String> = joint_groups(cat, d)
            .into_iter()
            .map(|(g, others)| format!("“{g}”组与{}共同制定、联合报送", join(&others)))
            .collect();
        let what = if joint.is_empty() {
            "总体办理方案".to_string()
        } else {
            format!("总体办理方案（其中{}）", joint.join("；"))
        };
        DueItem::new(
            DueKind::OverallPlan,
            None,
            what,
            self.s.office.clone(),
            self.s.overall_plan_to_office,
            parts,
        )
    }

    /// 每个需报季度的附表3（第四季度在次年 1 月截止）。
    fn quarterly(&self, items: &mut Vec<DueItem>) {
        let (cat, d, subs) = (self.cat, self.d, self.subs);
        for (q, due) in &self.s.quarters {
            let sub = subs.quarterly(&d.unit, *q);
            let parts = d
                .quarterly
                .iter()
                .map(|&i| {
                    let found: Vec<Option<Date>> = sub
                        .filter(|_| subs.has_status(&d.unit, *q, &cat.tasks[i].id))
                        .map(|s| s.received)
                        .into_iter()
                        .collect();
                    self.part(i, &found)
                })
                .collect();
            items.push(DueItem::new(
                DueKind::Quarterly,
                Some(*q),
                format!("{}完成情况（附表3）", q.chinese()),
                self.s.office.clone(),
                *due,
                parts,
            ));
        }
    }
}

/// 某单位适用的全部期限，按日期排序。
pub fn due_items(
    cat: &Catalogue,
    d: &UnitDuties,
    subs: &Submissions,
    s: &Schedule,
) -> Vec<DueItem> {
    let ctx = Ctx { cat, d, subs, s };
    let mut items = Vec::new();
    ctx.lead_plans(&mut items);
    if d.has(Role::OverallLead) {
        items.push(ctx.overall_plan());
    }
    // 配合牵头单位：只对有牵头单位的任务；无牵头单位的条目由本单位按季度直接报区政府办公室。
    let helps_lead = d
        .tasks_with(Role::Responsible)
        .iter()
        .any(|&i| !cat.tasks[i].leads.is_empty());
    if helps_lead {
        items.push(DueItem {
            kind: DueKind::HelpLead,
            quarter: None,
            what: "配合牵头单位制定办理方案".into(),
            to: "各项任务的牵头单位".into(),
            date: s.plan_to_overall_lead,
            submitted: None,
            missing: Vec::new(),
            parts: Vec::new(),
        });
    }
    let contacts = subs.contacts(&d.unit);
    items.push(DueItem::new(
        DueKind::Contacts,
        None,
        "督办工作人员名单（附表2）".into(),
        s.office.clone(),
        s.plan_to_overall_lead,
        vec![Part {
            task: None,
            id: String::new(),
            done: contacts.is_some(),
            received: contacts.and_then(|c| c.received),
        }],
    ));
    if d.reports_quarterly() {
        ctx.quarterly(&mut items);
    }
    items.sort_by(|a, b| (a.date, &a.what).cmp(&(b.date, &b.what)));
    items
}

/// 需要催报的事项：`today` 这天已逾期或 `due_soon_days` 天内到期、且尚未报齐。
pub fn reminders(items: &[DueItem], today: Date, due_soon_days: i64) -> Vec<DueItem> {
    items
        .iter()
        .filter(|i| {
            matches!(
                i.assess(today, due_soon_days).state,
                State::Overdue | State::DueSoon
            )
        })
        .cloned()
        .collect()
}

/// `--quarter` 指定的季度不在需报范围内时的警告（不阻止生成）：早于 `[deadlines] quarterly_from`
/// （通知规定从 2023 年第二季度起报），或晚于本年度最后一个需报季度。
pub fn quarter_warning(quarter: Quarter, schedule: &Schedule) -> Option<Diagnostic> {
    let (first, _) = *schedule.quarters.first()?;
    let (last, _) = *schedule.quarters.last()?;
    let msg = if quarter < first {
        format!(
            "季度 {quarter} 早于 duban.toml [deadlines] quarterly_from（{first}）：季度完成情况从{}起报送，仍按{}生成附表3",
            first.chinese(),
            quarter.chinese()
        )
    } else if quarter > last {
        format!(
            "季度 {quarter} 晚于本年度最后一个需报季度（{last}），仍按{}生成附表3",
            quarter.chinese()
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::warning("命令行 --quarter", 0, 0, msg)
            .with_hint(format!("确认季度是否写错；需报季度为 {first}–{last}")),
    )
}

#[cfg(test)]
mod tests;
