//! 公文排版：与后端无关的文档模型（`doc`）、Markdown 转换（`markdown`）和 PDF 渲染器（`pdf`）。
//!
//! 内部分工（依赖只向下，没有环）：`doc` 文档模型，`error` 错误与缺字报告，`fonts` 字体、回退链与
//! 字体选择，`text` 断行与对齐，`layout` GB/T 9704 版心与段落排版，`table` 表格，`flow` 逐节逐块
//! 排版与分页，`pdf` 输出。`markdown` 只依赖 `doc`。

pub mod doc;
mod error;
mod flow;
mod fonts;
mod layout;
pub mod markdown;
pub mod pdf;
mod table;
mod text;

pub use doc::*;
pub use error::{MissingChar, TypesetError};
pub use fonts::{FaceChoice, FontReport, FontSet, FontsConfig};
pub use markdown::markdown_to_document;
pub use pdf::{render_pdf, PdfOptions, RenderedPdf};
