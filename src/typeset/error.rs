//! 排版引擎共用的错误与缺字报告：字体、断行、分页、PDF 渲染各层都用，放在最底层，避免互相引用。

use super::doc::Style;

/// 排版错误。
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("字体错误：{0}")]
    Font(String),
    #[error("排版失败：{0}")]
    Layout(String),
}

/// 缺字：配置的字体没有、改用回退链中字体的字（`served_by` 为该字体名），
/// 或所有字体都没有的字（`served_by` 为 `None`，PDF 中画成“〓”，复制文字时仍是原字）。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingChar {
    pub ch: char,
    pub style: Style,
    pub served_by: Option<String>,
}

impl std::fmt::Display for MissingChar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (ch, cp) = (self.ch, self.ch as u32);
        match &self.served_by {
            Some(face) => write!(f, "配置的字体缺字“{ch}”（U+{cp:04X}），已改用{face}"),
            None => write!(f, "所有字体都缺字“{ch}”（U+{cp:04X}），已用“〓”占位"),
        }
    }
}
