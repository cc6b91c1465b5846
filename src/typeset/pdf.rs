//! PDF 渲染器（待实现，见 issue 3）。接口已定，供其他模块调用。

use super::doc::{Document, Style};
use crate::config::FontsConfig;
use std::path::Path;

/// 排版错误。
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("字体错误：{0}")]
    Font(String),
    #[error("排版失败：{0}")]
    Layout(String),
}

/// 每次运行只加载、解析一次的字体集合（四种角色及其回退链），可在线程间共享。
#[derive(Debug)]
pub struct FontSet {}

/// 每种角色实际使用的字体（运行时报告给用户）。
#[derive(Debug, Clone)]
pub struct FontReport {
    pub lines: Vec<String>,
}

impl FontSet {
    /// 按配置加载字体；未配置的角色用内置字体。
    pub fn load(_cfg: &FontsConfig, _base: &Path) -> Result<(FontSet, FontReport), TypesetError> {
        Err(TypesetError::Font("尚未实现".into()))
    }
}

/// 渲染选项。
pub struct PdfOptions<'a> {
    pub fonts: &'a FontSet,
    /// 生成 PDF/A-2b。
    pub pdfa: bool,
    /// 页脚页码“— 1 —”。
    pub page_numbers: bool,
}

/// 所有字体都缺的字符（已用回退链仍无字形）。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingChar {
    pub ch: char,
    pub style: Style,
}

/// 渲染结果。
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub missing: Vec<MissingChar>,
}

/// 把文档渲染为 PDF 字节。纯函数：无 I/O，同输入同输出。
pub fn render_pdf(_doc: &Document, _opts: &PdfOptions) -> Result<RenderedPdf, TypesetError> {
    Err(TypesetError::Layout("尚未实现".into()))
}
