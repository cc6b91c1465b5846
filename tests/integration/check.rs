//! `duban check`：完整加载与校验（含报送数据与分工），不生成文件。

use crate::support;
use std::process::Command;

#[test]
fn check_reports_bad_submission_with_location_and_hint() {
    let cfg = support::fixture("check/duban.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(["-c", cfg.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{stderr}");
    let file = "check/submissions/区商务局-办理方案.toml";
    // 每条：文件:行、中文说明、提示行。
    let expect = [
        (6, "任务目录中没有序号为“99”的任务", "对照 duban catalogue"),
        (17, "完成时间 month = 13 不在 1–12 之间", "按月填写"),
        (19, "缺少必填项 content（具体工作内容）", "写 content"),
        (19, "缺少必填项 month（完成时间）", "写 month"),
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    let mut at = Vec::new();
    for (line, msg, hint) in expect {
        let head = format!("{file}:{line}：");
        let i = lines
            .iter()
            .position(|l| l.starts_with("错误：") && l.contains(&head) && l.contains(msg))
            .unwrap_or_else(|| panic!("缺 {head}{msg}：\n{stderr}"));
        assert!(
            lines[i + 1].trim_start().starts_with("提示：") && lines[i + 1].contains(hint),
            "{}",
            lines[i + 1]
        );
        at.push(i);
    }
    // 按位置排序。
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}\n{stderr}");
    // 分工的诊断（无成员的群体短语）一起报告；每条只报一次。
    assert_eq!(
        stderr
            .matches("“区人民政府各部门”在单位登记册中没有列出成员")
            .count(),
        1,
        "{stderr}"
    );
    let diag_lines: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("错误：") || l.starts_with("警告："))
        .collect();
    let mut uniq = diag_lines.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), diag_lines.len(), "{stderr}");
    // 另一条警告：示例报送数据（sample = true）未使用。
    assert!(
        stdout.contains("报送文件 2 份，错误 4 条，警告 2 条"),
        "{stdout}"
    );
    assert!(
        stderr.contains("示例报送数据未使用：区发改局-工作人员名单.toml"),
        "{stderr}"
    );
    // 不生成文件。
    assert!(!support::fixture("check/out").exists());
}
