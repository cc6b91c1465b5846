//! `duban status`：夹具 tests/fixtures/status（带收到日期的报送）在各截止日前后的状态、JSON 导出、
//! XLSX 的红黄绿、督办情况通报 PDF、没有日期时取北京时间、`build` 不再需要 `today`。

use crate::support::{self, pdftotext, squash};
use calamine::{open_workbook, Reader, Xlsx};
use serde_json::Value;

fn cfg() -> String {
    support::fixture("status/duban.toml")
        .to_str()
        .unwrap()
        .to_string()
}

/// `duban -c 夹具 status <args>`，要求成功，返回（标准输出，标准错误）。
fn status(args: &[&str]) -> (String, String) {
    let cfg = cfg();
    let mut all = vec!["-c", cfg.as_str(), "status"];
    all.extend_from_slice(args);
    let o = support::duban(&all);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    (out, err)
}

/// 某天的 JSON 导出。
pub fn json(as_of: &str) -> Value {
    let (out, _) = status(&["--as-of", as_of, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

/// JSON 中某单位某事项（`kind`，季报再加季度）的（state, days）。
fn state(v: &Value, unit: &str, kind: &str, quarter: Option<&str>) -> (String, i64) {
    let u = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == unit)
        .unwrap_or_else(|| panic!("没有 {unit}"));
    let o = u["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == kind && quarter.is_none_or(|q| o["quarter"] == q))
        .unwrap_or_else(|| panic!("{unit} 没有 {kind}"));
    (
        o["state"].as_str().unwrap().into(),
        o["days"].as_i64().unwrap(),
    )
}

#[test]
fn states_around_each_deadline_from_the_command_line() {
    // （日期, 单位, 事项种类, 季度, 期望状态, 天数）
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a str, i64);
    let cases: &[Case] = &[
        // 附表2，2月15日截止；区财政局 2月18日收到。
        ("2023-02-07", "区财政局", "contacts", None, "not_due", 8),
        ("2023-02-08", "区财政局", "contacts", None, "due_soon", 7),
        ("2023-02-15", "区财政局", "contacts", None, "due_soon", 0),
        ("2023-02-16", "区财政局", "contacts", None, "overdue", 1),
        ("2023-02-18", "区财政局", "contacts", None, "late", 3),
        // 办理方案报总牵头单位，2月15日；区商务局 2月14日收到。
        ("2023-02-13", "区商务局", "plan", None, "due_soon", 2),
        ("2023-02-14", "区商务局", "plan", None, "on_time", 0),
        // 无总牵头单位的组：办理方案报区政府办公室，2月23日；区民政局当天收到。
        ("2023-02-22", "区民政局", "office_plan", None, "due_soon", 1),
        ("2023-02-23", "区民政局", "office_plan", None, "on_time", 0),
        ("2023-02-24", "区司法局", "office_plan", None, "overdue", 1),
        // 两个总牵头单位的组：区住建局 2月20日只报了任务 3，2月23日截止。
        (
            "2023-02-20",
            "区住建局",
            "overall_plan",
            None,
            "due_soon",
            3,
        ),
        ("2023-02-24", "区住建局", "overall_plan", None, "overdue", 1),
        // 季报：7月20日、10月20日、次年1月20日。
        (
            "2023-07-20",
            "区发改局",
            "quarterly",
            Some("2023Q2"),
            "due_soon",
            0,
        ),
        (
            "2023-07-21",
            "区发改局",
            "quarterly",
            Some("2023Q2"),
            "overdue",
            1,
        ),
        (
            "2023-10-21",
            "区民政局",
            "quarterly",
            Some("2023Q3"),
            "overdue",
            1,
        ),
        // 第三部分只有责任单位的条目，第四季度：郑店 1月19日报了，金口没报。
        (
            "2024-01-19",
            "郑店街道办事处",
            "quarterly",
            Some("2023Q4"),
            "on_time",
            0,
        ),
        (
            "2024-01-13",
            "金口街道办事处",
            "quarterly",
            Some("2023Q4"),
            "due_soon",
            7,
        ),
        (
            "2024-01-21",
            "金口街道办事处",
            "quarterly",
            Some("2023Q4"),
            "overdue",
            1,
        ),
    ];
    let mut dates: Vec<&str> = cases.iter().map(|c| c.0).collect();
    dates.dedup();
    let by_date: Vec<(&str, Value)> = dates.iter().map(|d| (*d, json(d))).collect();
    for (day, unit, kind, q, want, days) in cases {
        let v = &by_date.iter().find(|(d, _)| d == day).unwrap().1;
        assert_eq!(
            state(v, unit, kind, *q),
            (want.to_string(), *days),
            "{day} {unit} {kind} {q:?}"
        );
    }
}

#[test]
fn table_names_each_state_and_partial_tasks() {
    let (out, err) = status(&["--as-of", "2023-02-24"]);
    assert!(
        err.starts_with("日期：2023年2月24日（来自 --as-of）"),
        "{err}"
    );
    assert!(out.starts_with("截至2023年2月24日：8 个单位应报 31 项，已报送 4 项（按时 2，逾期报送 1，未记收到日期 1），逾期未报 9 项"), "{out}");
    let line = |unit_row: &str, what: &str| -> String {
        // 单位名只印在它的第一行：找到单位所在处，再往下找事项。
        let from = out
            .find(&format!("\n{unit_row} "))
            .unwrap_or_else(|| panic!("{unit_row}"));
        out[from..]
            .lines()
            .find(|l| l.contains(what))
            .unwrap()
            .to_string()
    };
    assert!(line("区商务局", "办理方案（附表1）").ends_with("已报送（按时）"));
    assert!(line("区财政局", "附表2").ends_with("已报送（逾期3天）"));
    assert!(line("区司法局", "附表2").ends_with("已报送"));
    assert!(line("区住建局", "总体办理方案").ends_with("部分报送（逾期1天），尚缺第4项"));
    assert!(line("区发改局", "总体办理方案").ends_with("部分报送（逾期1天），尚缺第1、2、4项"));
    assert!(line("区民政局", "2023年第二季度").ends_with("未到期（剩146天）"));
    // 统计：按单位、章、任务组（无总牵头单位的组写明）、截止日期。
    assert!(out.contains("\n提高社会保障水平"), "{out}");
    assert!(out.contains("（无总牵头单位）"), "{out}");
    assert!(out.contains("区发改局、区住建局"), "{out}");
    assert!(out.contains("不属任务组的任务"), "{out}");
    assert!(
        out.contains("\n2024-01-20  2023年第四季度完成情况（附表3）"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "管道里不着色");
    // --unit 只看一个单位（别名也行）。
    let (out, _) = status(&["--as-of", "2023-02-24", "--unit", "区住建局"]);
    assert!(
        out.starts_with("截至2023年2月24日：1 个单位应报 5 项"),
        "{out}"
    );
}

#[test]
fn without_any_date_uses_china_standard_time() {
    let cst = || {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        duban::date::china_date(secs).to_string()
    };
    let before = cst();
    let (out, err) = status(&["--format", "json"]);
    let after = cst();
    let v: Value = serde_json::from_str(&out).unwrap();
    let got = v["as_of"].as_str().unwrap();
    assert!(
        got == before || got == after,
        "{got} 不是北京时间的今天（{before}）"
    );
    assert!(err.starts_with("日期："), "日期在第一行：{err}");
    assert!(
        err.lines()
            .next()
            .unwrap()
            .contains("（来自 系统时钟（北京时间））"),
        "{err}"
    );
    // SOURCE_DATE_EPOCH 仍优先于时钟（测试和基准用它注入日期）。1706889600 = 2024-02-02 16:00 UTC
    // = 2024-02-03 北京时间，但 SOURCE_DATE_EPOCH 按 UTC 取日期（可复现构建的约定）。
    let cfg = cfg();
    let o = support::duban_with(
        &["-c", &cfg, "status", "--format", "json"],
        &[("SOURCE_DATE_EPOCH", "1706889600")],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["as_of"], "2024-02-02");
}

#[test]
fn build_runs_without_today_in_config_and_prints_the_date_first() {
    let out = support::temp_dir("status-build-today").join("out");
    let cfg = cfg();
    let o = support::duban(&[
        "-c",
        &cfg,
        "build",
        "--out",
        out.to_str().unwrap(),
        "--no-pdf",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.lines().next().unwrap().starts_with("日期：") && err.contains("系统时钟（北京时间）"),
        "{err}"
    );
    assert!(!out.join("区商务局").read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("催报")));
}

#[test]
fn samples_are_reported_every_run() {
    // 随附项目：示例数据不算、不填，每次都说。
    let o = support::duban(&["status", "--as-of", "2023-02-16", "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("示例报送数据未使用：区发改局-完成情况-2023Q2.toml、区发改局-工作人员名单.toml、区商务局-办理方案.toml"), "{err}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["samples"]["counted"], false);
    assert_eq!(
        state(&v, "区发改局", "contacts", None),
        ("overdue".into(), 1)
    );
    // build 夹具写了 count_samples = true：说“使用了”，并算作已报送。
    let cfg = support::fixture("build/duban.toml");
    let o = support::duban(&["-c", cfg.to_str().unwrap(), "status", "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("使用了示例报送数据：区发改局-完成情况-2023Q2.toml"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["samples"]["counted"], true);
    assert_eq!(v["samples"]["files"][0], "区发改局-完成情况-2023Q2.toml");
    assert_eq!(state(&v, "区发改局", "contacts", None).0, "submitted");
}

#[test]
fn xlsx_has_sheets_colours_and_same_bytes() {
    let dir = support::temp_dir("status-xlsx");
    let (a, b) = (dir.join("a.xlsx"), dir.join("b.xlsx"));
    for p in [&a, &b] {
        status(&[
            "--as-of",
            "2023-02-24",
            "--format",
            "xlsx",
            "-o",
            p.to_str().unwrap(),
        ]);
    }
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "同输入同字节"
    );
    let mut wb: Xlsx<_> = open_workbook(&a).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["汇总", "明细", "按单位", "按章", "按任务组"]
    );
    let detail = wb.worksheet_range("明细").unwrap();
    let v = json("2023-02-24");
    let total = v["totals"]["total"].as_u64().unwrap() as usize;
    assert_eq!(detail.height(), 2 + total, "标题、表头与每项一行");
    let rows: Vec<Vec<String>> = detail
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let row = rows
        .iter()
        .find(|r| r[0] == "区住建局" && r[2].starts_with("总体办理方案"))
        .unwrap();
    assert_eq!(row[5], "部分报送（逾期1天）");
    assert_eq!(row[8], "第4项");
    // 红黄绿底色在样式表里（Excel 的“差/中性/好”配色）。
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    for c in ["FFFFC7CE", "FFC6EFCE"] {
        assert!(styles.contains(c), "缺底色 {c}");
    }
}

#[test]
fn bulletin_pdf_lists_overdue_in_catalogue_order() {
    let dir = support::temp_dir("status-bulletin");
    let pdf = dir.join("通报.pdf");
    let (_, err) = status(&[
        "--as-of",
        "2023-02-24",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        err.lines()
            .any(|l| l.starts_with("督办情况通报 ") && l.ends_with(" 页")),
        "{err}"
    );
    let t = squash(&pdftotext(&pdf, &["-raw"]));
    assert!(t.starts_with("督办情况通报各有关单位："), "{t}");
    assert!(
        t.contains("截至2023年2月24日，8个单位共应报送材料31项"),
        "{t}"
    );
    assert!(
        t.contains("已报送4项（按时报送2项、逾期报送1项、未记收到日期1项）"),
        "{t}"
    );
    assert!(t.contains("逾期未报送9项，涉及7个单位"), "{t}");
    // 逾期清单按任务目录顺序：任务 1 起（区发改局），任务 2 的区商务局，……第三部分的区司法局最后。
    let order = [
        "区发改局督办工作人员名单",
        "区商务局督办工作人员名单",
        "区住建局总体办理方案",
        "区民政局督办工作人员名单",
        "区司法局办理方案",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|w| t.find(w).unwrap_or_else(|| panic!("缺“{w}”：{t}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}\n{t}");
    assert!(
        t.contains("总体办理方案（尚缺第4项）2023年2月23日（逾期1天）"),
        "{t}"
    );
    assert!(t.contains("于2023年3月1日前补报"), "{t}");
    assert!(
        t.contains("联系人：王某某，联系电话：027-87654321。"),
        "{t}"
    );
}
