//! 期限与报送义务的单元测试。

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
    let r = reminders(&items, Date::parse("2023-02-16").unwrap(), 7);
    let whats: Vec<&str> = r.iter().map(|i| i.what.as_str()).collect();
    assert_eq!(whats, ["办理方案（附表1）", "督办工作人员名单（附表2）"]);
    assert!(reminders(&items, Date::parse("2023-02-01").unwrap(), 7).is_empty());
    // 提醒天数可配：2月10日离2月15日 5 天，7 天的窗口催、3 天的不催。
    let feb10 = Date::parse("2023-02-10").unwrap();
    assert_eq!(reminders(&items, feb10, 7).len(), 2);
    assert!(reminders(&items, feb10, 3).is_empty());
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
    let full = format!("{PLAN_2}[[task]]\nid = \"1\"\n[[task.row]]\ncontent = \"乙\"\nmonth = 4\n");
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

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// 某单位某事项在一串日期上的状态文字。
fn labels(item: &DueItem, days: &[&str]) -> Vec<String> {
    days.iter().map(|d| item.assess(day(d), 7).text()).collect()
}

fn find<'a>(items: &'a [DueItem], what: &str) -> &'a DueItem {
    items
        .iter()
        .find(|i| i.what.contains(what))
        .unwrap_or_else(|| panic!("没有“{what}”：{items:?}"))
}

/// 每个截止日前后各一天、当天、提醒窗口边上：未到期（剩N天）→ 今日截止 → 未报送（逾期N天）；
/// 颜色随之由无色 → 黄 → 红。
#[test]
fn states_around_every_deadline() {
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let s = schedule();
    let none = Submissions::default();
    let of = |unit: &str| due_items(&cat, d.get(unit).unwrap(), &none, &s);
    let (sw, fg, mz) = (of("区商务局"), of("区发改局"), of("区民政局"));
    for (items, what, due) in [
        (&sw, "办理方案（附表1）", "2023-02-15"),
        (&sw, "督办工作人员名单", "2023-02-15"),
        (&fg, "总体办理方案", "2023-02-23"),
        (&mz, "所在组无总牵头单位", "2023-02-23"),
        (&fg, "第二季度", "2023-07-20"),
        (&fg, "第三季度", "2023-10-20"),
        (&fg, "第四季度", "2024-01-20"),
    ] {
        let item = find(items, what);
        assert_eq!(item.date, day(due), "{what}");
        let at = |n: i64| item.assess(day(due).add_days(n), 7);
        assert_eq!(at(-8).state, State::NotDue, "{what}");
        assert_eq!(at(-8).label(), "未到期（剩8天）");
        assert_eq!(at(-8).state.colour(), Colour::None);
        assert_eq!(
            (at(-7).state, at(-7).label()),
            (State::DueSoon, "未到期（剩7天）".into())
        );
        assert_eq!(at(-7).state.colour(), Colour::Yellow);
        assert_eq!(at(-1).label(), "未到期（剩1天）");
        assert_eq!(
            (at(0).state, at(0).label()),
            (State::DueSoon, "未到期（今日截止）".into())
        );
        assert_eq!(
            (at(1).state, at(1).label()),
            (State::Overdue, "未报送（逾期1天）".into())
        );
        assert_eq!(at(1).state.colour(), Colour::Red);
        assert_eq!(at(40).label(), "未报送（逾期40天）");
    }
}

/// 已报送：按时（收到日期不晚于截止日）、逾期N天、没写收到日期；收到日期之前的那些天仍算未报。
#[test]
fn submitted_on_time_late_or_undated() {
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let cz = d.get("区财政局").unwrap();
    let contacts = |received: &str| {
        format!("unit = \"区财政局\"\nform = \"工作人员名单\"\n{received}[leader]\nname = \"甲\"\n[office_head]\nname = \"乙\"\n[clerk]\nname = \"丙\"\n")
    };
    let item = |text: &str| {
        let items = due_items(&cat, cz, &subs_of(&[text]), &schedule());
        find(&items, "附表2").clone()
    };
    let on_time = item(&contacts("received = \"2023-02-14\"\n"));
    assert_eq!(
        labels(&on_time, &["2023-02-13", "2023-02-14", "2023-03-01"]),
        ["未到期（剩2天）", "已报送（按时）", "已报送（按时）"]
    );
    let a = on_time.assess(day("2023-03-01"), 7);
    assert_eq!(
        (a.received, a.state.colour()),
        (Some(day("2023-02-14")), Colour::Green)
    );
    let late = item(&contacts("received = \"2023-02-18\"\n"));
    assert_eq!(
        labels(&late, &["2023-02-15", "2023-02-17", "2023-02-18"]),
        [
            "未到期（今日截止）",
            "未报送（逾期2天）",
            "已报送（逾期3天）"
        ]
    );
    assert_eq!(late.assess(day("2023-02-18"), 7).state, State::Late);
    let undated = item(&contacts(""));
    assert_eq!(
        labels(&undated, &["2023-02-01", "2023-03-01"]),
        ["已报送", "已报送"]
    );
}

/// 部分报送：报齐的日期是最后一部分收到的那天；两份文件之间的日子里写“部分报送，尚缺…”。
#[test]
fn partial_coverage_completes_on_the_last_part() {
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let fg = d.get("区发改局").unwrap();
    // 区发改局的总体办理方案覆盖任务 1、2（甲组）和 3（乙组，与区住建局共同总牵头）。
    let own = "unit = \"区发改局\"\nform = \"总体办理方案\"\nreceived = \"2023-02-20\"\n[[task]]\nid = \"1\"\n[[task.row]]\ncontent = \"丁\"\nmonth = 3\nlead = \"区发改局\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"戊\"\nmonth = 3\nlead = \"区商务局\"\n";
    let partner = "unit = \"区住建局\"\nform = \"总体办理方案\"\nreceived = \"2023-02-25\"\n[[task]]\nid = \"3\"\n[[task.row]]\ncontent = \"己\"\nmonth = 5\nlead = \"区住建局\"\n";
    let items = due_items(&cat, fg, &subs_of(&[own, partner]), &schedule());
    let overall = find(&items, "总体办理方案");
    assert_eq!(
        labels(
            overall,
            &["2023-02-19", "2023-02-20", "2023-02-24", "2023-02-25"]
        ),
        [
            "未到期（剩4天）",
            "部分报送（剩3天），尚缺第3项",
            "部分报送（逾期1天），尚缺第3项",
            "已报送（逾期2天）"
        ]
    );
    // 共同总牵头的区住建局：同一份总体办理方案，同样在 2月25日报齐。
    let zj = d.get("区住建局").unwrap();
    let items = due_items(&cat, zj, &subs_of(&[own, partner]), &schedule());
    let a = find(&items, "总体办理方案").assess(day("2023-03-01"), 7);
    assert_eq!((a.state, a.days), (State::Late, 2));
}

/// 所在组无总牵头单位的牵头任务：办理方案直接报区政府办公室，期限同总体办理方案；季报由牵头单位报。
#[test]
fn group_without_overall_lead_reports_to_office() {
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let mz = d.get("区民政局").unwrap();
    let items = due_items(&cat, mz, &Submissions::default(), &schedule());
    let plan = find(&items, "所在组无总牵头单位");
    assert_eq!(
        (plan.kind, plan.to.as_str()),
        (DueKind::OfficePlan, "区人民政府办公室")
    );
    assert_eq!(plan.date, day("2023-02-23"));
    assert_eq!(plan.tasks().collect::<Vec<_>>(), [3]);
    assert!(!items.iter().any(|i| i.kind == DueKind::Plan), "{items:?}");
    let q2 = find(&items, "第二季度");
    assert_eq!(q2.tasks().collect::<Vec<_>>(), [3]);
}

/// 第三部分：有牵头单位的条目（三.2）牵头单位报办理方案（报区政府办公室）与季报；
/// 只有责任单位的条目（三.1）每个责任单位各自报季报，但不报办理方案。
#[test]
fn section_three_items() {
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let sf = d.get("区司法局").unwrap();
    let items = due_items(&cat, sf, &Submissions::default(), &schedule());
    let plan = find(&items, "所在组无总牵头单位");
    assert_eq!(plan.parts[0].id, "三.2");
    assert_eq!(find(&items, "第三季度").parts[0].id, "三.2");
    let zf = d.get("纸坊街道办事处").unwrap();
    let items = due_items(&cat, zf, &Submissions::default(), &schedule());
    assert!(!items
        .iter()
        .any(|i| matches!(i.kind, DueKind::Plan | DueKind::OfficePlan)));
    let q4 = find(&items, "第四季度");
    assert_eq!(
        q4.parts.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["三.1"]
    );
    let q = "unit = \"纸坊街道办事处\"\nform = \"完成情况\"\nquarter = \"2023Q4\"\nreceived = \"2024-01-19\"\n[[task]]\nid = \"三.1\"\nstatus = \"已完成\"\n";
    let items = due_items(&cat, zf, &subs_of(&[q]), &schedule());
    let q4 = find(&items, "第四季度");
    assert_eq!(
        labels(
            q4,
            &["2023-12-31", "2024-01-13", "2024-01-19", "2024-01-21"]
        ),
        [
            "未到期（剩20天）",
            "未到期（剩7天）",
            "已报送（按时）",
            "已报送（按时）"
        ]
    );
}

/// 第四季度的完成情况在次年 1 月截止：跨年的天数、季度 Q2 起报、年末与年初的默认季度。
#[test]
fn fourth_quarter_is_due_next_january() {
    let s = schedule();
    assert_eq!(s.quarters.last().unwrap().1, day("2024-01-20"));
    let (cat, reg) = sample();
    let (d, _) = assign(&cat, &reg);
    let items = due_items(
        &cat,
        d.get("区民政局").unwrap(),
        &Submissions::default(),
        &s,
    );
    let q4 = find(&items, "2023年第四季度完成情况");
    assert_eq!(q4.quarter.unwrap().to_string(), "2023Q4");
    assert_eq!(
        labels(q4, &["2023-12-31", "2024-01-01", "2024-01-21"]),
        ["未到期（剩20天）", "未到期（剩19天）", "未报送（逾期1天）"]
    );
    assert_eq!(
        s.default_quarter(day("2023-12-31")).unwrap().to_string(),
        "2023Q4"
    );
    assert_eq!(
        s.default_quarter(day("2024-01-20")).unwrap().to_string(),
        "2023Q4"
    );
    // 季度首日与末日：10月20日当天仍是第三季度的截止日，10月21日起默认第四季度。
    assert_eq!(
        s.default_quarter(day("2023-10-20")).unwrap().to_string(),
        "2023Q3"
    );
    assert_eq!(
        s.default_quarter(day("2023-10-21")).unwrap().to_string(),
        "2023Q4"
    );
    assert_eq!(days_between(day("2023-12-31"), day("2024-01-20")), 20);
    assert_eq!(
        days_between(day("2024-02-28"), day("2024-03-01")),
        2,
        "闰年"
    );
}

#[test]
fn long_missing_lists_are_written_as_ranges() {
    let ids: Vec<String> = (1..=40)
        .filter(|n| *n != 13)
        .map(|n| n.to_string())
        .chain(["三.1", "三.2", "三.3", "三.4"].map(String::from))
        .collect();
    assert_eq!(missing_label(&ids), "第1—12、14—40项、第三部分第1—4项");
    let ids: Vec<String> = ["1", "2", "5", "三.3"].map(String::from).to_vec();
    assert_eq!(missing_label(&ids), "第1、2、5项、第三部分第3项");
}
