//! 报送状态模型与各输出的单元测试（手工小目录 `duties::tests::sample`）。

use super::*;
use crate::duties::tests::sample;
use crate::project::test_project;
use crate::submissions::Submissions;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
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

fn report(subs: Submissions, as_of: &str) -> StatusReport {
    let (cat, reg) = sample();
    let p = test_project(cat, reg, subs);
    status(
        &p,
        &StatusOptions {
            as_of: day(as_of),
            due_soon_days: 7,
            only: Vec::new(),
        },
    )
}

const CONTACTS: &str = "unit = \"区财政局\"\nform = \"工作人员名单\"\nreceived = \"2023-02-14\"\n[leader]\nname = \"甲\"\n[office_head]\nname = \"乙\"\n[clerk]\nname = \"丙\"\n";
const PLAN_LATE: &str = "unit = \"区商务局\"\nform = \"办理方案\"\nreceived = \"2023-02-17\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"甲\"\nmonth = 3\n";

#[test]
fn every_unit_and_tracked_obligation_with_counts() {
    let r = report(subs_of(&[CONTACTS, PLAN_LATE]), "2023-02-16");
    let names: Vec<&str> = r.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(
        names,
        [
            "区发改局",
            "区商务局",
            "区财政局",
            "区住建局",
            "区民政局",
            "区司法局",
            "纸坊街道办事处",
            "金口街道办事处"
        ],
        "登记册顺序"
    );
    // 不跟踪“配合牵头单位”：区财政局只有附表2（第三部分第2项有牵头单位，它只是责任单位）。
    let cz = &r.units[2];
    assert_eq!(cz.obligations.len(), 1, "{:?}", cz.obligations);
    assert_eq!(cz.obligations[0].label, "已报送（按时）");
    assert_eq!(cz.obligations[0].colour, Colour::Green);
    // 区商务局：附表1 2月17日才收到——2月16日还是逾期未报。
    let sw = &r.units[1];
    let plan = &sw.obligations[0];
    assert_eq!(
        (plan.kind, plan.label.as_str()),
        (DueKind::Plan, "未报送（逾期1天）")
    );
    assert_eq!(plan.tasks, ["2"]);
    assert_eq!(sw.counts.overdue, 2);
    assert_eq!(sw.max_overdue_days, 1);
    let later = report(subs_of(&[CONTACTS, PLAN_LATE]), "2023-02-20");
    assert_eq!(later.units[1].obligations[0].label, "已报送（逾期2天）");
    // 合计 = 各单位之和；单位、截止日期都按事项计。
    let sum: usize = r.units.iter().map(|u| u.counts.total).sum();
    assert_eq!(r.totals.total, sum);
    assert_eq!(
        r.deadlines.iter().map(|d| d.counts.total).sum::<usize>(),
        sum
    );
    assert_eq!(
        r.totals.done + r.totals.overdue + r.totals.due_soon + r.totals.not_due,
        r.totals.total
    );
    assert_eq!(r.units_overdue, 7, "只有区财政局报齐了 2月15日到期的");
    let dates: Vec<String> = r.deadlines.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2023-02-15",
            "2023-02-23",
            "2023-07-20",
            "2023-10-20",
            "2024-01-20"
        ]
    );
    assert_eq!(
        r.deadlines[1].counts.due_soon, r.deadlines[1].counts.total,
        "2月23日在 7 天内"
    );
}

/// 两个总牵头单位的组：同一份总体办理方案，两家都算报了（按任务计时也各算一份）。
#[test]
fn joint_overall_leads_share_one_overall_plan() {
    let zj = "unit = \"区住建局\"\nform = \"总体办理方案\"\nreceived = \"2023-02-22\"\n[[task]]\nid = \"3\"\n[[task.row]]\ncontent = \"己\"\nmonth = 5\nlead = \"区住建局\"\n";
    let r = report(subs_of(&[zj]), "2023-02-24");
    let overall = |u: &str| {
        r.units
            .iter()
            .find(|x| x.unit == u)
            .unwrap()
            .obligations
            .iter()
            .find(|o| o.kind == DueKind::OverallPlan)
            .unwrap()
            .clone()
    };
    assert_eq!(overall("区住建局").label, "已报送（按时）");
    let fg = overall("区发改局");
    assert_eq!(fg.text, "部分报送（逾期1天），尚缺第1、2项");
    assert!(fg.what.contains("与区住建局共同制定"), "{}", fg.what);
    // 乙组（任务 3）：两家总牵头单位的总体办理方案都覆盖了，按任务计 2 份都已报。
    let yi = r.groups.iter().find(|g| g.title == "乙组").unwrap();
    assert_eq!(yi.overall_leads, ["区发改局", "区住建局"]);
    assert!(yi.counts.on_time >= 2, "{:?}", yi.counts);
}

/// 没有总牵头单位的组与第三部分：统计里有它们，组的总牵头单位为空，第三部分合为“不属任务组”。
#[test]
fn groups_without_overall_lead_and_section_three_are_counted() {
    let r = report(Submissions::default(), "2023-03-01");
    let bing = r.groups.iter().find(|g| g.title == "丙组").unwrap();
    assert!(bing.overall_leads.is_empty() && !bing.ungrouped);
    // 丙组任务 4：区民政局的办理方案（报区政府办公室，2月23日）逾期 + 三个季度的季报未到期。
    assert_eq!(
        (bing.counts.total, bing.counts.overdue, bing.counts.not_due),
        (4, 1, 3)
    );
    let loose = r.groups.last().unwrap();
    assert!(loose.ungrouped && loose.tasks == 2, "{loose:?}");
    // 三.1：两个街道各报 3 个季度；三.2：区司法局办理方案 + 3 个季度。
    assert_eq!(loose.counts.total, 2 * 3 + 4);
    let three = r.chapters.iter().find(|c| c.key == "三（一）").unwrap();
    assert_eq!(three.counts.total, 10);
    let two: usize = r.chapters.iter().map(|c| c.counts.total).sum();
    let grouped: usize = r.groups.iter().map(|g| g.counts.total).sum();
    assert_eq!(two, grouped, "章与组是同一批（单位×任务）的两种分法");
}

#[test]
fn overdue_list_is_in_catalogue_order() {
    let r = report(Submissions::default(), "2023-03-01");
    let list: Vec<(String, String)> = r
        .overdue()
        .iter()
        .map(|(u, o)| (u.unit.clone(), short_what(&o.what)))
        .collect();
    // 任务 1 起：区发改局（总体办理方案、附表2 都从任务 1 排起），任务 2 的区商务局，……
    assert_eq!(list[0].0, "区发改局");
    let pos = |u: &str, w: &str| {
        list.iter()
            .position(|(a, b)| a == u && b.starts_with(w))
            .unwrap()
    };
    assert!(pos("区商务局", "办理方案") < pos("区住建局", "总体办理方案"));
    assert!(pos("区住建局", "总体办理方案") < pos("区民政局", "办理方案"));
    assert!(
        pos("区民政局", "办理方案") < pos("区司法局", "办理方案"),
        "{list:?}"
    );
}

#[test]
fn json_export_is_stable() {
    let r = report(subs_of(&[CONTACTS]), "2023-02-16");
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["format"], "duban-status");
    assert_eq!(v["version"], 1);
    assert_eq!(v["as_of"], "2023-02-16");
    let o = &v["units"][2]["obligations"][0];
    assert_eq!(o["kind"], "contacts");
    assert_eq!(o["state"], "on_time");
    assert_eq!(o["colour"], "green");
    assert_eq!(o["deadline"], "2023-02-15");
    assert_eq!(o["received"], "2023-02-14");
    assert!(o.get("order").is_none());
    // 顶层字段的顺序固定（导出文本里的先后）。
    let text = r.to_json();
    let at: Vec<usize> = [
        "format",
        "version",
        "title",
        "as_of",
        "due_soon_days",
        "samples",
        "totals",
        "percent",
        "units_overdue",
        "units",
        "chapters",
        "groups",
        "deadlines",
    ]
    .iter()
    .map(|k| {
        text.find(&format!("\n  \"{k}\": "))
            .unwrap_or_else(|| panic!("{k}"))
    })
    .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_eq!(
        r.to_json(),
        report(subs_of(&[CONTACTS]), "2023-02-16").to_json()
    );
}

#[test]
fn terminal_table_colours_only_when_asked() {
    let r = report(subs_of(&[CONTACTS]), "2023-02-16");
    let plain = table::render(&r, false);
    assert!(!plain.contains('\x1b'));
    assert!(
        plain.starts_with("截至2023年2月16日：8 个单位应报"),
        "{plain}"
    );
    assert!(
        plain.lines().any(|l| l.starts_with("区财政局 ")
            && l.contains("督办工作人员名单（附表2）")
            && l.ends_with("已报送（按时）")),
        "{plain}"
    );
    assert!(plain.contains("未报送（逾期1天）"), "{plain}");
    assert!(
        plain.contains("\n按章（按单位×任务计）\n")
            && plain.contains("\n按任务组（按单位×任务计）\n")
    );
    let coloured = table::render(&r, true);
    assert!(coloured.contains("\x1b[31m未报送（逾期1天）\x1b[0m"));
    assert!(coloured.contains("\x1b[32m已报送（按时）\x1b[0m"));
}

#[test]
fn workbook_is_deterministic_and_has_sheets() {
    let r = report(subs_of(&[CONTACTS]), "2023-02-16");
    let a = xlsx::workbook(&r, "区人民政府办公室").unwrap();
    assert_eq!(
        a,
        xlsx::workbook(&r, "区人民政府办公室").unwrap(),
        "同输入同字节"
    );
    assert_eq!(&a[..2], b"PK");
}

#[test]
fn html_page_is_self_contained() {
    let r = report(subs_of(&[CONTACTS]), "2023-02-16");
    let page = html::page(&r, "区人民政府办公室");
    for banned in [
        "<script src",
        "<link",
        "@import",
        "url(",
        "http://",
        "https://",
    ] {
        let bad = page
            .lines()
            .filter(|l| l.contains(banned) && !l.contains("http://www.w3.org/2000/svg"))
            .count();
        assert_eq!(bad, 0, "不引用外部资源：{banned}");
    }
    assert_eq!(page.matches("data-chart=").count(), 3);
    assert!(page.matches("<tr class=").count() >= r.units.len());
    assert!(page.contains(r#"data-unit="区财政局""#));
    assert!(page.contains(r#"id="status-data""#));
}

#[test]
fn bulletin_counts_and_overdue_list() {
    let r = report(subs_of(&[CONTACTS]), "2023-02-16");
    let v = bulletin::view(
        &r,
        &crate::config::Config::default(),
        "区人民政府办公室",
        "x@y",
    );
    assert_eq!(v.units, 8);
    assert_eq!(v.overdue_count, r.totals.overdue);
    assert_eq!(v.overdue.len(), r.totals.overdue);
    assert_eq!(v.overdue[0].unit, "区发改局");
    assert_eq!(v.overdue[0].deadline, "2023年2月15日（逾期1天）");
    assert_eq!(v.new_deadline, "2023年2月21日");
    let mut t = tera::Tera::default();
    t.add_raw_templates(crate::templates::BUILTIN.iter().copied())
        .unwrap();
    let md = t
        .render(
            bulletin::BULLETIN_TEMPLATE,
            &tera::Context::from_serialize(&v).unwrap(),
        )
        .unwrap();
    assert!(md.trim_start().starts_with("# 督办情况通报"), "{md}");
    assert!(
        md.contains("| 区发改局 | 督办工作人员名单（附表2） | 2023年2月15日（逾期1天） |"),
        "{md}"
    );
    assert!(
        md.contains("| 2023年2月15日 | 办理方案（附表1）、督办工作人员名单（附表2） | 应报"),
        "{md}"
    );
    let none = report(Submissions::default(), "2023-02-01");
    let v = bulletin::view(
        &none,
        &crate::config::Config::default(),
        "区人民政府办公室",
        "x@y",
    );
    let md = t
        .render(
            bulletin::BULLETIN_TEMPLATE,
            &tera::Context::from_serialize(&v).unwrap(),
        )
        .unwrap();
    assert!(md.contains("没有逾期未报送的材料"), "{md}");
}
