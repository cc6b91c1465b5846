//! 合订本：几份排好的文档按顺序并成一个 PDF，供一次打印。
//!
//! - 每份文档保留自己的页码（“— 1 —”从 1 起），版式与单独的文件完全相同；
//! - 书签（outline）：每份文档一个，同一单位的几份归在单位名下；
//! - 双面打印（`duplex`）：每份文档从奇数页（纸的正面）开始，前一份页数为奇数时补一张空白页
//!   （GB/T 9704：空白页不编页码）。
//!
//! 字体子集对整本只做一次，所以合订本比各文件之和小。

use super::doc::Meta;
use super::error::TypesetError;
use super::pdf::{LaidOut, PdfOptions, PdfWriter, RenderedPdf};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};

/// 合订本中的一份文档。
#[derive(Debug, Clone)]
pub struct BundlePart<'a> {
    /// 上一级书签（如单位名）：相邻几份同名的归在同一个上级书签下；`None` 为顶级书签。
    pub group: Option<String>,
    /// 本文档的书签文字。
    pub title: String,
    pub laid: &'a LaidOut,
}

/// 各份文档在合订本中的起始页（从 1 起）与合订本总页数；`duplex` 时每份从奇数页开始。
pub fn bundle_starts(pages: &[usize], duplex: bool) -> (Vec<usize>, usize) {
    let mut starts = Vec::with_capacity(pages.len());
    let mut used = 0;
    for &n in pages {
        if duplex && used % 2 == 1 {
            used += 1;
        }
        starts.push(used + 1);
        used += n;
    }
    (starts, used)
}

/// 书签：每份文档一个，相邻同组的归在组名下（组书签指向组内第一份）。
fn outline(parts: &[BundlePart], starts: &[usize]) -> Outline {
    let dest = |start: usize| XyzDestination::new(start - 1, Point::from_xy(0.0, 0.0));
    let mut root = Outline::new();
    let mut open: Option<(String, OutlineNode)> = None;
    for (part, &start) in parts.iter().zip(starts) {
        let node = OutlineNode::new(part.title.clone(), dest(start));
        match (&part.group, &mut open) {
            (Some(g), Some((cur, parent))) if g == cur => parent.push_child(node),
            (group, _) => {
                if let Some((_, parent)) = open.take() {
                    root.push_child(parent);
                }
                match group {
                    Some(g) => {
                        let mut parent = OutlineNode::new(g.clone(), dest(start));
                        parent.push_child(node);
                        open = Some((g.clone(), parent));
                    }
                    None => root.push_child(node),
                }
            }
        }
    }
    if let Some((_, parent)) = open {
        root.push_child(parent);
    }
    root
}

/// 把几份排好的文档并成一个 PDF（书签、各自的页码、可选的双面补页）。纯函数。
pub fn render_bundle(
    parts: &[BundlePart],
    meta: &Meta,
    opts: &PdfOptions,
    duplex: bool,
) -> Result<RenderedPdf, TypesetError> {
    let counts: Vec<usize> = parts.iter().map(|p| p.laid.pages()).collect();
    let (starts, _) = bundle_starts(&counts, duplex);
    let mut w = PdfWriter::new(meta, opts)?;
    for (part, &start) in parts.iter().zip(&starts) {
        while w.pages() + 1 < start {
            w.blank();
        }
        for (i, p) in part.laid.pages.iter().enumerate() {
            w.page(p, i + 1);
        }
    }
    // 缺字已随各份文档单独报告过；合订本只另收页码里的。
    w.finish(meta, Some(outline(parts, &starts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplex_starts_every_document_on_an_odd_page() {
        assert_eq!(bundle_starts(&[3, 2, 1, 1], false), (vec![1, 4, 6, 7], 7));
        assert_eq!(bundle_starts(&[3, 2, 1, 1], true), (vec![1, 5, 7, 9], 9));
        assert_eq!(bundle_starts(&[], true), (vec![], 0));
    }
}
