//! PDF 渲染器：排版结果 → krilla（PDF/A-2b）。纯函数，无 I/O，同输入同输出。

use super::doc::{Document, Meta, Span};
use super::error::{MissingChar, TypesetError};
use super::flow::{layout_document, layout_document_into};
use super::fonts::FontSet;
use super::layout::{
    emit_line, mm, text_width, Item, PageOut, ASCENT, BLOCK_H, BLOCK_W, MARGIN_LEFT, MARGIN_TOP,
    PAGE_H, PAGE_W,
};
use super::rotate::rotate_pages;
use super::text::shape;
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};

/// 渲染选项。
pub struct PdfOptions<'a> {
    pub fonts: &'a FontSet,
    /// 生成 PDF/A-2b。
    pub pdfa: bool,
    /// 页脚页码“— 1 —”。
    pub page_numbers: bool,
}

impl<'a> PdfOptions<'a> {
    /// 默认选项：PDF/A-2b，带页码。
    pub fn new(fonts: &'a FontSet) -> Self {
        PdfOptions {
            fonts,
            pdfa: true,
            page_numbers: true,
        }
    }
}

/// 渲染结果。
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub missing: Vec<MissingChar>,
}

/// 页码字号：4 号。
const PAGE_NO_SIZE: f32 = 14.0;

/// 排好版、尚未写成 PDF 的一份文档：单独出 PDF，或与别的文档一起并入合订本（见 `bundle`）。
#[derive(Debug, Clone)]
pub struct LaidOut {
    pub(crate) pages: Vec<PageOut>,
    /// 缺字（已按字与样式去重）。
    pub missing: Vec<MissingChar>,
}

impl LaidOut {
    /// 页数。
    pub fn pages(&self) -> usize {
        self.pages.len()
    }
    /// 第 i 页（从 0 起）是否横排。
    pub fn landscape(&self, i: usize) -> bool {
        self.pages.get(i).is_some_and(|p| p.landscape)
    }
}

/// 排版（不出 PDF）。纯函数。
pub fn layout(doc: &Document, fonts: &FontSet) -> LaidOut {
    let (pages, missing) = layout_document(doc, fonts);
    LaidOut { pages, missing }
}

/// 把文档渲染为 PDF 字节。纯函数：无 I/O，同输入同输出。
///
/// 每排完一页就画进 PDF、丢掉排版结果：几千页的总表也只占一页的排版内存。
pub fn render_pdf(doc: &Document, opts: &PdfOptions) -> Result<RenderedPdf, TypesetError> {
    let mut w = PdfWriter::new(&doc.meta, opts)?;
    let mut n = 0;
    let mut missing = layout_document_into(doc, opts.fonts, &mut |page| {
        n += 1;
        w.page(&page, n);
    });
    let pdf = w.finish(&doc.meta, None)?;
    missing.extend(pdf.missing);
    Ok(RenderedPdf { missing, ..pdf })
}

/// 把排好的文档写成 PDF（横排页加 `/Rotate 90`，见 `rotate`）。
pub fn render_laid(
    laid: &LaidOut,
    meta: &Meta,
    opts: &PdfOptions,
) -> Result<RenderedPdf, TypesetError> {
    let mut w = PdfWriter::new(meta, opts)?;
    for (i, page) in laid.pages.iter().enumerate() {
        w.page(page, i + 1);
    }
    let pdf = w.finish(meta, None)?;
    let mut missing = laid.missing.clone();
    missing.extend(pdf.missing);
    Ok(RenderedPdf { missing, ..pdf })
}

/// 逐页写 PDF：排好的页（页码按各页在本文档中的号）或双面打印补的空白页（不编页码），
/// 最后加书签，横排页加 `/Rotate 90`。页一交进来就画成内容流，调用方不必留着排版结果。
pub(crate) struct PdfWriter<'a> {
    pdf: krilla::Document,
    fonts: &'a FontSet,
    page_numbers: bool,
    /// 横排页的下标（从 0 起）。
    rotated: Vec<usize>,
    count: usize,
    /// 页码里的缺字。
    missing: Vec<MissingChar>,
}

impl<'a> PdfWriter<'a> {
    pub fn new(meta: &Meta, opts: &PdfOptions<'a>) -> Result<Self, TypesetError> {
        if opts.pdfa && meta.created.is_none() {
            // PDF/A 要求写明创建日期；库里不读系统时钟，只能由调用方给出。
            return Err(TypesetError::Layout(
                "PDF/A 需要创建日期（Meta.created）\n  提示：用 --today、duban.toml 的 [project] today 或环境变量 SOURCE_DATE_EPOCH 指定".into(),
            ));
        }
        let mut settings = krilla::SerializeSettings::default();
        if opts.pdfa {
            settings.configuration = krilla::configure::ConfigurationBuilder::new()
                .with_archival_validator(krilla::configure::Archival::A2_B)
                .finish()
                .map_err(|e| TypesetError::Layout(format!("PDF/A 配置：{e:?}")))?;
        }
        // 不写结构标签：PDF/A-2b 不要求，省体积。
        settings.enable_tagging = false;
        Ok(PdfWriter {
            pdf: krilla::Document::new_with(settings),
            fonts: opts.fonts,
            page_numbers: opts.page_numbers,
            rotated: Vec::new(),
            count: 0,
            missing: Vec::new(),
        })
    }

    /// 已写的页数。
    pub fn pages(&self) -> usize {
        self.count
    }

    pub fn fonts(&self) -> &'a FontSet {
        self.fonts
    }

    /// 画一页排好的页，页脚页码为 `number`。
    pub fn page(&mut self, page: &PageOut, number: usize) {
        self.sheet(Some((page, number)));
    }

    /// 补一张空白页（不编页码）。
    pub fn blank(&mut self) {
        self.sheet(None);
    }

    fn sheet(&mut self, page: Option<(&PageOut, usize)>) {
        let size = krilla::geom::Size::from_wh(mm(PAGE_W), mm(PAGE_H)).expect("A4");
        let mut p = self
            .pdf
            .start_page_with(krilla::page::PageSettings::new(size));
        let mut surface = p.surface();
        if let Some((page, n)) = page {
            draw_page(&mut surface, self.fonts, page);
            if self.page_numbers {
                draw_page_number(&mut surface, self.fonts, n, &mut self.missing);
            }
            if page.landscape {
                self.rotated.push(self.count);
            }
        }
        surface.finish();
        p.finish();
        self.count += 1;
    }

    /// 写完：元数据、书签，横排页加 `/Rotate 90`。交回的缺字只有页码里的。
    pub fn finish(
        mut self,
        meta: &Meta,
        outline: Option<krilla::outline::Outline>,
    ) -> Result<RenderedPdf, TypesetError> {
        self.pdf.set_metadata(metadata(meta));
        if let Some(o) = outline {
            self.pdf.set_outline(o);
        }
        let bytes = self
            .pdf
            .finish()
            .map_err(|e| TypesetError::Layout(krilla_error(e)))?;
        Ok(RenderedPdf {
            bytes: rotate_pages(bytes, &self.rotated)?,
            pages: self.count,
            missing: self.missing,
        })
    }
}

fn krilla_error(e: krilla::error::KrillaError) -> String {
    use krilla::configure::ValidationError as V;
    match e {
        krilla::error::KrillaError::Validation(errs) => {
            let list: Vec<String> = errs
                .iter()
                .map(|(e, _)| match e {
                    V::RestrictedLicense(_) => {
                        "字体许可禁止嵌入（fsType）\n  提示：换一款字体，或在 duban.toml 设 [pdf] pdfa = false".to_string()
                    }
                    V::MissingDocumentDate => "缺少创建日期".to_string(),
                    other => format!("{other:?}"),
                })
                .collect();
            format!("不符合 PDF/A：{}", list.join("；"))
        }
        other => format!("{other:?}"),
    }
}

fn metadata(m: &Meta) -> krilla::metadata::Metadata {
    let lang = if m.language.is_empty() {
        "zh-CN".to_string()
    } else {
        m.language.clone()
    };
    let mut md = krilla::metadata::Metadata::new()
        .language(lang)
        .creator("duban（督办）".to_string());
    if !m.title.is_empty() {
        md = md.title(m.title.clone());
    }
    if !m.author.is_empty() {
        md = md.authors(vec![m.author.clone()]);
    }
    if !m.subject.is_empty() {
        md = md.description(m.subject.clone());
    }
    if let Some((y, mo, d)) = m.created {
        let date = krilla::metadata::DateTime::new(y.clamp(0, 9999) as u16)
            .month(mo)
            .day(d)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(8)
            .utc_offset_minute(0);
        md = md.creation_date(date);
    }
    md
}

/// 版心到页面的变换。竖排：平移到左上角（28 mm, 37 mm）。
/// 横排（GB/T 9704 §8）：纸张仍是竖放的 A4，表格转 90°，表头朝订口（左侧），页码位置不变。
fn block_transform(landscape: bool) -> Transform {
    if landscape {
        // 横排坐标 (u, v) → 页面 (x, y) = (左边距 + v, 版心底 − u)
        Transform::from_row(
            0.0,
            -1.0,
            1.0,
            0.0,
            mm(MARGIN_LEFT),
            mm(MARGIN_TOP + BLOCK_H),
        )
    } else {
        Transform::from_translate(mm(MARGIN_LEFT), mm(MARGIN_TOP))
    }
}

fn draw_page(surface: &mut krilla::surface::Surface, fonts: &FontSet, page: &PageOut) {
    surface.push_transform(&block_transform(page.landscape));
    let stroke = Stroke {
        width: 0.5,
        ..Default::default()
    };
    // 先画全部线条（一条路径），再画文字。
    let mut pb = PathBuilder::new();
    let mut any = false;
    for item in &page.items {
        if let Item::Rule(x1, y1, x2, y2) = *item {
            pb.move_to(x1, y1);
            pb.line_to(x2, y2);
            any = true;
        }
    }
    if any {
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(stroke));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
    let mut red = false;
    for item in &page.items {
        if let Item::Text(run) = item {
            if run.red != red {
                red = run.red;
                surface.set_fill(Some(if red {
                    Fill {
                        paint: krilla::color::rgb::Color::new(0xC0, 0, 0).into(),
                        ..Fill::default()
                    }
                } else {
                    Fill::default()
                }));
            }
            let glyphs: Vec<KrillaGlyph> = run
                .glyphs
                .iter()
                .map(|(gid, adv, range)| {
                    KrillaGlyph::new(
                        GlyphId::new(*gid as u32),
                        adv / run.size,
                        0.0,
                        0.0,
                        0.0,
                        range.clone(),
                        None,
                    )
                })
                .collect();
            surface.draw_glyphs(
                Point::from_xy(run.x, run.baseline),
                &glyphs,
                fonts.faces[run.face].font.clone(),
                &run.text,
                run.size,
                false,
            );
        }
    }
    surface.pop();
}

/// 页码“— 1 —”：4 号半角宋体数字，版心下边缘之下 7 mm，单页居右、双页居左，各空一字。
fn draw_page_number(
    surface: &mut krilla::surface::Surface,
    fonts: &FontSet,
    n: usize,
    missing: &mut Vec<MissingChar>,
) {
    let text = format!("— {n} —");
    let w = text_width(fonts, &text, PAGE_NO_SIZE);
    let left = mm(MARGIN_LEFT);
    let right = mm(MARGIN_LEFT + BLOCK_W);
    let x = if n % 2 == 1 {
        right - PAGE_NO_SIZE - w
    } else {
        left + PAGE_NO_SIZE
    };
    // 页码行顶端（汉字字面顶）在版心下边缘下 7 mm。
    let baseline = mm(MARGIN_TOP + BLOCK_H + 7.0) + ASCENT * PAGE_NO_SIZE;
    let shaped = shape(fonts, &[Span::body(text.clone())], missing);
    let mut items = Vec::new();
    let extra = vec![0.0; shaped.glyphs.len()];
    emit_line(
        &mut items,
        &shaped,
        0,
        shaped.glyphs.len(),
        &extra,
        x,
        baseline,
        PAGE_NO_SIZE,
    );
    let page = PageOut {
        landscape: false,
        items,
    };
    // 页码按页面坐标画：抵消 draw_page 的版心平移。
    surface.push_transform(&Transform::from_translate(
        -mm(MARGIN_LEFT),
        -mm(MARGIN_TOP),
    ));
    draw_page(surface, fonts, &page);
    surface.pop();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::doc::{Block, Orientation, Section};

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            meta: crate::typeset::Meta {
                created: Some((2023, 2, 7)),
                ..Default::default()
            },
            sections: vec![Section {
                orientation: Orientation::Portrait,
                blocks,
            }],
        }
    }

    #[test]
    fn empty_document_renders_and_pdfa_needs_a_date() {
        let fonts = FontSet::shared_builtin();
        let out = render_pdf(&doc(vec![]), &PdfOptions::new(fonts)).unwrap();
        assert_eq!(out.pages, 1);
        assert!(out.bytes.starts_with(b"%PDF-"));
        // 没有日期：PDF/A 给出中文错误（不偷偷取系统时钟）；非 PDF/A 照常输出。
        let err = render_pdf(&Document::default(), &PdfOptions::new(fonts)).unwrap_err();
        assert!(err.to_string().contains("创建日期"), "{err}");
        let opts = PdfOptions {
            pdfa: false,
            ..PdfOptions::new(fonts)
        };
        assert_eq!(render_pdf(&Document::default(), &opts).unwrap().pages, 1);
    }

    #[test]
    fn page_breaks_and_sections_start_new_pages() {
        let fonts = FontSet::shared_builtin();
        let p = |t: &str| Block::Paragraph {
            content: vec![Span::body(t)],
            align: crate::typeset::Align::Justify,
            indent: true,
        };
        let mut d = doc(vec![p("甲"), Block::PageBreak, Block::PageBreak, p("乙")]);
        assert_eq!(render_pdf(&d, &PdfOptions::new(fonts)).unwrap().pages, 2);
        d.sections.push(Section {
            orientation: Orientation::Landscape,
            blocks: vec![p("丙")],
        });
        assert_eq!(render_pdf(&d, &PdfOptions::new(fonts)).unwrap().pages, 3);
        // 22 个空行正好一页：再多一行就换页。
        let d = doc(vec![Block::Spacer(21), p("丁")]);
        assert_eq!(render_pdf(&d, &PdfOptions::new(fonts)).unwrap().pages, 1);
        let d = doc(vec![Block::Spacer(22), p("丁")]);
        assert_eq!(render_pdf(&d, &PdfOptions::new(fonts)).unwrap().pages, 2);
    }
}
