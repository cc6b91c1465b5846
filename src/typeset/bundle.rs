//! 合订本：几份排好的文档按顺序并成一个 PDF，供一次打印。
//!
//! - 每份文档保留自己的页码（“— 1 —”从 1 起），版式与单独的文件完全相同；
//! - 书签（outline）：每份文档一个，同一单位的几份归在单位名下；
//! - 双面打印（`duplex`）：每份文档从奇数页（纸的正面）开始，前一份页数为奇数时补一张空白页
//!   （GB/T 9704：空白页不编页码）。
//!
//! 字体子集对整本只做一次，所以合订本比各文件之和小。

use super::doc::{Document, Meta};
use super::error::TypesetError;
use super::flow::layout_document_into;
use super::layout::PageOut;
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

/// 书签项：（上一级书签，本文档书签，起始页）。
type Mark = (Option<String>, String, usize);

/// 书签：每份文档一个，相邻同组的归在组名下（组书签指向组内第一份）。
fn outline(marks: &[Mark]) -> Outline {
    let dest = |start: usize| XyzDestination::new(start - 1, Point::from_xy(0.0, 0.0));
    let mut root = Outline::new();
    let mut open: Option<(String, OutlineNode)> = None;
    for (group, title, start) in marks {
        let node = OutlineNode::new(title.clone(), dest(*start));
        match (group, &mut open) {
            (Some(g), Some((cur, parent))) if g == cur => parent.push_child(node),
            (group, _) => {
                if let Some((_, parent)) = open.take() {
                    root.push_child(parent);
                }
                match group {
                    Some(g) => {
                        let mut parent = OutlineNode::new(g.clone(), dest(*start));
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

/// 逐份写合订本：每份文档的页一交进来就画进 PDF，不必同时留着各份的排版结果——
/// 全区合订本可以一份一份地重新排版再并入，内存与文档份数无关。
pub struct BundleWriter<'a> {
    w: PdfWriter<'a>,
    meta: Meta,
    duplex: bool,
    marks: Vec<Mark>,
}

impl<'a> BundleWriter<'a> {
    /// 开始一本合订本。
    pub fn new(meta: &Meta, opts: &PdfOptions<'a>, duplex: bool) -> Result<Self, TypesetError> {
        Ok(BundleWriter {
            w: PdfWriter::new(meta, opts)?,
            meta: meta.clone(),
            duplex,
            marks: Vec::new(),
        })
    }

    /// 下一份从哪一页起：双面打印时前一份页数为奇数就补一张空白页。记下书签。
    fn start(&mut self, group: Option<String>, title: String) {
        if self.duplex && self.w.pages() % 2 == 1 {
            self.w.blank();
        }
        self.marks.push((group, title, self.w.pages() + 1));
    }

    /// 并入一份排好的文档。
    pub fn add(&mut self, group: Option<String>, title: String, laid: &LaidOut) {
        self.start(group, title);
        for (i, p) in laid.pages.iter().enumerate() {
            self.w.page(p, i + 1);
        }
    }

    /// 排版一份文档，写成它自己的 PDF（交回），同时逐页并入本合订本：只排一次版，每页画进两份 PDF 就丢。
    /// 交回的缺字是这份文档的；合订本不另报。
    pub fn add_rendered(
        &mut self,
        group: Option<String>,
        title: String,
        doc: &Document,
        opts: &PdfOptions<'a>,
    ) -> Result<RenderedPdf, TypesetError> {
        let mut own = PdfWriter::new(&doc.meta, opts)?;
        self.start(group, title);
        let (w, mut n) = (&mut self.w, 0);
        let mut missing = layout_document_into(doc, opts.fonts, &mut |page| {
            n += 1;
            own.page(&page, n);
            w.page(&page, n);
        });
        let pdf = own.finish(&doc.meta, None)?;
        missing.extend(pdf.missing);
        Ok(RenderedPdf { missing, ..pdf })
    }

    /// 依次并入 `docs` 给出的（上一级书签，书签，文档）：取文档与排版在另一个线程上做，排好的页
    /// 经有界通道交给本线程画——两个核一个排版、一个写 PDF，内存里只有通道里的几十页。
    /// `docs` 报错就停下并交回该错误（已并入的页不撤回，调用方应丢弃本合订本）。
    pub fn add_concurrently<E: Send>(
        &mut self,
        docs: impl Iterator<Item = Result<(Option<String>, String, Document), E>> + Send,
    ) -> Result<(), E> {
        // 一份文档的开头（书签），随后是它的页，几页一批（少些线程间的唤醒）。
        enum Feed {
            Start(Option<String>, String),
            Pages(Vec<PageOut>),
        }
        const BATCH: usize = 8;
        let fonts = self.w.fonts();
        let (tx, rx) = std::sync::mpsc::sync_channel::<Feed>(4);
        std::thread::scope(|s| {
            let producer = s.spawn(move || -> Result<(), E> {
                for item in docs {
                    let (group, title, doc) = item?;
                    if tx.send(Feed::Start(group, title)).is_err() {
                        break;
                    }
                    let mut batch = Vec::with_capacity(BATCH);
                    layout_document_into(&doc, fonts, &mut |page| {
                        batch.push(page);
                        if batch.len() == BATCH {
                            // 接收方已停下（只会因为 panic）时丢掉余下的页。
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                            let _ = tx.send(Feed::Pages(full));
                        }
                    });
                    if !batch.is_empty() && tx.send(Feed::Pages(batch)).is_err() {
                        break;
                    }
                }
                Ok(())
            });
            let mut n = 0;
            for feed in rx {
                match feed {
                    Feed::Start(group, title) => {
                        self.start(group, title);
                        n = 0;
                    }
                    Feed::Pages(pages) => {
                        for page in &pages {
                            n += 1;
                            self.w.page(page, n);
                        }
                    }
                }
            }
            producer.join().expect("合订本排版线程")
        })
    }

    /// 已写的页数（含补的空白页）。
    pub fn pages(&self) -> usize {
        self.w.pages()
    }

    /// 写完：元数据与书签。
    pub fn finish(self) -> Result<RenderedPdf, TypesetError> {
        let outline = outline(&self.marks);
        self.w.finish(&self.meta, Some(outline))
    }
}

/// 把几份排好的文档并成一个 PDF（书签、各自的页码、可选的双面补页）。纯函数。
pub fn render_bundle(
    parts: &[BundlePart],
    meta: &Meta,
    opts: &PdfOptions,
    duplex: bool,
) -> Result<RenderedPdf, TypesetError> {
    let mut b = BundleWriter::new(meta, opts, duplex)?;
    for part in parts {
        b.add(part.group.clone(), part.title.clone(), part.laid);
    }
    // 缺字已随各份文档单独报告过；合订本只另收页码里的。
    b.finish()
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

    /// 测试用的文档：`pages` 页，第二节横排（合订本要带 /Rotate 与补页）。
    fn sample(name: &str, pages: usize) -> Document {
        use crate::typeset::doc::{Block, Orientation, Section, Span};
        let p = |t: String| Block::Paragraph {
            content: vec![Span::body(t)],
            align: crate::typeset::Align::Justify,
            indent: true,
        };
        let mut blocks = vec![p(format!("{name}第一页"))];
        for i in 2..pages {
            blocks.push(Block::PageBreak);
            blocks.push(p(format!("{name}第{i}页")));
        }
        let mut sections = vec![Section {
            orientation: Orientation::Portrait,
            blocks,
        }];
        if pages > 1 {
            sections.push(Section {
                orientation: Orientation::Landscape,
                blocks: vec![p(format!("{name}末页"))],
            });
        }
        Document {
            meta: Meta {
                title: name.into(),
                created: Some((2023, 2, 8)),
                ..Default::default()
            },
            sections,
        }
    }

    #[test]
    fn streamed_bundles_are_byte_identical_to_laid_out_ones() {
        use crate::typeset::{layout, render_pdf, FontSet};
        let fonts = FontSet::shared_builtin();
        let opts = PdfOptions::new(fonts);
        let meta = Meta {
            title: "合订本".into(),
            created: Some((2023, 2, 8)),
            ..Default::default()
        };
        let docs = [sample("甲", 3), sample("乙", 1), sample("丙", 2)];
        let laid: Vec<LaidOut> = docs.iter().map(|d| layout(d, fonts)).collect();
        let parts: Vec<BundlePart> = laid
            .iter()
            .enumerate()
            .map(|(i, l)| BundlePart {
                group: Some(if i < 2 { "单位一" } else { "单位二" }.into()),
                title: docs[i].meta.title.clone(),
                laid: l,
            })
            .collect();
        let reference = render_bundle(&parts, &meta, &opts, true).unwrap();
        assert_eq!(
            reference.pages,
            3 + 1 + 1 + 1 + 2,
            "乙、丙从奇数页起，前面各补一张空白页"
        );

        // 各份边排边写自己的 PDF，同时并入合订本：两种 PDF 都与先排好再写的逐字节相同。
        let mut b = BundleWriter::new(&meta, &opts, true).unwrap();
        for (d, part) in docs.iter().zip(&parts) {
            let own = b
                .add_rendered(part.group.clone(), part.title.clone(), d, &opts)
                .unwrap();
            assert_eq!(own.bytes, render_pdf(d, &opts).unwrap().bytes);
        }
        assert_eq!(b.finish().unwrap().bytes, reference.bytes);

        // 在另一个线程上排版、经通道逐页并入：同样逐字节相同。
        let mut b = BundleWriter::new(&meta, &opts, true).unwrap();
        let feed = docs
            .iter()
            .zip(&parts)
            .map(|(d, p)| Ok::<_, String>((p.group.clone(), p.title.clone(), d.clone())));
        b.add_concurrently(feed).unwrap();
        assert_eq!(b.pages(), reference.pages);
        assert_eq!(b.finish().unwrap().bytes, reference.bytes);

        // 取文档出错就停下，交回那个错误。
        let mut b = BundleWriter::new(&meta, &opts, true).unwrap();
        let feed = [
            Ok((None, "甲".into(), docs[0].clone())),
            Err("坏".to_string()),
        ];
        assert_eq!(b.add_concurrently(feed.into_iter()), Err("坏".to_string()));
    }
}
