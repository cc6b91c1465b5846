//! 测试共用（只此一处）：运行 duban 可执行文件、夹具路径与夹具项目、PDF 文字提取、临时目录。

use duban::catalogue::Catalogue;
use duban::registry::Registry;
use duban::Project;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// PDF 的文字层（poppler 的 pdftotext，`args` 如 `["-layout"]`、`["-f", "2", "-l", "2"]`）。
pub fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("需要 poppler-utils 的 pdftotext");
    assert!(
        out.status.success(),
        "pdftotext {}：{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// 去掉空白，便于跨行、跨列断开后比较。
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn registry() -> Registry {
    let text = std::fs::read_to_string(fixture("build/content/units.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// 夹具项目（tests/fixtures/build）的任务目录：由解析器从夹具通知得出（不手抄解析结果），
/// 夹具通知本身无错误。
pub fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(fixture("build/content/notice.txt")).unwrap();
    let (cat, diags) = duban::catalogue::parse(&text, "notice.txt", &registry());
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    cat
}

/// 夹具项目（tests/fixtures/build/duban.toml），经与 `duban build` 相同的加载。
pub fn project() -> Project {
    Project::load(&fixture("build/duban.toml")).expect("加载夹具项目")
}

/// 运行 duban 可执行文件的命令：工作目录为仓库根，去掉 SOURCE_DATE_EPOCH（日期只由参数和配置决定）。
pub fn duban_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_duban"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

/// 运行 duban（另加环境变量），返回输出。
pub fn duban_with(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = duban_cmd();
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("运行 duban")
}

/// 运行 duban，返回输出。
pub fn duban(args: &[&str]) -> Output {
    duban_with(args, &[])
}

/// 临时目录（每个测试一个，进程号区分）。
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("duban-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// 把全角标点 ，；：？！（） 换回半角：PDF 印的是全角（印刷用标点），任务目录保留原文，
/// 比较正文是否完整时两边都换成半角。
pub fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}
