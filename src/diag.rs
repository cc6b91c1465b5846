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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{level}：{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, "：{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  提示：{h}")?;
        }
        Ok(())
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

/// 把 TOML 解析错误（serde 的英文说明）译成中文；认不出的句式保留原文，不丢信息。
pub fn toml_message(e: &toml::de::Error) -> String {
    translate_serde(e.message().trim())
}

fn ticks(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn translate_serde(m: &str) -> String {
    let names = ticks(m);
    let list = |v: &[&str]| {
        v.iter()
            .map(|n| format!("“{n}”"))
            .collect::<Vec<_>>()
            .join("、")
    };
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let n = ticks(rest);
        return match n.split_first() {
            Some((f, [])) => format!("未知的字段“{f}”（这里不应有字段）"),
            Some((f, allowed)) => format!("未知的字段“{f}”，可用的有：{}", list(allowed)),
            None => format!("未知的字段（{m}）"),
        };
    }
    if m.starts_with("unknown variant ") {
        if let Some((v, allowed)) = names.split_first() {
            return format!("不认识的取值“{v}”，可选：{}", list(allowed));
        }
    }
    if m.starts_with("missing field ") {
        if let Some(f) = names.first() {
            return format!("缺少必填字段“{f}”");
        }
    }
    if m.starts_with("duplicate key") || m.starts_with("duplicate field") {
        return match names.first() {
            Some(f) => format!("重复的字段“{f}”"),
            None => format!("重复的字段（{m}）"),
        };
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return format!("类型不对：写的是 {}，应为 {}", kind(got), kind(want));
        }
    }
    if let Some(rest) = m.strip_prefix("invalid value: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return format!("取值不对：写的是 {}，应为 {}", kind(got), kind(want));
        }
    }
    format!("格式有误（{m}）")
}

/// serde 的类型说明 → 中文，如 "integer `13`" → "整数 13"、"a string" → "文字（加引号）"。
fn kind(s: &str) -> String {
    let s = s.trim();
    let (head, val) = match s.split_once(' ') {
        Some((h, v)) => (h, v.trim_matches('`').trim_matches('"')),
        None => (s, ""),
    };
    let name = match head {
        "integer" | "an" if s.contains("integer") => "整数",
        "string" => "文字",
        "a" if s.starts_with("a string") => return "文字（加引号）".into(),
        "a" if s.starts_with("a boolean") => return "true 或 false".into(),
        "a" if s.starts_with("a sequence") => return "列表 [...]".into(),
        "boolean" => "布尔值",
        "sequence" => return "列表 [...]".into(),
        "map" => return "表 {...}".into(),
        "floating" => "小数",
        "u8" | "u16" | "u32" | "u64" | "i32" | "i64" | "usize" => return "整数".into(),
        _ => return s.to_string(),
    };
    if val.is_empty() || val == "integer" {
        name.into()
    } else {
        format!("{name} {val}")
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
            "类型不对：写的是 文字 三月，应为 整数"
        );
        // 认不出的句式保留原文。
        let dup = msg("name = \"a\"\nname = \"b\"\n");
        assert!(dup.contains("重复") || dup.contains("duplicate"), "{dup}");
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::error("a.txt", 3, 5, "未知单位“区某局”").with_hint("检查 units.toml");
        assert_eq!(
            d.to_string(),
            "错误：a.txt:3:5：未知单位“区某局”\n  提示：检查 units.toml"
        );
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
