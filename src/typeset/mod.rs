//! 公文排版：与后端无关的文档模型（`doc`）和 PDF 渲染器（待实现，见 issue 3）。

pub mod doc;

pub use doc::*;
