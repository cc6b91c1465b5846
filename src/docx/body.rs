//! 正文（word/document.xml）：文档模型的各块 → 段落与表格，每节一个分节符（页面方向、页边距、页脚）。

use super::parts::{LINE, W_NS};
use super::{esc, DocxFonts};
use crate::typeset::{
    column_widths, Align, Block, Cell, Document, Orientation, Span, Style, Table,
};

/// 缇（1/20 磅）。
fn twips(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// 估算文字宽度（磅）：汉字与全角符号一个字宽，西文按 0.65 个字宽（各机器上的西文字体宽窄不一，
/// 宁宽勿窄），另留一个字的余量。Word 副本只用它分表格列宽，由 Word/WPS 用本机字体重排。
fn estimate(text: &str, size: f32) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.65 } else { 1.0 })
        .sum();
    (em + 1.0) * size
}

/// 一个正文元素：段落（段落属性、文字）或表格。分节符要放进一节最后一个段落的属性里。
enum Node {
    P { ppr: String, runs: String },
    Table(String),
}

fn style(id: &str) -> String {
    format!(r#"<w:pStyle w:val="{id}"/>"#)
}

/// 一段文字的 run：样式不是正文的片段另设字体（黑体强调、楷体、小标宋）；“\n”换行。
fn runs(spans: &[Span], fonts: &DocxFonts) -> String {
    sized_runs(spans, fonts, None)
}

/// 同 [`runs`]，另可指定字号（半磅，表格文字用）。
fn sized_runs(spans: &[Span], fonts: &DocxFonts, sz: Option<i64>) -> String {
    let mut out = String::new();
    for s in spans {
        let face = match s.style {
            Style::Body => String::new(),
            Style::Alert => r#"<w:color w:val="C00000"/>"#.to_string(),
            Style::Hei => font(&fonts.hei),
            Style::Kai => font(&fonts.kai),
            Style::Title => font(&fonts.title),
        };
        let size = sz
            .map(|v| format!(r#"<w:sz w:val="{v}"/><w:szCs w:val="{v}"/>"#))
            .unwrap_or_default();
        let rpr = if face.is_empty() && size.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{face}{size}</w:rPr>")
        };
        for (i, line) in s.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<w:r><w:br/></w:r>");
            }
            if !line.is_empty() {
                out.push_str(&format!(
                    r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
                    esc(line)
                ));
            }
        }
    }
    out
}

fn font(name: &str) -> String {
    format!(r#"<w:rFonts w:eastAsia="{}"/>"#, esc(name))
}

fn jc(align: Align) -> &'static str {
    match align {
        Align::Justify => "both",
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// 一节的各块 → 元素。`keep` 标记落款前的一段（与落款同页）。
fn blocks(bs: &[Block], fonts: &DocxFonts, width: f32, out: &mut Vec<Node>) {
    for (k, b) in bs.iter().enumerate() {
        let before_signature = matches!(bs.get(k + 1), Some(Block::Signature { .. }));
        let keep = if before_signature {
            "<w:keepNext/>"
        } else {
            ""
        };
        match b {
            Block::Title(spans) => out.push(Node::P {
                ppr: style("Title"),
                runs: runs(spans, fonts),
            }),
            Block::Heading { level, content } => out.push(Node::P {
                ppr: style(&format!("GwHeading{}", level.clamp(&1, &4))),
                runs: runs(content, fonts),
            }),
            Block::Paragraph {
                content,
                align,
                indent,
            } => {
                let base = if *indent { "Normal" } else { "GwAddressee" };
                out.push(Node::P {
                    ppr: format!(r#"{}{keep}<w:jc w:val="{}"/>"#, style(base), jc(*align)),
                    runs: runs(content, fonts),
                });
            }
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    let mark = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "•".into()
                    };
                    let mut spans = vec![Span::body(mark)];
                    spans.extend(item.iter().cloned());
                    let last = i + 1 == items.len();
                    out.push(Node::P {
                        ppr: format!("{}{}", style("Normal"), if last { keep } else { "" }),
                        runs: runs(&spans, fonts),
                    });
                }
            }
            Block::Table(t) => out.push(Node::Table(table(t, fonts, width))),
            Block::Signature { issuer, date } => signature(issuer, date, out),
            Block::PageBreak => out.push(Node::P {
                ppr: style("Normal"),
                runs: r#"<w:r><w:br w:type="page"/></w:r>"#.into(),
            }),
            Block::Spacer(n) => {
                for _ in 0..*n {
                    out.push(Node::P {
                        ppr: style("Normal"),
                        runs: String::new(),
                    });
                }
            }
        }
    }
}

/// 落款：成文日期右空四字；发文机关署名右缩进使它以成文日期为中心（按估算的字宽）。
fn signature(issuer: &str, date: &str, out: &mut Vec<Node>) {
    let (wi, wd) = (estimate(issuer, 16.0), estimate(date, 16.0));
    let right = (4.0 * 16.0 + (wd - wi) / 2.0).max(0.0);
    out.push(Node::P {
        ppr: format!(
            r#"{}<w:ind w:right="{}" w:firstLineChars="0" w:firstLine="0"/>"#,
            style("GwIssuer"),
            twips(right)
        ),
        runs: format!(r#"<w:r><w:t>{}</w:t></w:r>"#, esc(issuer)),
    });
    out.push(Node::P {
        ppr: style("GwDate"),
        runs: format!(r#"<w:r><w:t>{}</w:t></w:r>"#, esc(date)),
    });
}

/// 表格：全框线，表头行每页重复，列宽与 PDF 同规则；纵向合并用 vMerge，横向用 gridSpan。
fn table(t: &Table, fonts: &DocxFonts, width: f32) -> String {
    let widths = column_widths(t, width, &estimate);
    let n = widths.len();
    let grid: String = widths
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{}"/>"#, twips(*w)))
        .collect();
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| border(s))
        .collect();
    let mut xml = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="68" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="68" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#,
        twips(width)
    );
    let size = if t.font_size > 0.0 { t.font_size } else { 14.0 };
    let sz = (size * 2.0).round() as i64;
    for (rows, header) in [(&t.header, true), (&t.rows, false)] {
        // 每列还要被上方合并单元格覆盖几行。
        let mut covered = vec![0usize; n];
        for row in rows.iter() {
            xml.push_str("<w:tr>");
            xml.push_str(if header {
                "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
            } else {
                "<w:trPr><w:cantSplit/></w:trPr>"
            });
            let mut cells = row.cells.iter();
            let mut c = 0;
            while c < n {
                if covered[c] > 0 {
                    xml.push_str(&cell_xml(None, widths[c], 1, Some(false), sz, fonts));
                    covered[c] -= 1;
                    c += 1;
                    continue;
                }
                let Some(cell) = cells.next() else {
                    xml.push_str(&cell_xml(None, widths[c], 1, None, sz, fonts));
                    c += 1;
                    continue;
                };
                let span = (cell.col_span.max(1) as usize).min(n - c);
                let w: f32 = widths[c..c + span].iter().sum();
                let merge = (cell.row_span > 1).then_some(true);
                xml.push_str(&cell_xml(Some(cell), w, span, merge, sz, fonts));
                covered[c..c + span].fill(cell.row_span.saturating_sub(1) as usize);
                c += span;
            }
            // 多出来的单元格不丢：并入本行最后一格之后另起段落（与 PDF 一样不静默丢字）。
            for extra in cells {
                xml = xml.trim_end_matches("</w:tc>").to_string();
                xml.push_str(&format!(
                    r#"<w:p><w:pPr>{}</w:pPr>{}</w:p></w:tc>"#,
                    style("GwTableText"),
                    sized_runs(&[Span::styled(&extra.text, extra.style)], fonts, Some(sz))
                ));
            }
            xml.push_str("</w:tr>");
        }
    }
    xml.push_str("</w:tbl>");
    xml
}

/// 一个单元格；`merge`：`Some(true)` 纵向合并开始，`Some(false)` 被上方合并覆盖。
fn cell_xml(
    cell: Option<&Cell>,
    width: f32,
    span: usize,
    merge: Option<bool>,
    sz: i64,
    fonts: &DocxFonts,
) -> String {
    let mut pr = format!(r#"<w:tcW w:w="{}" w:type="dxa"/>"#, twips(width));
    if span > 1 {
        pr.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
    }
    match merge {
        Some(true) => pr.push_str(r#"<w:vMerge w:val="restart"/>"#),
        Some(false) => pr.push_str("<w:vMerge/>"),
        None => {}
    }
    pr.push_str(r#"<w:vAlign w:val="center"/>"#);
    let (text, align) = match cell {
        Some(c) => (
            sized_runs(&[Span::styled(&c.text, c.style)], fonts, Some(sz)),
            jc(c.align),
        ),
        None => (String::new(), "left"),
    };
    format!(
        r#"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:pPr>{}<w:jc w:val="{align}"/></w:pPr>{text}</w:p></w:tc>"#,
        style("GwTableText"),
    )
}

/// 一节的页面设置：A4，GB/T 9704 页边距（横排节转 90°），单双页页脚，第一节页码从 1 起。
fn sect_pr(o: Orientation, first: bool) -> String {
    let footers = r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>"#;
    // 竖排：天头 37、地脚 35、订口 28、切口 26 mm；横排节把竖放纸张转 90° 看：订口在上。
    let (size, margins) = match o {
        Orientation::Portrait => (
            r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
            r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="1247" w:gutter="0"/>"#,
        ),
        Orientation::Landscape => (
            r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#,
            r#"<w:pgMar w:top="1588" w:right="2098" w:bottom="1474" w:left="1984" w:header="851" w:footer="850" w:gutter="0"/>"#,
        ),
    };
    let start = if first {
        r#"<w:pgNumType w:start="1"/>"#
    } else {
        ""
    };
    format!(
        r#"<w:sectPr>{footers}{size}{margins}{start}<w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr>"#
    )
}

/// word/document.xml。
pub(super) fn document(doc: &Document, fonts: &DocxFonts) -> String {
    let mut body = String::new();
    let n = doc.sections.len();
    for (i, sec) in doc.sections.iter().enumerate() {
        let width = match sec.orientation {
            Orientation::Portrait => mm(156.0),
            Orientation::Landscape => mm(225.0),
        };
        let mut nodes = Vec::new();
        blocks(&sec.blocks, fonts, width, &mut nodes);
        let sect = sect_pr(sec.orientation, i == 0);
        let last = i + 1 == n;
        // 非末节的分节符放进本节最后一段；本节以表格结尾（或为空）时补一个空段落承载它。
        if !last && !matches!(nodes.last(), Some(Node::P { .. })) {
            nodes.push(Node::P {
                ppr: style("Normal"),
                runs: String::new(),
            });
        }
        let count = nodes.len();
        for (k, node) in nodes.into_iter().enumerate() {
            match node {
                Node::P { ppr, runs } => {
                    let extra = if !last && k + 1 == count {
                        sect.as_str()
                    } else {
                        ""
                    };
                    body.push_str(&format!("<w:p><w:pPr>{ppr}{extra}</w:pPr>{runs}</w:p>"));
                }
                Node::Table(t) => body.push_str(&t),
            }
        }
        if last {
            body.push_str(&sect);
        }
    }
    if n == 0 {
        body.push_str(&sect_pr(Orientation::Portrait, true));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W_NS}><w:body>{body}</w:body></w:document>"#
    )
}
