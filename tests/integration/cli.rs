//! 命令行基本行为。

use crate::support::duban_cmd as duban;
use std::process::Command;

#[test]
fn help_is_chinese() {
    let out = duban().arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("督办"), "{text}");
    assert!(text.contains("check"), "{text}");
}

/// 运行 duban，返回（退出码，标准输出，标准错误）。
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = duban().args(args).output().unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// clap 的英文字样一个都不能出现。
fn assert_no_english(text: &str) {
    for w in [
        "Usage",
        "Options",
        "Commands",
        "Arguments",
        "Print",
        "error:",
        "default:",
        "possible",
        "[OPTIONS]",
        "<COMMAND>",
        "tip:",
        "For more",
    ] {
        assert!(!text.contains(w), "出现英文“{w}”：\n{text}");
    }
}

#[test]
fn top_level_help_is_chinese_and_exits_0() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let (code, out, err) = run(args);
        assert_eq!(code, Some(0), "{args:?} {err}");
        assert!(out.contains("用法：duban [选项] <命令>"), "{out}");
        assert!(out.contains("命令:") && out.contains("选项:"), "{out}");
        assert!(
            out.contains("-h, --help") && out.contains("显示帮助"),
            "{out}"
        );
        assert!(
            out.contains("-V, --version") && out.contains("显示版本"),
            "{out}"
        );
        assert!(
            out.contains("help ") && out.contains("duban help build"),
            "{out}"
        );
        assert_no_english(&out);
    }
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.trim(), format!("duban {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn build_help_is_chinese() {
    let (code, out, _) = run(&["build", "--help"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("用法：duban build [选项]"), "{out}");
    for opt in [
        "--unit <单位>",
        "--quarter <季度>",
        "--today <日期>",
        "--out <目录>",
    ] {
        assert!(out.contains(opt), "{opt}\n{out}");
    }
    assert!(out.contains("-c, --config <文件>"), "全局选项也列出：{out}");
    assert_no_english(&out);
    // `duban help build` 与 `duban build --help` 完全相同。
    assert_eq!(run(&["help", "build"]).1, out);
    // 取值列表与默认值写在中文说明里，不用 clap 的英文 [possible values: …]。
    let (_, out, _) = run(&["catalogue", "--help"]);
    assert!(out.contains("table（表格，默认）、json 或 toml"), "{out}");
    assert_no_english(&out);
}

#[test]
fn unknown_subcommand_is_reported_in_chinese_with_suggestion() {
    let (code, out, err) = run(&["biuld"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("未知的子命令“biuld”，你是不是要找“build”？"),
        "{err}"
    );
    assert_no_english(&err);
    // 同样经 `duban help 命令` 报出。
    let (code, _, err) = run(&["help", "biuld"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("未知的子命令“biuld”"), "{err}");
    // 毫不相像的名称：不给建议，但照样中文。
    let (code, _, err) = run(&["打印"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("未知的子命令“打印”") && !err.contains("你是不是"),
        "{err}"
    );
}

#[test]
fn unknown_option_and_bad_values_are_reported_in_chinese() {
    let (code, _, err) = run(&["build", "--quater", "2023Q2"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("未知的选项“--quater”，你是不是要找“--quarter”？"),
        "{err}"
    );
    assert!(err.contains("用法：duban build [选项]"), "{err}");
    assert!(err.contains("duban build --help"), "{err}");
    assert_no_english(&err);

    let (code, _, err) = run(&["catalogue", "--format", "xml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("值“xml”无效，可选：“table”、“json”、“toml”"),
        "{err}"
    );
    let (code, _, err) = run(&["render"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("缺少必需的参数：--output <输出>、<模板>"),
        "{err}"
    );
    let (code, _, err) = run(&["check", "多余"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("多余的参数“多余”"), "{err}");
    // 不带命令：印中文帮助到标准错误，退出码 2。
    let (code, out, err) = run(&[]);
    assert_eq!(code, Some(2));
    assert!(
        out.is_empty() && err.contains("用法：duban [选项] <命令>"),
        "{err}"
    );
}

/// `duban render` 与 `duban build` 对日期的理解一致：SOURCE_DATE_EPOCH 按 UTC 取日期
/// （1677268800 = 2023-02-24 20:00 UTC），不存在的日期报错而不是写进 PDF。
#[test]
fn render_dates_agree_with_build() {
    let dir = std::env::temp_dir().join(format!("duban-it-{}-render-date", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("通知.pdf");
    let o = duban()
        .current_dir(&dir)
        .args(["render", "notice.md.tera", "-o"])
        .arg(&pdf)
        .env("SOURCE_DATE_EPOCH", "1677268800")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let info = crate::support::run_tool(Command::new("pdfinfo").arg("-rawdates").arg(&pdf));
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("CreationDate:    D:20230224"), "{info}");

    let o = duban()
        .current_dir(&dir)
        .args(["render", "notice.md.tera", "--today", "2023-02-31", "-o"])
        .arg(&pdf)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("日期“2023-02-31”不存在"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `duban templates`：列出来源；--export 导出内置模板、不覆盖已有文件；导出并修改后 render 用它。
#[test]
fn templates_are_listed_exported_and_never_overwritten() {
    let dir = crate::support::temp_dir("templates-cmd");
    std::fs::write(dir.join("duban.toml"), "[paths]\ntemplates = \"tpl\"\n").unwrap();
    let cfg = dir.join("duban.toml");
    let cfg = cfg.to_str().unwrap();

    let (code, out, err) = run(&["-c", cfg, "templates"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("reminder.md.tera\t内置"), "{out}");

    let (code, out, err) = run(&["-c", cfg, "templates", "--export", "notice.md.tera"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("已导出"), "{out}");
    let exported = dir.join("tpl/notice.md.tera");
    let text = std::fs::read_to_string(&exported).unwrap();
    let builtin = duban::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "notice.md.tera")
        .unwrap()
        .1;
    assert_eq!(text, builtin);

    // 用户改过的模板不被覆盖，且 list 显示来自文件。
    std::fs::write(&exported, "# 改过的标题\n\n正文。\n").unwrap();
    let (code, _, err) = run(&["-c", cfg, "templates", "--export", "notice.md.tera"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("已存在，未覆盖"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&exported).unwrap(),
        "# 改过的标题\n\n正文。\n"
    );
    let (_, out, _) = run(&["-c", cfg, "templates"]);
    assert!(!out.contains("notice.md.tera\t内置"), "{out}");

    let (code, _, err) = run(&["-c", cfg, "templates", "--export", "nosuch.md.tera"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("没有这些内置模板：nosuch.md.tera"), "{err}");
}
