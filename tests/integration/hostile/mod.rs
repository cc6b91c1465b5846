//! 坏输入耐受测试：通知、登记册、报送、配置、命令行参数、模板、输出目录状态七类输入，每类一份
//! 夹具项目（tests/fixtures/build）副本，逐个运行脚本列出的坏输入和随机生成的坏输入
//! （proptest，固定种子，可复现），每个用例跑 `duban check` 与 `duban build`，断言：
//!
//! - 不 panic（退出码 101、被信号杀死、标准错误中有 “panicked” 都算）；
//! - 每条“错误：”“警告：”都有位置（文件:行[:列]、文件路径、命令行选项或环境变量）和“提示：”；
//! - 除文件路径、引号中的用户值和技术名词（[`ALLOW`]）外没有英文（解析器、系统、Tera 的原文）。
//!
//! 最后打印一张表（`cargo test --release hostile -- --nocapture` 可见）：每类用例数、运行次数、
//! panic、无位置、无提示、英文片段的条数，全部应为 0。

mod cases;
mod environment;
mod random;

use crate::support;
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config as RunConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner,
};
use std::path::PathBuf;
use std::process::Output;
use std::sync::Mutex;

/// 允许出现的英文：技术名词、文件格式里用户要写的键名、命令名。其余英文字母串都算英文片段。
const ALLOW: &[&str] = &[
    "TOML",
    "XLSX",
    "PDF",
    "UTF",
    "GBK",
    "ANSI",
    "BOM",
    "duban",
    "Excel",
    "WPS",
    "Unix",
    "Tera",
    "README",
    "cmap",
    "TrueType",
    "OpenType",
    "Unicode",
    "true",
    "false",
    "ttf",
    "otf",
    "ttc",
    // 报送与登记册文件中的键（用户照着写）
    "unit",
    "form",
    "quarter",
    "task",
    "row",
    "id",
    "content",
    "month",
    "leader",
    "department",
    "status",
    "lead",
    "received",
    "sample",
    "name",
    "kind",
    "aliases",
    "members",
    "group",
    "title",
    "mobile",
    "family",
    "today",
    "year",
    "issuer",
    // 命令与模板标签
    "check",
    "build",
    "catalogue",
    "units",
    "render",
    "templates",
    "help",
    "include",
    "import",
    "extends",
    "if",
    "for",
    "block",
];

/// 一个用例里运行的一条命令（参数与额外的环境变量）。
pub struct Run {
    pub args: Vec<String>,
    pub envs: Vec<(String, String)>,
}

/// 只给参数的一条命令。
pub fn run(args: &[&str]) -> Run {
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        envs: Vec::new(),
    }
}

/// 默认的两条：`duban check` 与 `duban build --no-pdf --out out`。
pub fn check_and_build() -> Vec<Run> {
    vec![run(&["check"]), run(&["build", "--no-pdf", "--out", "out"])]
}

/// 一个脚本列出的用例：名称、把沙盒改坏的办法、要运行的命令。
pub struct Case {
    pub label: String,
    pub setup: Box<dyn Fn(&Sandbox)>,
    pub runs: Vec<Run>,
}

/// 夹具项目的一份副本（每类输入一份，每个用例前复原）。
pub struct Sandbox {
    pub dir: PathBuf,
}

impl Sandbox {
    fn new(kind: &str) -> Self {
        let s = Sandbox {
            dir: support::temp_dir(&format!("hostile-{kind}")),
        };
        s.restore();
        s
    }

    /// 清空后重新复制夹具项目（含删除上一个用例留下的 out/、templates/ 等）。
    pub fn restore(&self) {
        for e in std::fs::read_dir(&self.dir).unwrap() {
            let p = e.unwrap().path();
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p).unwrap(),
                _ => std::fs::remove_file(&p).unwrap(),
            }
        }
        let src = support::fixture("build");
        for e in walkdir::WalkDir::new(&src).sort_by_file_name() {
            let e = e.unwrap();
            let to = self.dir.join(e.path().strip_prefix(&src).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap()
    }

    /// 写文件（自动建上级目录；原来是目录的先删掉）。
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        }
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// 删除文件或目录（不存在也行）。
    pub fn remove(&self, rel: &str) {
        let p = self.path(rel);
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_dir_all(&p);
    }

    /// 在项目目录中运行 duban（`-c duban.toml`，显示的路径与用户看到的一样是相对路径）。
    pub fn duban(&self, r: &Run) -> Output {
        let mut c = support::duban_cmd();
        c.current_dir(&self.dir);
        if !r.args.iter().any(|a| a == "-c") {
            c.args(["-c", "duban.toml"]);
        }
        c.args(&r.args);
        for (k, v) in &r.envs {
            c.env(k, v);
        }
        c.output().expect("运行 duban")
    }
}

// ---------------------------------------------------------------- 检查一次运行的输出

/// 一次运行里发现的问题（每条带原文，失败时打印）。
#[derive(Debug, Default)]
struct Findings {
    panic: Option<String>,
    unlocated: Vec<String>,
    no_hint: Vec<String>,
    english: Vec<String>,
}

impl Findings {
    fn is_clean(&self) -> bool {
        self.panic.is_none()
            && self.unlocated.is_empty()
            && self.no_hint.is_empty()
            && self.english.is_empty()
    }
}

/// 标准错误中不属于任何“错误：”“警告：”的说明行。
/// （“提示：输出目录 out：…” 是输出目录恢复上次中断的生成时的说明，本身带位置。）
const INFO: &[&str] = &[
    "提示：输出目录 ",
    "字体：",
    "已删除过期文件：",
    "已生成 ",
    "未生成：",
    "已导出 ",
    "日期：",
];

/// 检查一次运行的标准错误。`names` 是这次运行中用户给出的路径（如 `--out out`）与夹具的文件夹名：
/// 不带 / 和扩展名的路径与英文单词分不开，这些不算英文片段。
fn examine(o: &Output, names: &[String]) -> Findings {
    let stderr = String::from_utf8_lossy(&o.stderr);
    let mut f = Findings::default();
    if matches!(o.status.code(), Some(101) | None) || stderr.contains("panicked") {
        f.panic = Some(format!("退出状态 {:?}：{stderr}", o.status));
    }
    let (blocks, stray) = split_messages(&stderr);
    for b in blocks {
        if !located(&b) {
            f.unlocated.push(b.clone());
        }
        if !b.contains("提示：") {
            f.no_hint.push(b.clone());
        }
        let words: Vec<String> = english_words(&b)
            .into_iter()
            .filter(|w| !names.contains(w))
            .collect();
        if !words.is_empty() {
            f.english.push(format!("{words:?} ← {b}"));
        }
    }
    for line in stray {
        f.unlocated
            .push(format!("（不属于任何错误或警告的一行）{line}"));
    }
    f
}

/// 标准错误 → 各条消息（“错误：”“警告：”开头，连同其后缩进的“提示：”“原因：”行，以及命令行报错
/// 的空行、“用法：”“提示：”行）和其余认不出的行。
fn split_messages(stderr: &str) -> (Vec<String>, Vec<String>) {
    let (mut blocks, mut stray) = (Vec::new(), Vec::new());
    let mut cur: Option<String> = None;
    // 说明行（INFO）之后缩进的“提示：”属于那条说明。
    let mut in_info = false;
    for line in stderr.lines() {
        if in_info && line.starts_with("  ") {
            continue;
        }
        in_info = false;
        if line.starts_with("错误：") || line.starts_with("警告：") {
            blocks.extend(cur.replace(line.to_string()));
        } else if cur.is_some()
            && (line.starts_with("  ")
                || line.is_empty()
                || line.starts_with("用法：")
                || line.starts_with("提示："))
        {
            let b = cur.as_mut().unwrap();
            b.push('\n');
            b.push_str(line);
        } else {
            blocks.extend(cur.take());
            if INFO.iter().any(|p| line.starts_with(p)) {
                in_info = true;
            } else if !line.trim().is_empty() {
                stray.push(line.to_string());
            }
        }
    }
    blocks.extend(cur);
    (blocks, stray)
}

/// 像路径：含 / 或 \，或带常见扩展名，或是 ASCII 的单个文件名。
fn path_like(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && !s.contains(char::is_whitespace)
        && (s.contains('/') || s.contains('\\') || s.contains('.') || s.is_ascii())
}

/// 第一行的“位置”部分（“错误：”之后、第一个“：”之前）是文件:行[:列]、路径、命令行选项或环境变量；
/// 命令行解析的报错指明了选项、子命令或参数；或者位置部分里有一个路径。
fn located(b: &str) -> bool {
    let first = b.lines().next().unwrap_or("");
    let body = first
        .trim_start_matches("错误：")
        .trim_start_matches("警告：");
    let head = body.split('：').next().unwrap_or("");
    let numbered = head
        .rsplit_once(':')
        .is_some_and(|(f, n)| !f.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    numbered
        || path_like(head)
        || body.starts_with("--")
        || head.starts_with("命令行 ")
        || head.starts_with("环境变量 ")
        || head
            .split_whitespace()
            .any(|t| t.contains('/') || t.contains('.'))
        || body.contains("选项“")
        || body.contains("选项 --")
        || body.contains("子命令")
        || body.contains("参数：")
        || body.contains("参数“")
}

/// 去掉成对符号之间的内容（引号中的用户值、模板标记）。
fn strip_between(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        match after.find(close) {
            Some(j) => rest = &after[j + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// 去掉 “[节] 键” 与 “[[节]]”（配置项的写法，如 “[fonts.title] file”）。
fn strip_section_keys(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find(']') else {
            rest = "";
            break;
        };
        let after = rest[i + j..].trim_start_matches(']');
        let key = after.trim_start_matches(' ');
        let n = key
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(key.len());
        rest = if after.starts_with(' ') {
            &key[n..]
        } else {
            after
        };
    }
    out.push_str(rest);
    out
}

/// 消息中的英文片段：去掉引号中的用户值、模板标记、`[节] 键`、路径、选项、蛇形键名和 [`ALLOW`]
/// 中的词以后，剩下的两个字母以上的英文词。
fn english_words(b: &str) -> Vec<String> {
    let mut t = b.to_string();
    for (o, c) in [
        ("“", "”"),
        ("‘", "’"),
        ("\"", "\""),
        ("`", "`"),
        ("{{", "}}"),
        ("{%", "%}"),
    ] {
        t = strip_between(&t, o, c);
    }
    t = strip_section_keys(&t);
    let mut words = Vec::new();
    let token_char = |c: char| c.is_ascii_alphanumeric() || "_./\\:+-=".contains(c);
    // 先按空白与中文标点切开，连中文文件名一起判断是不是路径（“金口街道-示例.toml”）。
    let cut = |c: char| c.is_whitespace() || "：，。；（）、！？【】《》“”".contains(c);
    let kept: Vec<&str> = t
        .split(cut)
        .filter(|s| {
            let s = s.trim_end_matches(|c: char| ".:=".contains(c));
            !(s.contains('/') || s.contains('\\') || s.contains('.'))
        })
        .collect();
    let t = kept.join(" ");
    for tok in t.split(|c: char| !token_char(c)) {
        let tok = tok.trim_matches(|c: char| ".:=".contains(c));
        if tok.is_empty() || tok.starts_with('-') || tok.contains('_') {
            continue;
        }
        for w in tok.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 2 && !ALLOW.contains(&w) {
                words.push(w.to_string());
            }
        }
    }
    words
}

// ---------------------------------------------------------------- 累计与报表

/// 一类输入的累计。
#[derive(Debug, Default)]
pub struct Tally {
    cases: usize,
    runs: usize,
    panics: usize,
    unlocated: usize,
    no_hint: usize,
    english: usize,
    /// 出问题的用例与原文（最多留 8 条）。
    examples: Vec<String>,
}

impl Tally {
    fn record(&mut self, label: &str, r: &Run, o: &Output, f: &Findings) {
        // 人工复查用：HOSTILE_DUMP=文件 时把每次运行的标准错误追加进去。
        if let Some(p) = std::env::var_os("HOSTILE_DUMP") {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .unwrap();
            let _ = writeln!(
                file,
                "【{label}】duban {}（退出码 {:?}）\n{}",
                r.args.join(" "),
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        self.runs += 1;
        self.panics += usize::from(f.panic.is_some());
        self.unlocated += f.unlocated.len();
        self.no_hint += f.no_hint.len();
        self.english += f.english.len();
        if !f.is_clean() && self.examples.len() < 8 {
            self.examples
                .push(format!("【{label}】duban {}\n{f:#?}", r.args.join(" ")));
        }
    }

    fn clean(&self) -> bool {
        self.panics + self.unlocated + self.no_hint + self.english == 0
    }
}

/// 不算英文片段的名字：这次运行的参数值（用户给的路径、单位名）与夹具项目的文件夹名。
fn names(r: &Run) -> Vec<String> {
    let fixture = ["out", "content", "templates", "submissions"].map(String::from);
    r.args.iter().cloned().chain(fixture).collect()
}

/// 跑一个脚本用例：复原、改坏、逐条命令运行并检查。
fn run_case(sb: &Sandbox, case: &Case, tally: &mut Tally) {
    sb.restore();
    (case.setup)(sb);
    tally.cases += 1;
    for r in &case.runs {
        let o = sb.duban(r);
        let f = examine(&o, &names(r));
        tally.record(&case.label, r, &o, &f);
    }
}

/// 随机用例：`strategy` 生成的值经 `setup` 改坏沙盒，再跑 `runs`。出问题时 proptest 缩小到最简输入。
pub fn run_random<S: Strategy>(
    sb: &Sandbox,
    tally: &Mutex<Tally>,
    cases: u32,
    strategy: S,
    setup: impl Fn(&Sandbox, &S::Value),
    runs: impl Fn(&S::Value) -> Vec<Run>,
) where
    S::Value: std::fmt::Debug,
{
    let config = RunConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 64,
        ..RunConfig::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |v| {
        sb.restore();
        setup(sb, &v);
        let mut t = tally.lock().unwrap();
        t.cases += 1;
        let mut clean = true;
        for r in runs(&v) {
            let o = sb.duban(&r);
            let f = examine(&o, &names(&r));
            clean &= f.is_clean();
            t.record(&format!("随机 {v:?}"), &r, &o, &f);
        }
        if clean {
            Ok(())
        } else {
            Err(TestCaseError::fail("见上方记录"))
        }
    });
    if let Err(e) = result {
        tally
            .lock()
            .unwrap()
            .examples
            .push(format!("随机用例缩小后：{e}"));
    }
}

/// 一类输入：名称、脚本用例、随机用例（在同一个沙盒里依次运行）。
pub struct Kind {
    /// 沙盒目录名用的短名。
    pub id: &'static str,
    pub name: &'static str,
    pub cases: fn() -> Vec<Case>,
    pub random: fn(&Sandbox, &Mutex<Tally>),
}

#[test]
fn hostile_inputs_never_panic_and_messages_are_located_chinese() {
    let kinds = cases::kinds();
    let results: Vec<(&str, Tally)> = std::thread::scope(|s| {
        let handles: Vec<_> = kinds
            .iter()
            .map(|k| {
                s.spawn(move || {
                    let sb = Sandbox::new(k.id);
                    let mut tally = Tally::default();
                    for case in (k.cases)() {
                        run_case(&sb, &case, &mut tally);
                    }
                    let tally = Mutex::new(tally);
                    (k.random)(&sb, &tally);
                    let _ = std::fs::remove_dir_all(&sb.dir);
                    (k.name, tally.into_inner().unwrap())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!("\n坏输入耐受测试（每个用例运行 duban check 与 duban build）");
    println!("| 输入种类 | 用例数 | 运行次数 | panic | 无位置 | 无提示 | 英文片段 |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut total = Tally::default();
    for (name, t) in &results {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            t.cases, t.runs, t.panics, t.unlocated, t.no_hint, t.english
        );
        total.cases += t.cases;
        total.runs += t.runs;
        total.panics += t.panics;
        total.unlocated += t.unlocated;
        total.no_hint += t.no_hint;
        total.english += t.english;
    }
    println!(
        "| 合计 | {} | {} | {} | {} | {} | {} |",
        total.cases, total.runs, total.panics, total.unlocated, total.no_hint, total.english
    );
    let bad: Vec<String> = results
        .iter()
        .filter(|(_, t)| !t.clean())
        .flat_map(|(n, t)| t.examples.iter().map(move |e| format!("[{n}] {e}")))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    assert!(total.cases >= 200, "用例太少：{}", total.cases);
}

#[test]
fn message_checks_catch_what_they_should() {
    let b = "错误：无法读取 a.txt：No such file or directory (os error 2)";
    assert_eq!(
        english_words(b),
        ["No", "such", "file", "or", "directory", "os", "error"]
    );
    assert!(english_words("错误：duban.toml:5:9：[project] today：日期“2023-02-30”不存在\n  提示：写成 today = \"2023-02-08\"").is_empty());
    assert_eq!(
        strip_section_keys("改 [paths] notice 与 [[group]] 的 members，[x]y"),
        "改  与 的 members，y"
    );
    assert!(located("错误：duban.toml:5:9：x"));
    assert!(located("警告：命令行 --quarter：x"));
    assert!(!located("错误：生成日期有误"));
    let (blocks, stray) = split_messages("错误：a\n  提示：b\n字体：x\nthread 'main' panicked\n");
    assert_eq!(blocks, ["错误：a\n  提示：b"]);
    assert_eq!(stray, ["thread 'main' panicked"]);
}
