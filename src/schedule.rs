//! 期限与报送义务：通知第二、三条的期限（`duban.toml` 的 `[deadlines]`）换算成 [`Schedule`]，
//! 再按分工推出每个单位要报的每一项材料（[`DueItem`]）及其是否已报齐。
//!
//! 任务清单的期限表、催报通知（[`reminders`]）和以后的报送状态都从这里取，不各算一遍。

use crate::catalogue::Catalogue;
use crate::config::Deadlines;
use crate::date::{Date, DateError, Quarter};
use crate::diag::Diagnostic;
use crate::duties::{Role, UnitDuties};
use crate::submissions::Submissions;
use serde::Serialize;

/// 到期前多少天开始发催报通知（含当天）。
pub const REMINDER_WINDOW_DAYS: i64 = 7;

/// 换算后的期限表。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub plan_to_overall_lead: Date,
    pub overall_plan_to_office: Date,
    /// 需报送完成情况的季度及各自截止日（从 `quarterly_from` 到当年第四季度）。
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

/// 一项适用于某单位的报送事项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    /// 报送什么，如“办理方案（附表1）”。
    pub what: String,
    /// 报送给谁。
    pub to: String,
    pub date: Date,
    /// 是否已报齐（`None`：本项不由 duban 跟踪，如配合牵头单位）。
    pub submitted: Option<bool>,
    /// 已报了一部分时尚缺的任务序号（目录顺序）；完全未报或已报齐时为空。
    pub missing: Vec<String>,
}

fn join(v: &[String]) -> String {
    v.join("、")
}

/// 报送状态：`tasks` 中每项都报了才算已报齐；报了一部分（`any` 为真）时列出尚缺的任务序号。
fn coverage(
    cat: &Catalogue,
    tasks: &[usize],
    any: bool,
    has: impl Fn(&str) -> bool,
) -> (Option<bool>, Vec<String>) {
    let missing: Vec<String> = tasks
        .iter()
        .map(|&i| cat.tasks[i].id.clone())
        .filter(|id| !has(id))
        .collect();
    if missing.is_empty() {
        (Some(true), Vec::new())
    } else if any {
        (Some(false), missing)
    } else {
        (Some(false), Vec::new())
    }
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

/// 报送义务的计算上下文：一个单位、全部报送数据、期限表。
struct Ctx<'a> {
    cat: &'a Catalogue,
    d: &'a UnitDuties,
    subs: &'a Submissions,
    s: &'a Schedule,
}

impl Ctx<'_> {
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
        let plan_sub = self.subs.plan(&d.unit).is_some();
        let has_plan = |id: &str| self.subs.has_plan_rows(&d.unit, id, false);
        if !overall_tasks.is_empty() {
            let (submitted, missing) = coverage(cat, &overall_tasks, plan_sub, has_plan);
            items.push(DueItem {
                what: "办理方案（附表1）".into(),
                to: format!("总牵头单位 {}", join(&to_overall)),
                date: self.s.plan_to_overall_lead,
                submitted,
                missing,
            });
        }
        if !office_tasks.is_empty() {
            let (submitted, missing) = coverage(cat, &office_tasks, plan_sub, has_plan);
            items.push(DueItem {
                what: "办理方案（附表1，所在组无总牵头单位）".into(),
                to: self.s.office.clone(),
                date: self.s.overall_plan_to_office,
                submitted,
                missing,
            });
        }
    }

    /// 总体办理方案。共同总牵头的组：任何一家报来的都算这一组报了（两家共同制定、联合报送）。
    fn overall_plan(&self) -> DueItem {
        let (cat, d, subs) = (self.cat, self.d, self.subs);
        let tasks = d.tasks_with(Role::OverallLead);
        let any = tasks.iter().any(|&i| {
            cat.overall_leads(&cat.tasks[i])
                .iter()
                .any(|r| subs.overall_plan(&r.name).is_some())
        }) || subs.overall_plan(&d.unit).is_some();
        let (submitted, missing) = coverage(cat, &tasks, any, |id| {
            let t = cat.task(id).expect("目录中的任务");
            subs.has_plan_rows(&d.unit, id, true)
                || cat
                    .overall_leads(t)
                    .iter()
                    .any(|r| subs.has_plan_rows(&r.name, id, true))
        });
        let joint: Vec<String> = joint_groups(cat, d)
            .into_iter()
            .map(|(g, others)| format!("“{g}”组与{}共同制定、联合报送", join(&others)))
            .collect();
        let what = if joint.is_empty() {
            "总体办理方案".to_string()
        } else {
            format!("总体办理方案（其中{}）", joint.join("；"))
        };
        DueItem {
            what,
            to: self.s.office.clone(),
            date: self.s.overall_plan_to_office,
            submitted,
            missing,
        }
    }

    /// 每个需报季度的附表3。
    fn quarterly(&self, items: &mut Vec<DueItem>) {
        let (cat, d, subs) = (self.cat, self.d, self.subs);
        for (q, due) in &self.s.quarters {
            let any = subs.quarterly(&d.unit, *q).is_some();
            let (submitted, missing) = coverage(cat, &d.quarterly, any, |id| {
                subs.has_status(&d.unit, *q, id)
            });
            items.push(DueItem {
                what: format!("{}完成情况（附表3）", q.chinese()),
                to: self.s.office.clone(),
                date: *due,
                submitted,
                missing,
            });
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
            what: "配合牵头单位制定办理方案".into(),
            to: "各项任务的牵头单位".into(),
            date: s.plan_to_overall_lead,
            submitted: None,
            missing: Vec::new(),
        });
    }
    items.push(DueItem {
        what: "督办工作人员名单（附表2）".into(),
        to: s.office.clone(),
        date: s.plan_to_overall_lead,
        submitted: Some(subs.contacts(&d.unit).is_some()),
        missing: Vec::new(),
    });
    if d.reports_quarterly() {
        ctx.quarterly(&mut items);
    }
    items.sort_by(|a, b| (a.date, &a.what).cmp(&(b.date, &b.what)));
    items
}

/// 需要催报的事项：已到期或 [`REMINDER_WINDOW_DAYS`] 天内到期、且尚未报送。
pub fn reminders(items: &[DueItem], today: Date) -> Vec<DueItem> {
    let horizon = today.add_days(REMINDER_WINDOW_DAYS);
    items
        .iter()
        .filter(|i| i.submitted == Some(false) && i.date <= horizon)
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
mod tests {
    use super::*;
    use crate::duties::{assign, tests::sample};

    fn schedule() -> Schedule {
        Schedule::from_config(&Deadlines::default()).unwrap()
    }

    /// quarterly_day 原样使用（此前 29–31 被悄悄改成 28 日），超出 1–31 报错。
    #[test]
    fn quarterly_day_is_kept_or_rejected() {
        let with_day = |day| {
            Schedule::from_config(&Deadlines {
                quarterly_day: day,
                ..Deadlines::default()
            })
        };
        let s = with_day(30).unwrap();
        assert_eq!(s.quarters[0].1.to_string(), "2023-07-30");
        assert_eq!(
            with_day(31).unwrap().quarters[2].1.to_string(),
            "2024-01-31"
        );
        assert!(with_day(0).is_err());
        let e = with_day(32).unwrap_err().to_string();
        assert!(e.contains("quarterly_day 应为 1–31"), "{e}");
    }

    #[test]
    fn schedule_from_notice() {
        let s = schedule();
        let qs: Vec<String> = s.quarters.iter().map(|(q, d)| format!("{q}:{d}")).collect();
        assert_eq!(
            qs,
            [
                "2023Q2:2023-07-20",
                "2023Q3:2023-10-20",
                "2023Q4:2024-01-20"
            ]
        );
        assert_eq!(
            s.default_quarter(Date::parse("2023-02-08").unwrap())
                .unwrap()
                .to_string(),
            "2023Q2"
        );
        assert_eq!(
            s.default_quarter(Date::parse("2023-07-21").unwrap())
                .unwrap()
                .to_string(),
            "2023Q3"
        );
    }

    #[test]
    fn due_items_and_reminders() {
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let sw = d.get("区商务局").unwrap();
        let items = due_items(&cat, sw, &Submissions::default(), &schedule());
        assert_eq!(items[0].to, "总牵头单位 区发改局");
        assert_eq!(items[0].date.to_string(), "2023-02-15");
        let r = reminders(&items, Date::parse("2023-02-16").unwrap());
        let whats: Vec<&str> = r.iter().map(|i| i.what.as_str()).collect();
        assert_eq!(whats, ["办理方案（附表1）", "督办工作人员名单（附表2）"]);
        assert!(reminders(&items, Date::parse("2023-02-01").unwrap()).is_empty());
        let mz = d.get("区民政局").unwrap();
        let items = due_items(&cat, mz, &Submissions::default(), &schedule());
        assert!(items
            .iter()
            .any(|i| i.what.contains("无总牵头单位") && i.date.to_string() == "2023-02-23"));
        assert!(items
            .iter()
            .any(|i| i.what.contains("第四季度") && i.date.to_string() == "2024-01-20"));
    }

    fn subs_of(texts: &[&str]) -> Submissions {
        let (cat, reg) = sample();
        let mut diags = crate::diag::Diagnostics::new();
        let files = texts
            .iter()
            .map(|t| crate::submissions::parse_str(t, "s.toml", &reg, &cat, &mut diags).unwrap())
            .collect();
        assert!(diags.is_empty(), "{diags:?}");
        Submissions {
            files,
            ..Default::default()
        }
    }

    #[test]
    fn joint_overall_leads_do_not_send_plans_to_each_other() {
        // 乙组（任务 3）由区发改局、区住建局共同总牵头；区住建局牵头任务 3。
        let (cat, reg) = sample();
        let (d, _) = assign(&cat, &reg);
        let zj = d.get("区住建局").unwrap();
        let items = due_items(&cat, zj, &Submissions::default(), &schedule());
        assert!(
            !items.iter().any(|i| i.what.starts_with("办理方案")),
            "总牵头单位自己牵头的本组任务并入总体办理方案，不报给共同总牵头单位：{items:?}"
        );
        let overall = items
            .iter()
            .find(|i| i.what.starts_with("总体办理方案"))
            .unwrap();
        assert_eq!(
            overall.what,
            "总体办理方案（其中“乙组”组与区发改局共同制定、联合报送）"
        );
        assert_eq!(overall.date.to_string(), "2023-02-23");
        let fg = d.get("区发改局").unwrap();
        let items = due_items(&cat, fg, &Submissions::default(), &schedule());
        assert!(
            !items.iter().any(|i| i.to.contains("区住建局")),
            "{items:?}"
        );
        assert!(
            items.iter().any(|i| i.what.contains("与区住建局共同制定")),
            "{items:?}"
        );
    }

    const PLAN_2: &str = "unit = \"区商务局\"\nform = \"办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"甲\"\nmonth = 3\n";

    #[test]
    fn partial_plans_and_quarterly_reports_list_missing_tasks() {
        let (mut cat, reg) = sample();
        // 区商务局再牵头甲组任务 1：办理方案只报了任务 2，尚缺 1。
        cat.tasks[0]
            .leads
            .push(crate::catalogue::UnitRef::unit("区商务局"));
        let (d, _) = assign(&cat, &reg);
        let sw = d.get("区商务局").unwrap();
        let subs = subs_of(&[PLAN_2]);
        let items = due_items(&cat, sw, &subs, &schedule());
        let plan = &items[0];
        assert_eq!(plan.what, "办理方案（附表1）");
        assert_eq!(plan.submitted, Some(false), "只报了部分任务不算已报送");
        assert_eq!(plan.missing, ["1"]);
        // 报齐后才算已报送。
        let full =
            format!("{PLAN_2}[[task]]\nid = \"1\"\n[[task.row]]\ncontent = \"乙\"\nmonth = 4\n");
        let items = due_items(&cat, sw, &subs_of(&[&full]), &schedule());
        assert_eq!(
            (items[0].submitted, items[0].missing.len()),
            (Some(true), 0)
        );

        // 总体办理方案：本单位报了办理方案不等于报了总体办理方案。
        let fg = d.get("区发改局").unwrap();
        let own = "unit = \"区发改局\"\nform = \"办理方案\"\n[[task]]\nid = \"1\"\n[[task.row]]\ncontent = \"丙\"\nmonth = 3\n";
        let items = due_items(&cat, fg, &subs_of(&[own]), &schedule());
        let overall = items
            .iter()
            .find(|i| i.what.starts_with("总体办理方案"))
            .unwrap();
        assert_eq!(overall.submitted, Some(false));
        assert!(
            overall.missing.is_empty(),
            "一份总体办理方案都没报：不列尚缺"
        );
        // 报了总体办理方案但缺任务 2；乙组（任务 3）由共同总牵头的区住建局报了，算报了。
        let op = "unit = \"区发改局\"\nform = \"总体办理方案\"\n[[task]]\nid = \"1\"\n[[task.row]]\ncontent = \"丁\"\nmonth = 3\nlead = \"区发改局\"\n";
        let zj = "unit = \"区住建局\"\nform = \"总体办理方案\"\n[[task]]\nid = \"3\"\n[[task.row]]\ncontent = \"戊\"\nmonth = 5\nlead = \"区住建局\"\n";
        let items = due_items(&cat, fg, &subs_of(&[op, zj]), &schedule());
        let overall = items
            .iter()
            .find(|i| i.what.starts_with("总体办理方案"))
            .unwrap();
        assert_eq!(
            (overall.submitted, overall.missing.clone()),
            (Some(false), vec!["2".to_string()])
        );

        // 附表3：纸坊街道办事处季报任务 三.1；区发改局季报 1、2、3，只报了 1 → 尚缺 2、3。
        let q = "unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"1\"\nstatus = \"进展\"\n";
        let items = due_items(&cat, fg, &subs_of(&[q]), &schedule());
        let q2 = items.iter().find(|i| i.what.contains("第二季度")).unwrap();
        assert_eq!(q2.submitted, Some(false));
        assert_eq!(q2.missing, ["2", "3"]);
        let q3 = items.iter().find(|i| i.what.contains("第三季度")).unwrap();
        assert!(q3.missing.is_empty(), "第三季度一项没报：不列尚缺");
    }

    #[test]
    fn quarter_before_quarterly_from_warns() {
        let schedule = Schedule::from_config(&Deadlines::default()).unwrap();
        let q = |s| Quarter::parse(s).unwrap();
        let w = quarter_warning(q("2023Q1"), &schedule).unwrap();
        assert_eq!(w.severity, crate::diag::Severity::Warning);
        assert!(
            w.message
                .contains("早于 duban.toml [deadlines] quarterly_from（2023Q2）")
                && w.message.contains("2023年第一季度"),
            "{}",
            w.message
        );
        assert!(quarter_warning(q("2022Q4"), &schedule).is_some());
        for ok in ["2023Q2", "2023Q3", "2023Q4"] {
            assert!(quarter_warning(q(ok), &schedule).is_none(), "{ok}");
        }
        let w = quarter_warning(q("2024Q1"), &schedule).unwrap();
        assert!(
            w.message.contains("晚于本年度最后一个需报季度（2023Q4）"),
            "{}",
            w.message
        );
    }
}
