//! 诊断信息：收集全部问题后一次性报告，每条带文件、行、列和提示。

use serde::Serialize;
use std::fmt;

/// 严重程度。错误使 `check` 以 1 退出；警告不影响退出码。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Warning,
    Error,
}

/// 一条诊断：位置 + 中文说明 + 处理提示。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            file: file.into(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
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
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        if !self.items.contains(&d) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
