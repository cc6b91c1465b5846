//! 解析单份报送文件的测试（也供 `load`、`received`、`write` 与模型的测试使用）。
use super::*;
use crate::duties::tests::sample;
use crate::submissions::Submissions;

/// 用示例目录与登记册解析一段文本（也供 `load`、模型的测试使用）。
pub(crate) fn parse(text: &str) -> (Option<Submission>, Diagnostics) {
    let (cat, reg) = sample();
    let mut d = Diagnostics::new();
    let s = parse_str(text, "s.toml", &reg, &cat, &mut d);
    (s, d)
}

pub(crate) const PLAN: &str = r#"unit = "区商务局"
form = "办理方案"
sample = true

[[task]]
id = "2"
[[task.row]]
content = "制定方案"
month = 3
leader = "分管副局长"
department = "综合科"
[[task.row]]
content = "推进落实"
month = 13
"#;

/// 一万字的内容照常收下；超过 Excel 单元格上限的报错并指出行号（否则生成 XLSX 时才失败）。
#[test]
fn overlong_cell_text_is_reported_with_line() {
    let long = |n: usize| {
        PLAN.replace("制定方案", &"长".repeat(n))
            .replace("13", "12")
    };
    let (s, d) = parse(&long(10_000));
    assert!(d.is_empty(), "{:?}", d.sorted());
    assert_eq!(s.unwrap().plan[0].rows[0].content.chars().count(), 10_000);
    let (s, d) = parse(&long(40_000));
    let errs = d.sorted();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].line, 7, "[[task.row]] 所在行");
    assert!(errs[0].message.contains("40000 字"), "{}", errs[0]);
    assert_eq!(
        s.unwrap().plan[0].rows[0].content.chars().count(),
        40_000,
        "不截断"
    );
}

/// 收到日期：字符串或 TOML 日期都认；写错的报错（行号）并当作未记日期，内容照收。
#[test]
fn received_date_string_or_toml_date() {
    let (s, d) = parse(&format!("received = \"2023-02-14\"\n{PLAN}").replace("13", "12"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    assert_eq!(s.unwrap().received.unwrap().to_string(), "2023-02-14");
    let (s, _) = parse(&format!("received = 2023-02-15\n{PLAN}"));
    assert_eq!(s.unwrap().received.unwrap().to_string(), "2023-02-15");
    let (s, d) = parse(&format!("received = \"2023-02-30\"\n{PLAN}").replace("13", "12"));
    assert_eq!(s.unwrap().received, None);
    let e = d.sorted();
    assert_eq!((e.len(), e[0].line), (1, 1), "{e:?}");
    assert!(e[0].message.contains("received"), "{}", e[0]);
}

#[test]
fn plan_is_kept_verbatim_and_bad_month_reported() {
    let (s, d) = parse(PLAN);
    let s = s.unwrap();
    assert_eq!(s.unit, "区商务局");
    assert!(s.sample);
    assert_eq!(s.plan[0].rows.len(), 2);
    assert_eq!(s.plan[0].rows[1].month, Some(13), "不改写");
    assert_eq!(s.plan[0].rows[1].month_label(), "13月");
    let errs: Vec<_> = d.sorted();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].line, 14);
    assert!(errs[0].message.contains("1–12"));
    assert!(errs[0].hint.is_some());
}

/// month 接受 XLSX 下拉给的“5月”、全角、带年份的写法和 TOML 日期；不是月份的报错（行号）并按未填处理。
#[test]
fn month_accepts_dropdown_text_and_dates() {
    let with = |v: &str| {
        PLAN.replace("month = 3", &format!("month = {v}"))
            .replace("13", "12")
    };
    for (v, want) in [
        ("\"5月\"", 5),
        ("\"５月\"", 5),
        ("\"5\"", 5),
        ("\"2023年5月\"", 5),
        ("2023-05-31", 5),
        ("5", 5),
    ] {
        let (s, d) = parse(&with(v));
        assert!(d.is_empty(), "{v}: {:?}", d.sorted());
        assert_eq!(s.unwrap().plan[0].rows[0].month, Some(want), "{v}");
    }
    let (s, d) = parse(&with("\"下半年\""));
    assert_eq!(s.unwrap().plan[0].rows[0].month, None);
    let e = d.sorted();
    assert_eq!((e.len(), e[0].line), (1, 9), "{e:?}");
    assert_eq!(e[0].message, "任务 2 的完成时间“下半年”不是月份");
    let (_, d) = parse(&with("\"5-6月\""));
    assert!(
        d.sorted()[0].message.contains("只能填一个月份"),
        "{:?}",
        d.sorted()
    );
}

#[test]
fn unknown_unit_and_task_reported_with_lines() {
    let text = "unit = \"区不存在局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"999\"\nstatus = \"已完成\"\n";
    let (s, d) = parse(text);
    let s = s.unwrap();
    assert!(!s.unit_known);
    assert!(!s.statuses[0].known);
    assert_eq!(s.statuses[0].text, "已完成");
    let v = d.sorted();
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!((v[0].line, v[1].line), (1, 5));
    assert!(v[0].message.contains("未知单位"));
    assert!(v[1].message.contains("999"));
}

#[test]
fn missing_fields_and_syntax_errors() {
    let (_, d) = parse("unit = \"区商务局\"\nform = \"办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\nleader = \"x\"\n");
    let msgs: Vec<String> = d.iter().map(|x| x.message.clone()).collect();
    assert!(msgs.iter().any(|m| m.contains("content")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("month")), "{msgs:?}");
    let (s, d) = parse("unit = \"区商务局\"\nform = \"办理方案\"\nmonht = 3\n");
    assert!(s.is_none());
    assert_eq!(d.sorted()[0].line, 3);
    let (_, d) =
        parse("unit = \"区商务局\"\nform = \"工作人员名单\"\n[leader]\nname = \"示例姓名\"\n");
    assert_eq!(d.errors(), 2, "office_head 与 clerk 缺姓名");
    let (_, d) = parse("unit = \"区商务局\"\nform = \"完成情况\"\n");
    assert!(d.iter().any(|x| x.message.contains("quarter")));
}

#[test]
fn overall_plan_form_with_lead_per_row() {
    let text = "unit = \"区发改局\"\nform = \"总体办理方案\"\n[[task]]\nid = \"2\"\n[[task.row]]\ncontent = \"甲\"\nmonth = 3\nlead = \"区商务局\"\n[[task.row]]\ncontent = \"乙\"\nmonth = 4\nlead = \"区不存在局\"\n";
    let (s, d) = parse(text);
    let s = s.unwrap();
    assert_eq!(s.form, FormKind::OverallPlan);
    assert_eq!(s.plan[0].rows[0].lead, "区商务局");
    assert_eq!(s.plan[0].rows[1].lead, "区不存在局", "原样保存");
    let v = d.sorted();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 12);
    assert!(v[0].message.contains("区不存在局"));
    let subs = Submissions {
        files: vec![s],
        ..Default::default()
    };
    assert!(subs.has_plan_rows("区发改局", "2", true));
    assert!(
        !subs.has_plan_rows("区发改局", "2", false),
        "总体办理方案不是本单位的办理方案"
    );
    assert!(subs.plan("区发改局").is_none());
    // 牵头单位是群体短语（登记册中的 [[group]]）也认。
    let (_, d) = parse(&text.replace("区不存在局", "各街道办事处"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    // 办理方案里写 lead：报错、原样保存。
    let (s, d) = parse(&PLAN.replace(
        "department = \"综合科\"",
        "department = \"综合科\"\nlead = \"区发改局\"",
    ));
    assert_eq!(s.unwrap().plan[0].rows[0].lead, "区发改局");
    assert!(d.iter().any(|x| x.message.contains("写了 lead")), "{d:?}");
}

proptest::proptest! {
    /// 任意文本都不会让解析崩溃；能解析的内容全部保留。
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn arbitrary_status_kept_verbatim(status in "[^\"\\\\\\p{Cc}]{1,60}") {
        let text = format!("unit = \"区发改局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\n[[task]]\nid = \"1\"\nstatus = \"{status}\"\n");
        let (s, _) = parse(&text);
        proptest::prop_assert_eq!(&s.unwrap().statuses[0].text, &status);
    }
}
