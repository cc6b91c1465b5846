//! Markdown（模板输出）→ 文档模型（待实现，见 issue 3）。

use super::doc::{Document, Meta};

/// 把 Markdown 转为文档模型：标题、段落、列表、表格、强调（→黑体）。
pub fn markdown_to_document(_md: &str, meta: Meta) -> Document {
    Document {
        meta,
        sections: Vec::new(),
    }
}
