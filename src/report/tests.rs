//! 汇总模型：各状态（按时、逾期、未记日期、未报送、未到期）、部分报送、分段与计数。

use super::*;
use crate::duties::tests::sample;
use crate::project::test_project;
use crate::submissions::{parse_str, Submissions};

/// 样例目录（甲组 1、2 由区发改局总牵头；乙组 3 两家共同总牵头；丙组 4 无总牵头，区民政局报；
/// 三.1 由各街道办事处各自报；三.2 区司法局报）。
fn project(texts: &[&str]) -> Project {
    let (cat, reg) = sample();
    let mut d = crate::diag::Diagnostics::new();
    let files = texts
        .iter()
        .map(|t| parse_str(t, "x.toml", &reg, &cat, &mut d).unwrap())
        .collect();
    assert!(d.is_empty(), "{:?}", d.sorted());
    test_project(
        cat,
        reg,
        Submissions {
            files,
            ..Default::default()
        },
    )
}

fn q(s: &str) -> Quarter {
    Quarter::parse(s).unwrap()
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn quarterly(unit: &str, received: &str, ids: &[&str]) -> String {
    let mut s = format!("unit = \"{unit}\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n");
    if !received.is_empty() {
        s.push_str(&format!("received = \"{received}\"\n"));
    }
    for id in ids {
        s.push_str(&format!(
            "[[task]]\nid = \"{id}\"\nstatus = \"{unit}的{id}进展\"\n"
        ));
    }
    s
}

fn states(r: &QuarterReport, id: &str) -> Vec<(String, State)> {
    r.sections
        .iter()
        .flat_map(|s| &s.tasks)
        .find(|t| t.id == id)
        .unwrap()
        .entries
        .iter()
        .map(|e| (e.unit.clone(), e.state))
        .collect()
}

#[test]
fn states_around_the_deadline() {
    // 区发改局 7月20日（当天）报 1、2；区住建局 7月22日报 3（逾期 2 天）；区民政局没写收到日期。
    let p = project(&[
        &quarterly("区发改局", "2023-07-20", &["1", "2"]),
        &quarterly("区住建局", "2023-07-22", &["3"]),
        &quarterly("区民政局", "", &["4"]),
    ]);
    let r = build(&p, q("2023Q2"), day("2023-07-25")).unwrap();
    assert_eq!(r.due, day("2023-07-20"));
    assert_eq!(states(&r, "1"), [("区发改局".to_string(), State::OnTime)]);
    // 乙组两家共同总牵头：各自一行；区发改局没报第 3 项。
    assert_eq!(
        states(&r, "3"),
        [
            ("区发改局".to_string(), State::Missing(5)),
            ("区住建局".to_string(), State::Late(2))
        ]
    );
    assert_eq!(states(&r, "4"), [("区民政局".to_string(), State::Undated)]);
    // 三.1 各街道各自报，都没报。
    assert_eq!(
        states(&r, "三.1").iter().map(|x| x.1).collect::<Vec<_>>(),
        [State::Missing(5), State::Missing(5)]
    );
    let t = r.total;
    assert_eq!(
        (t.tasks, t.reported, t.on_time, t.late, t.undated, t.partial, t.missing),
        (6, 3, 2, 0, 1, 1, 2),
        "{t:?}"
    );
    // 截止日前汇总：没报的是“未到期（剩N天）”。
    let early = build(&p, q("2023Q2"), day("2023-07-17")).unwrap();
    assert_eq!(
        states(&early, "三.2"),
        [("区司法局".to_string(), State::NotDue(3))]
    );
    assert_eq!(State::NotDue(3).label(), "未到期（剩3天）");
    assert_eq!(State::Missing(5).label(), "未报送（逾期5天）");
    // 第四季度次年 1 月 20 日截止；不在需报季度内的没有汇总。
    assert_eq!(
        build(&p, q("2023Q4"), day("2024-01-21")).unwrap().due,
        day("2024-01-20")
    );
    assert!(build(&p, q("2023Q1"), day("2023-04-25")).is_none());
}

#[test]
fn sections_follow_catalogue_with_group_leads() {
    let p = project(&[]);
    let r = build(&p, q("2023Q3"), day("2023-10-21")).unwrap();
    let names: Vec<(&str, &str)> = r
        .sections
        .iter()
        .map(|s| (s.group.as_str(), s.overall_leads.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("甲组", "区发改局"),
            ("乙组", "区发改局、区住建局"),
            ("丙组", ""),
            ("", "")
        ]
    );
    let ids: Vec<&str> = r
        .sections
        .iter()
        .flat_map(|s| &s.tasks)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "三.1", "三.2"]);
    assert_eq!(r.by_section.iter().map(|t| t.tasks).sum::<usize>(), 6);
    assert_eq!(r.total.missing, 6);
}

#[test]
fn missing_entries_print_in_red() {
    use crate::typeset::{Block, Style};
    let p = project(&[&quarterly("区民政局", "2023-07-10", &["4"])]);
    let r = build(&p, q("2023Q2"), day("2023-08-01")).unwrap();
    let doc = render::to_document(&r, Default::default());
    let Block::Table(t) = &doc.sections[1].blocks[0] else {
        panic!("第二节应是逐项表");
    };
    let styled = |text: &str| -> Vec<Style> {
        t.rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.text.starts_with(text))
            .map(|c| c.style)
            .collect()
    };
    // 报了的一项正文字体；没报的“未报送”和“未报送（逾期N天）”都是红字。
    assert_eq!(styled("区民政局的4进展"), [Style::Body]);
    let missing = styled("未报送");
    assert!(!missing.is_empty());
    assert!(missing.iter().all(|s| *s == Style::Alert), "{missing:?}");
}
