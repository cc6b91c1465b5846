//! 公文排版：与后端无关的文档模型（`doc`）、Markdown 转换（`markdown`）和 PDF 渲染器（`pdf`）。

pub mod doc;
pub mod markdown;
pub mod pdf;

pub use doc::*;
pub use markdown::markdown_to_document;
pub use pdf::{render_pdf, FontSet, PdfOptions, RenderedPdf, TypesetError};
