//! 诊断信息：收集全部问题后一次性报告，每条带文件、行、列和提示。

use serde::Serialize;
use std::fmt;

/// 严重程度。错误使 `check` 以 1 退出；警告不影响退出码。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    Warning,
    Error,
}

/// 一条诊断：位置 + 中文说明 + 处理提示。
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 文件路径（按用户给出的写法显示）。
    pub file: String,
    /// 行号，从 1 开始；0 表示整文件。
    pub line: usize,
    /// 列号（按字符计），从 1 开始；0 表示整行。
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    fn new(severity: Severity, file: String, line: usize, column: usize, message: String) -> Self {
        Self {
            severity,
            file,
            line,
            column,
            message,
            hint: None,
        }
    }
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file.into(), line, column, message.into())
    }
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file.into(), line, column, message.into())
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Diagnostic {
    /// 不带“错误：”“警告：”前缀的部分：“文件:行:列：说明”加提示行。
    /// 用作错误类型的显示文字（`main` 打印时再加“错误：”）。
    pub fn body(&self) -> String {
        let mut s = self.file.clone();
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                s.push_str(&format!(":{}", self.column));
            }
        }
        s.push_str(&format!("：{}", self.message));
        if let Some(h) = &self.hint {
            s.push_str(&format!("\n  提示：{h}"));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{level}：{}", self.body())
    }
}

/// 诊断集合。按位置排序输出，保证确定性；完全相同的条目只报一次。
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// 已收条目的散列 → 下标，去重用（逐条比较会使大量诊断的加载变成平方级）。
    #[serde(skip)]
    seen: std::collections::HashMap<u64, Vec<usize>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let h = BuildHasherDefault::<DefaultHasher>::default().hash_one(&d);
        let same = self.seen.entry(h).or_default();
        if !same.iter().any(|&i| self.items[i] == d) {
            same.push(self.items.len());
            self.items.push(d);
        }
    }
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
    /// 按文件、行、列排序后的全部诊断。
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        v
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// 字节偏移 → (行, 列)，都从 1 开始，列按字符计。
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

/// 把 TOML 解析错误译成中文：语法错误（如缺引号、缺方括号）与 serde 的类型、取值、字段错误。
/// 认不出的句式先给中文说明，再附解析器原文一次，不丢信息。
pub fn toml_message(e: &toml::de::Error) -> String {
    translate_serde(e.message().trim())
}

/// 同 [`toml_message`]，另看原文 `text`：没加引号的日期（TOML 日期类型，serde 说成 “map”）
/// 说成“日期要加引号”，而不是“写的是 表”。
pub fn toml_message_in(e: &toml::de::Error, text: &str) -> String {
    let written = e.span().and_then(|s| text.get(s)).unwrap_or("").trim();
    let looks_like_date = written.len() >= 8
        && written.starts_with(|c: char| c.is_ascii_digit())
        && written
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.TZ +".contains(c));
    if e.message().starts_with("invalid type: map") && looks_like_date {
        return format!("日期要加引号写成文字，如 \"{written}\"");
    }
    toml_message(e)
}

fn ticks(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// 多个名字各加中文引号，用顿号连接。
fn list(v: &[&str]) -> String {
    v.iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、")
}

pub(crate) fn translate_serde(m: &str) -> String {
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let n = ticks(rest);
        return match n.split_first() {
            Some((f, [])) => format!("未知的字段“{f}”（这里不应有字段）"),
            Some((f, allowed)) => format!("未知的字段“{f}”，可用的有：{}", list(allowed)),
            None => "未知的字段".into(),
        };
    }
    if m.starts_with("unknown variant ") {
        if let Some((v, allowed)) = ticks(m).split_first() {
            return format!("不认识的取值“{v}”，可选：{}", list(allowed));
        }
    }
    if m.starts_with("missing field ") {
        if let Some(f) = ticks(m).first() {
            return format!("缺少必填字段“{f}”");
        }
    }
    for (prefix, lead) in [
        ("invalid type: ", "类型不对"),
        ("invalid value: ", "取值不对"),
    ] {
        if let Some((got, want)) = m
            .strip_prefix(prefix)
            .and_then(|r| r.split_once(", expected "))
        {
            // 正整数却不合要求：只可能是太大了，说出上限；其余情况说“不小于 0”即可。
            let too_big = got.starts_with("integer `") && !got.contains('-');
            return format!(
                "{lead}：写的是 {}，应为 {}",
                unexpected(got),
                expected(want, too_big)
            );
        }
    }
    if m == "wanted string or table" {
        return "类型不对：应为文字（加引号）或表 {...}".into();
    }
    syntax_message(m)
}

/// serde 的“写的是什么”：`integer `13`` → “整数 13”，`string "三月"` → “文字“三月””。
fn unexpected(s: &str) -> String {
    let s = s.trim();
    let (desc, val) = match s.find(['`', '"']) {
        Some(i) => (s[..i].trim(), s[i..].trim_matches(['`', '"'])),
        None => (s, ""),
    };
    let name = match desc {
        "integer" => "整数",
        "floating point" => "小数",
        "boolean" => "布尔值",
        "string" => return format!("文字“{val}”"),
        "character" => "字符",
        "sequence" => "列表 [...]",
        "map" => "表 {...}",
        "unit value" | "Option value" => "空值",
        _ => return format!("“{s}”"),
    };
    if val.is_empty() {
        name.into()
    } else {
        format!("{name} {val}")
    }
}

/// serde 的“应为什么”：`u32` → “不小于 0 的整数”（`too_big` 时写出上限），
/// `a string` → “文字（加引号）”。
fn expected(s: &str, too_big: bool) -> String {
    let s = s.trim();
    let unsigned = |max: u64| match too_big {
        true => format!("不超过 {max} 的整数"),
        false => "不小于 0 的整数（不加引号）".to_string(),
    };
    match s {
        "u8" => unsigned(u8::MAX.into()),
        "u16" => unsigned(u16::MAX.into()),
        "u32" => unsigned(u32::MAX.into()),
        "u64" | "usize" => "不小于 0 的整数（不加引号）".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" => "整数（不加引号）".into(),
        "f32" | "f64" => "数字（不加引号）".into(),
        "a string" => "文字（加引号）".into(),
        "a boolean" => "true 或 false（不加引号）".into(),
        "a sequence" => "列表 [...]".into(),
        "a character" => "单个字符（加引号）".into(),
        "a map" => "表 {...}".into(),
        _ if s.starts_with("struct ") || s.starts_with("a map") => "表 {...}".into(),
        _ if s.contains('`') => format!("{} 之一", list(&ticks(s))),
        _ => format!("“{s}”"),
    }
}

/// TOML 语法错误的中文说明（toml 解析器的描述 + “expected …”）。
fn syntax_message(m: &str) -> String {
    let (desc, want) = match m.split_once(", expected ") {
        Some((d, w)) => (d.trim(), w.trim()),
        None => (m.trim(), ""),
    };
    if desc == "invalid date" || desc == "invalid time" {
        return format!("日期不存在或写法不对：{}", date_part(want));
    }
    let zh = match desc {
        "invalid basic string" => "文字的双引号没有成对（缺右引号 \"）",
        "invalid multi-line basic string" => "多行文字 \"\"\" 没有结束",
        "invalid literal string" => "单引号文字没有结束（缺右引号 '）",
        "invalid multi-line literal string" => "多行文字 ''' 没有结束",
        "string values must be quoted" => "文字要用英文双引号括起来，如 \"区发改局\"",
        "unexpected key or value" => "一行只能写一个 键 = 值，这里有多余的内容",
        "unexpected content" | "unexpected content between comment and newline" => {
            "这里有多余的内容"
        }
        "unquoted keys cannot be empty" => "缺少键名（= 前面没有名字）",
        "invalid key" | "invalid unquoted key" => {
            "键名中有不允许的字符（键名含中文、空格等时要加引号）"
        }
        "key with no value" => "键后面缺少 = 和值",
        "missing value" | "missing value for key" => "= 后面缺少值",
        "extra `=`" | "extra assignment between key-value pairs" => "多了一个等号 =",
        "missing assignment between key-value pairs" => "键和值之间缺少等号 =",
        "duplicate key" => "重复的键：同一节中写了两次",
        "unclosed table" => "节名 [...] 缺少右方括号 ]",
        "unclosed array table" => "节名 [[...]] 缺少右方括号 ]]",
        "invalid table" | "missing table open" => "节名写法不对，应为 [节名]",
        "unclosed array" | "missing array opening" => "列表 [...] 的方括号没有成对",
        "unclosed inline table" | "missing inline table opening" => "内联表 {...} 的花括号没有成对",
        "extra comma in array" => "列表中多了一个逗号",
        "missing comma between array elements" => "列表的元素之间缺少逗号",
        "extra comma in inline table" => "内联表 {...} 中多了一个逗号",
        "missing comma between key-value pairs" => "内联表 {...} 的各项之间缺少逗号",
        "missing key for inline table element" | "invalid inline table element" => {
            "内联表 {...} 中的一项不是 键 = 值"
        }
        "unexpected `=` in array" => "列表 [...] 中不能写等号 =",
        "missing escaped value" | "invalid escape" => {
            "反斜杠 \\ 后缺少转义字符（要写反斜杠本身请写两个：\\\\）"
        }
        "too few unicode value digits" | "invalid unicode escape" => "\\u 后的十六进制数字位数不够",
        "integer number overflowed" | "floating-point number overflowed" => "数字超出范围",
        "unexpected leading zero" => "数字不能以 0 开头",
        "unexpected sign" => "这里不能有正负号",
        "invalid integer number"
        | "invalid float"
        | "invalid mantissa"
        | "invalid fraction"
        | "invalid exponent"
        | "invalid hexadecimal number"
        | "invalid octal number"
        | "invalid binary number" => "数字写法不对",
        "invalid boolean" => "true、false 要小写且不加引号",
        "invalid date-time" => "日期写法不对，应为 2023-02-15",
        "invalid comment character" | "missing comment start" => "注释中有不允许的控制字符",
        "invalid string" | "invalid value" | "invalid key-value pair" => {
            "取值写法不对（文字加引号，数字和 true/false 不加）"
        }
        _ if desc.contains("recursion depth") || desc.contains("cannot recurse") => {
            "嵌套层数太多（方括号或花括号套了太多层）"
        }
        _ if desc.starts_with("cannot extend value of type") => {
            "点号键（如 a.b = 1）与前面已写的值冲突"
        }
        // 认不出的句式：中文说明在前，解析器原文附后一次。
        _ => return format!("TOML 格式有误（解析器信息：{m}）"),
    };
    zh.to_string()
}

/// 日期时间各部分的范围说明：`day between 01 and 28` → “日应在 01–28 之间”。
fn date_part(want: &str) -> String {
    for (en, zh) in [
        ("year", "年"),
        ("month", "月"),
        ("day", "日"),
        ("hour", "时"),
        ("minute", "分"),
        ("second", "秒"),
    ] {
        if let Some(r) = want.strip_prefix(&format!("{en} between ")) {
            return format!("{zh}应在 {} 之间", r.replace(" and ", "–"));
        }
    }
    "应为 2023-02-15 这样的 年-月-日".into()
}

/// 文件读写错误的中文说明（不照搬系统的英文原文；认不出的种类附系统信息一次）。
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let s = match e.kind() {
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "没有读写权限（可能是只读的，或正被 Excel、WPS 等程序占用）",
        K::AlreadyExists => "已存在同名文件",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一级不是文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::ReadOnlyFilesystem => "所在磁盘是只读的",
        K::StorageFull | K::QuotaExceeded => "磁盘空间已满",
        K::InvalidFilename => "文件名不合法（过长或含不允许的字符）",
        K::FileTooLarge => "文件太大",
        K::InvalidData => "内容无法读取（不是文本或已损坏）",
        K::UnexpectedEof => "文件不完整（读到一半就结束了）",
        K::Interrupted | K::TimedOut | K::WouldBlock => "读写被中断",
        K::OutOfMemory => "内存不足",
        _ => return format!("读写失败（系统信息：{e}）"),
    };
    s.to_string()
}

/// 与 [`io_message`] 配套的处理提示。
pub fn io_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "检查路径是否写对（相对路径以 duban.toml 所在文件夹为准）",
        K::PermissionDenied => "关闭占用该文件的程序，或检查文件和文件夹的权限后重新运行",
        K::StorageFull | K::QuotaExceeded => "清理磁盘空间后重新运行",
        K::ReadOnlyFilesystem => "换一个可写的位置（如用 --out 指定输出文件夹）",
        K::IsADirectory | K::NotADirectory => "检查路径：这里应是文件而不是文件夹（或反过来）",
        _ => "检查该路径后重新运行",
    }
}

impl std::error::Error for Diagnostic {}

/// 无法继续时的错误：致命的那条诊断，连同此前已收集到的诊断（一并报告，免得改一处再跑一次）。
/// `main` 原样按位置顺序打印，不再加前缀和原因链。
#[derive(Debug)]
pub struct Fatal(pub Diagnostics);

impl Fatal {
    /// 此前的诊断 + 致命的一条。
    pub fn new(mut earlier: Diagnostics, error: Diagnostic) -> Self {
        earlier.push(error);
        Self(earlier)
    }
}

impl From<Diagnostic> for Fatal {
    fn from(error: Diagnostic) -> Self {
        Self::new(Diagnostics::new(), error)
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.sorted().iter().map(|d| d.to_string()).collect();
        write!(f, "{}", lines.join("\n"))
    }
}

impl std::error::Error for Fatal {}

/// 命令失败时给用户看的文字（`main` 打印到标准错误）。
///
/// [`Fatal`] 与 [`Diagnostic`] 原样打印（本来就带位置与提示）；其他错误印“错误：”加原因链，
/// 系统的读写错误译成中文，已在上文出现过的原因不再重复，链里没有提示时按读写错误的种类补一条。
pub fn error_report(err: &anyhow::Error) -> String {
    if let Some(f) = err.downcast_ref::<Fatal>() {
        return f.to_string();
    }
    if let Some(d) = err.downcast_ref::<Diagnostic>() {
        return d.to_string();
    }
    let mut out = format!("错误：{}", cause_text(err.as_ref()));
    let mut io_hint_text = None;
    for cause in err.chain() {
        if let Some(io) = io_error(cause) {
            io_hint_text.get_or_insert(io_hint(io));
        }
    }
    for cause in err.chain().skip(1) {
        let text = cause_text(cause);
        if !out.contains(text.trim()) {
            out.push_str(&format!("\n  原因：{text}"));
        }
    }
    if let (false, Some(h)) = (out.contains("提示："), io_hint_text) {
        out.push_str(&format!("\n  提示：{h}"));
    }
    out
}

/// 错误链中的一环所带的系统读写错误（直接的，或遍历目录时的）。
fn io_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    e.downcast_ref::<std::io::Error>()
        .or_else(|| e.downcast_ref::<walkdir::Error>()?.io_error())
}

/// 错误链中一环的文字：系统读写错误换成中文说明。
fn cause_text(e: &(dyn std::error::Error + 'static)) -> String {
    match io_error(e) {
        Some(io) => io_message(io),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_chinese() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            name: String,
            month: Option<u32>,
        }
        let msg = |src: &str| toml_message(&toml::from_str::<T>(src).unwrap_err());
        assert_eq!(
            msg("name = \"a\"\ntitel = 1\n"),
            "未知的字段“titel”，可用的有：“name”、“month”"
        );
        assert_eq!(msg("month = 3\n"), "缺少必填字段“name”");
        assert_eq!(
            msg("name = 1\n"),
            "类型不对：写的是 整数 1，应为 文字（加引号）"
        );
        assert_eq!(
            msg("name = \"a\"\nmonth = \"三月\"\n"),
            "类型不对：写的是 文字“三月”，应为 不小于 0 的整数（不加引号）"
        );
        assert_eq!(
            msg("name = \"a\"\nmonth = -1\n"),
            "取值不对：写的是 整数 -1，应为 不小于 0 的整数（不加引号）"
        );
        assert_eq!(
            msg("name = \"a\"\nmonth = 99999999999\n"),
            "取值不对：写的是 整数 99999999999，应为 不超过 4294967295 的整数"
        );
        assert_eq!(
            msg("name = \"a\"\nmonth = 3.5\n"),
            "类型不对：写的是 小数 3.5，应为 不小于 0 的整数（不加引号）"
        );
        assert_eq!(
            msg("name = \"a\"\nname = \"b\"\n"),
            "重复的键：同一节中写了两次"
        );
        let src = "name = 2023-02-08\n";
        let e = toml::from_str::<T>(src).unwrap_err();
        assert_eq!(
            toml_message_in(&e, src),
            "日期要加引号写成文字，如 \"2023-02-08\""
        );
    }

    /// TOML 语法错误全部译成中文，不留解析器的英文。
    #[test]
    fn syntax_errors_become_chinese() {
        let msg = |src: &str| toml_message(&toml::from_str::<toml::Table>(src).unwrap_err());
        for (src, want) in [
            ("a = \"x\n", "双引号没有成对"),
            ("a = x\n", "文字要用英文双引号"),
            ("a = \"x\" y\n", "多余的内容"),
            ("= 1\n", "缺少键名"),
            ("a == 1\n", "多了一个等号"),
            ("[t\n", "缺少右方括号"),
            ("a = [1,\n", "方括号没有成对"),
            ("a = [1,,2]\n", "多了一个逗号"),
            ("a = 01\n", "不能以 0 开头"),
            ("a = 2023-02-30\n", "日应在 01–28 之间"),
            ("a = \"\\q\"\n", "反斜杠"),
            ("a b = 1\n", "缺少 = 和值"),
            ("a = 1e400\n", "超出范围"),
            ("a = 'x\n", "单引号"),
        ] {
            let m = msg(src);
            assert!(m.contains(want), "{src:?} → {m}");
            assert!(!m.contains("解析器信息"), "{src:?} → {m}");
        }
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::error("a.txt", 3, 5, "未知单位“区某局”").with_hint("检查 units.toml");
        assert_eq!(
            d.to_string(),
            "错误：a.txt:3:5：未知单位“区某局”\n  提示：检查 units.toml"
        );
    }

    /// 报错的原因链：系统读写错误译成中文、只出现一次，没有提示时补一条。
    #[test]
    fn error_report_is_chinese_once_with_hint() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = anyhow::Error::new(io).context("无法写入 out/a.pdf");
        let r = error_report(&e);
        assert_eq!(
            r,
            "错误：无法写入 out/a.pdf\n  原因：找不到该文件或文件夹\n  提示：检查路径是否写对（相对路径以 duban.toml 所在文件夹为准）"
        );
        let d = Diagnostic::error("a.toml", 2, 0, "坏了").with_hint("修");
        let e = anyhow::Error::new(Fatal::from(d.clone()));
        assert_eq!(error_report(&e), d.to_string());
        // 上下文已包含原因的文字：不再重复。
        let e = anyhow::anyhow!("季度有误").context("季度有误（--quarter）");
        assert_eq!(error_report(&e), "错误：季度有误（--quarter）");
    }

    #[test]
    fn dedup_and_sort() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("b", 2, 1, "x"));
        ds.push(Diagnostic::error("a", 9, 1, "y"));
        ds.push(Diagnostic::warning("b", 2, 1, "x"));
        assert_eq!(ds.len(), 2);
        assert_eq!(ds.errors(), 1);
        assert_eq!(ds.sorted()[0].file, "a");
    }
}
