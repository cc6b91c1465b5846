//! 公文排版：与后端无关的文档模型（`doc`）、Markdown 转换（`markdown`）和 PDF 渲染器（`pdf`）。
//!
//! 内部分工：`fonts` 字体与回退链，`text` 断行与对齐，`layout` 分页与 GB/T 9704 版心，`table` 表格。

pub mod doc;
mod fonts;
mod layout;
pub mod markdown;
pub mod pdf;
mod table;
mod text;

pub use doc::*;
pub use markdown::markdown_to_document;
pub use pdf::{
    render_pdf, FontReport, FontSet, MissingChar, PdfOptions, RenderedPdf, TypesetError,
};
