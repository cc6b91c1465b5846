//! 公文排版：与后端无关的文档模型（`doc`）、Markdown 转换（`markdown`）和 PDF 渲染器（`pdf`）。
//!
//! 内部分工（依赖只向下，没有环）：`doc` 文档模型，`error` 错误与缺字报告，`fonts` 字体、回退链与
//! 字体选择，`punct` 印刷用标点，`text` 断行与对齐，`title` 标题断行，`layout` GB/T 9704 版心与段落
//! 排版，`table` 表格，`flow` 逐节逐块排版与分页，`pdf` 输出（`rotate` 横排页的显示方向），
//! `bundle` 合订本。`markdown` 只依赖 `doc`。

mod bundle;
pub mod doc;
mod error;
mod flow;
mod fonts;
mod layout;
pub mod markdown;
pub mod pdf;
pub mod punct;
mod rotate;
mod table;
mod text;
pub mod title;

pub use bundle::{bundle_starts, render_bundle, BundlePart, BundleWriter};
pub use doc::*;
pub use error::{MissingChar, TypesetError};
pub use fonts::{FaceChoice, FontReport, FontSet, FontsConfig};
pub use markdown::markdown_to_document;
pub use pdf::{layout, render_laid, render_pdf, LaidOut, PdfOptions, RenderedPdf};
pub use table::column_widths;
