//! `duban report`：季度完成情况汇总表（PDF 文字与 XLSX 单元格），与 build 的文件互不删除。

use crate::support::{self, copy_fixture_project, duban, halfwidth, pdftotext, squash};
use calamine::{open_workbook, Data, Reader, Xlsx};

const STEM: &str = "汇总/2023年第二季度《政府工作报告》目标任务完成情况汇总表";

#[test]
fn quarterly_report_pdf_and_xlsx() {
    let dir = support::temp_dir("report");
    let cfg = copy_fixture_project(&dir.join("project"), &|_, b| b);
    // 区住建局 7月22日报来第 3 项（逾期 2 天）。
    std::fs::write(
        dir.join("project/content/submissions/区住建局-完成情况.toml"),
        "unit = \"区住建局\"\nform = \"完成情况\"\nquarter = \"2023Q2\"\nreceived = \"2023-07-22\"\n[[task]]\nid = \"3\"\nstatus = \"住建局报来的第三项进展\"\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (c, o) = (cfg.to_str().unwrap(), out.to_str().unwrap());
    let b = duban(&["-c", c, "build", "--out", o, "--no-pdf"]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let r = duban(&[
        "-c",
        c,
        "report",
        "2023Q2",
        "--as-of",
        "2023-07-25",
        "--out",
        o,
    ]);
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(
        r.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(stdout.contains("截至2023年7月25日"), "{stdout}");

    let cat = support::catalogue();
    // PDF 印的是全角标点，任务目录保留原文：比较前换回半角。
    let pdf = halfwidth(&squash(&pdftotext(
        &out.join(format!("{STEM}.pdf")),
        &["-raw"],
    )));
    assert!(pdf.contains("2023年第二季度《政府工作报告》目标任务完成情况汇总表"));
    // 每项任务按目录顺序出现，正文一字不差（去空白比较）。
    let mut at = 0;
    for t in &cat.tasks {
        let text = squash(&t.text);
        let head: String = text.chars().take(20).collect();
        let found = pdf[at..]
            .find(&head)
            .unwrap_or_else(|| panic!("任务 {} 缺或顺序不对", t.id));
        at += found;
    }
    assert!(
        pdf.contains("住建局报来的第三项进展") && pdf.contains("逾期2天"),
        "{pdf}"
    );
    assert!(pdf.contains("未报送(逾期5天)"));

    let mut wb: Xlsx<_> = open_workbook(out.join(format!("{STEM}.xlsx"))).unwrap();
    let rows = wb.worksheet_range("完成情况").unwrap();
    let cells: Vec<Vec<String>> = rows
        .rows()
        .map(|r| r.iter().map(|d: &Data| d.to_string()).collect())
        .collect();
    assert_eq!(
        cells[0],
        ["序号", "责任事项", "报送单位", "完成情况", "报送情况"]
    );
    let row3: Vec<&Vec<String>> = cells.iter().filter(|r| r[2] == "区住建局").collect();
    assert_eq!(row3[0][3], "住建局报来的第三项进展");
    assert_eq!(row3[0][4], "逾期2天");
    let summary = wb.worksheet_range("汇总").unwrap();
    let total: Vec<String> = summary
        .rows()
        .find(|r| r[0].to_string() == "合计")
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(total[1], cat.tasks.len().to_string());

    // 再次 build 不删汇总表；汇总表列在文件清单里。
    let b = duban(&["-c", c, "build", "--out", o, "--no-pdf"]);
    assert!(b.status.success());
    assert!(out.join(format!("{STEM}.pdf")).exists());
    let csv = std::fs::read_to_string(out.join("文件清单.csv")).unwrap();
    assert!(csv.contains(&format!("{STEM}.xlsx")), "{csv}");
}

#[test]
fn report_refuses_quarter_outside_schedule() {
    let cfg = support::fixture("build/duban.toml");
    let dir = support::temp_dir("report-q1");
    let o = duban(&[
        "-c",
        cfg.to_str().unwrap(),
        "report",
        "2023Q1",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("2023Q1 不是需报完成情况的季度") && err.contains("2023Q2"),
        "{err}"
    );
}
