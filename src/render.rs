//! 渲染阶段：把规划好的输出（[`BuildPlan`]）变成文件字节。
//!
//! 两步，都是纯函数、无 I/O：先按计划组成内容（[`compose`]：表格型的 [`Sheet`] 或文书型的排版文档），
//! 再按格式出字节（PDF：`typeset::render_pdf`；XLSX：`xlsx::write_sheet`）。每个单位并行渲染，
//! 结果按计划顺序收集，与线程数无关，同输入同字节。写文件由 [`crate::output`] 负责。

use crate::config::Config;
use crate::date::Date;
use crate::docx::{write_docx, DocxFonts};
use crate::forms::{letters, sheets, tasklist, Sheet};
use crate::plan::{BuildPlan, DocKind, PlannedDoc, UnitPlan, MASTER_STEM};
use crate::project::Project;
use crate::typeset::{render_pdf, BundleWriter, Document, Meta, MissingChar, PdfOptions};
use crate::xlsx::{self, XlsxOptions};
use anyhow::Context;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

mod print;
pub use print::{district_bundle, Printed};

/// 一个待写的文件。
#[derive(Debug, Clone)]
pub struct OutFile {
    /// 相对输出目录的路径。
    pub rel: PathBuf,
    pub bytes: Vec<u8>,
    /// PDF 页数；XLSX 为 0。
    pub pages: usize,
    /// 所属单位（总表为空）。
    pub unit: String,
    /// 文档名，如“附表1-办理方案”。
    pub kind: String,
}

/// 渲染结果。
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutFile>,
    /// 缺字等警告（已带单位和文件名）。
    pub warnings: Vec<String>,
}

/// PDF 元数据：标题、发文机关、方案标题、中文、生成日期。
pub fn meta(cfg: &Config, title: &str, created: Option<Date>) -> Meta {
    Meta {
        title: title.into(),
        author: cfg.project.issuer.clone(),
        subject: cfg.project.title.clone(),
        language: "zh-CN".into(),
        created: created.map(|d| (d.year, d.month, d.day)),
    }
}

fn xlsx_opts(cfg: &Config, today: Date) -> XlsxOptions {
    XlsxOptions {
        created: today,
        author: cfg.project.issuer.clone(),
        password: None,
    }
}

/// 把一份排版文档渲染成 PDF 文件（`opts` 为 `None` 时不出 PDF）。缺字警告写明文件与单位。
pub fn pdf_file(
    opts: Option<&PdfOptions>,
    doc: &Document,
    rel: PathBuf,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    if let Some(opts) = opts {
        printed_pdf_file((opts, None), doc, rel, unit, kind, out)?;
    }
    Ok(())
}

/// 出 PDF 的选项，连同本单位的打印合订本（有的话：各份排版时逐页并入，书签是文件名）。
type PdfOut<'a, 'f> = (&'a PdfOptions<'f>, Option<&'a mut BundleWriter<'f>>);

/// 同 [`pdf_file`]，需要时同时并入打印合订本（只排一次版，排好的页画完就丢）；交回页数。
fn printed_pdf_file(
    (opts, bundle): PdfOut,
    doc: &Document,
    rel: PathBuf,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<usize> {
    let pdf = match bundle {
        Some(b) => {
            let title = rel.file_stem().unwrap_or_default().to_string_lossy();
            b.add_rendered(None, title.into_owned(), doc, opts)
        }
        None => render_pdf(doc, opts),
    }
    .with_context(|| format!("{unit} 的 {kind} 排版失败"))?;
    out.warnings
        .extend(missing_glyph_warnings(&rel, unit, &pdf.missing));
    let pages = pdf.pages;
    out.files.push(OutFile {
        rel,
        bytes: pdf.bytes,
        pages,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(pages)
}

/// 文书的 Word 副本（与 PDF 同内容，供各单位改后印发）。
pub(crate) fn docx_file(
    cfg: &Config,
    doc: &Document,
    rel: PathBuf,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    let bytes = write_docx(doc, &DocxFonts::from_config(&cfg.fonts))
        .with_context(|| format!("{unit} 的 {kind} 生成 Word 文档失败"))?;
    out.files.push(OutFile {
        rel,
        bytes,
        pages: 0,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(())
}

/// 缺字警告：每份文档中每个字只报一次，写明文档、单位、字与码位。
///
/// 排版器按（字, 字体样式）各报一次；同一个字在正文和标题里都缺时在这里合并。
/// 任何字体都没有的字（画成“〓”，文本层仍是原字）优先于“改用其他字体”报告。
pub fn missing_glyph_warnings(rel: &Path, unit: &str, missing: &[MissingChar]) -> Vec<String> {
    let mut by_char: Vec<&MissingChar> = Vec::new();
    for m in missing {
        match by_char.iter_mut().find(|x| x.ch == m.ch) {
            Some(x) if x.served_by.is_some() && m.served_by.is_none() => *x = m,
            Some(_) => {}
            None => by_char.push(m),
        }
    }
    let whose = if unit.is_empty() {
        String::new()
    } else {
        format!("（{unit}）")
    };
    by_char
        .into_iter()
        .map(|m| {
            // 任何字体都没有的字：提醒人工核对打印件。
            let note = if m.served_by.is_none() {
                "（复制文字仍得原字；请核对打印件或换用含此字的字体）"
            } else {
                ""
            };
            format!("{}{whose}：{m}{note}", rel.display())
        })
        .collect()
}

/// 表单的 PDF 与 XLSX；有 PDF 时交回页数。
#[allow(clippy::too_many_arguments)]
fn sheet_files(
    cfg: &Config,
    today: Date,
    pdf: Option<PdfOut>,
    sheet: &Sheet,
    stem: &Path,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<Option<usize>> {
    let doc = sheet.to_document(meta(cfg, &sheet.title, Some(today)));
    let pages = match pdf {
        Some(o) => Some(printed_pdf_file(
            o,
            &doc,
            stem.with_extension("pdf"),
            unit,
            kind,
            out,
        )?),
        None => None,
    };
    let bytes = xlsx::write_sheet(sheet, &xlsx_opts(cfg, today)).with_context(|| match unit {
        "" => format!("{kind} 生成 XLSX 失败"),
        _ => format!("{unit} 的 {kind} 生成 XLSX 失败"),
    })?;
    out.files.push(OutFile {
        rel: stem.with_extension("xlsx"),
        bytes,
        pages: 0,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(pages)
}

/// 一份计划中文件的内容：表格型（附表，出 PDF 与 XLSX）或文书型（任务清单、催报通知，只出 PDF）。
pub enum Content {
    Sheet(Sheet),
    Letter(Document),
}

/// 按计划组成一份文件的内容（纯函数）。文书只在出 PDF 时出（PDF 与 Word 副本）：不出 PDF 时返回
/// `None`，免得白白套模板。打印合订本由已排好的各份文件并成（见 [`render_unit`]），这里也返回 `None`。
pub fn compose(
    project: &Project,
    plan: &BuildPlan,
    up: &UnitPlan,
    doc: &PlannedDoc,
    with_letters: bool,
) -> anyhow::Result<Option<Content>> {
    let cat = &project.catalogue;
    let subs = &project.submissions;
    let d = &project.duties.units[up.duties];
    let (cfg, today) = (&project.config, plan.today);
    let issuer = &cfg.project.issuer;
    let tpl = &project.templates;
    Ok(match doc.kind {
        DocKind::Bundle => None,
        DocKind::TaskList | DocKind::Reminder if !with_letters => None,
        DocKind::TaskList => {
            let view = tasklist::tasklist_view(cat, d, &up.due, &project.schedule, issuer, today);
            let meta = meta(cfg, &format!("{}任务清单", up.unit), Some(today));
            let doc = letters::to_document(tpl, letters::TASKLIST_TEMPLATE, &view, meta)?.1;
            Some(Content::Letter(doc))
        }
        DocKind::Reminder => {
            // `build --reminders` 附带的催报通知没有督办编号：编号由 `duban remind` 的登记簿统一编排。
            let view = letters::reminder_view(
                cat,
                &up.unit,
                &up.reminders,
                &project.schedule,
                cfg,
                "",
                today,
            );
            let meta = meta(cfg, &format!("{}催报通知", up.unit), Some(today));
            let doc = letters::to_document(tpl, letters::REMINDER_TEMPLATE, &view, meta)?.1;
            Some(Content::Letter(doc))
        }
        DocKind::Plan => Some(Content::Sheet(sheets::plan_sheet(cat, d, subs))),
        DocKind::OverallPlan => Some(Content::Sheet(sheets::overall_plan_sheet(
            cat,
            d,
            subs,
            &project.registry,
        ))),
        DocKind::Contacts => Some(Content::Sheet(sheets::contacts_sheet(&up.unit, subs))),
        DocKind::Quarterly(q) => Some(Content::Sheet(sheets::quarterly_sheet(cat, d, subs, q))),
    })
}

/// 渲染一个单位的全部文件（纯函数，无 I/O）。
pub fn render_unit(
    project: &Project,
    plan: &BuildPlan,
    up: &UnitPlan,
    pdf: Option<&PdfOptions>,
) -> anyhow::Result<Rendered> {
    Ok(render_unit_printed(project, plan, up, pdf)?.0)
}

/// 渲染一个单位的全部文件，另交回出了 PDF 的各份的页数（供全区合订本排封面目录）。
/// 本单位的打印合订本与各份 PDF 同时写：每页排好后画进两份 PDF 就丢，不留排版结果。
pub fn render_unit_printed(
    project: &Project,
    plan: &BuildPlan,
    up: &UnitPlan,
    pdf: Option<&PdfOptions>,
) -> anyhow::Result<(Rendered, Vec<Printed>)> {
    let mut out = Rendered::default();
    let mut printed = Vec::new();
    let (cfg, today) = (&project.config, plan.today);
    let mut bundle = match pdf {
        Some(o) => print::unit_bundle_writer(project, plan, up, o)?,
        None => None,
    };
    for (i, doc) in up.docs.iter().enumerate() {
        let kind = doc.kind.name();
        let stem = doc.rel_stem(&up.dir);
        if doc.kind == DocKind::Bundle {
            if let Some(b) = bundle.take() {
                out.files.push(print::finish_unit_bundle(b, up, stem)?);
            }
            continue;
        }
        let pdf_out = pdf.map(|o| (o, bundle.as_mut()));
        let pages = match compose(project, plan, up, doc, pdf.is_some())? {
            None => None,
            Some(Content::Letter(document)) => {
                let pages = match pdf_out {
                    Some(o) => {
                        let rel = stem.with_extension("pdf");
                        Some(printed_pdf_file(
                            o, &document, rel, &up.unit, &kind, &mut out,
                        )?)
                    }
                    None => None,
                };
                if doc.kind.has_docx() {
                    let rel = stem.with_extension("docx");
                    docx_file(cfg, &document, rel, &up.unit, &kind, &mut out)?;
                }
                pages
            }
            Some(Content::Sheet(s)) => {
                sheet_files(cfg, today, pdf_out, &s, &stem, &up.unit, &kind, &mut out)?
            }
        };
        if let Some(pages) = pages {
            printed.push(Printed { doc: i, pages });
        }
    }
    Ok((out, printed))
}

/// 责任分解总表（输出目录根下）。
pub fn render_master(
    project: &Project,
    plan: &BuildPlan,
    pdf: Option<&PdfOptions>,
) -> anyhow::Result<Rendered> {
    Ok(render_master_printed(project, plan, pdf)?.0)
}

/// 同 [`render_master`]，另交回总表 PDF 的页数（不出 PDF 时为 `None`）。
pub fn render_master_printed(
    project: &Project,
    plan: &BuildPlan,
    pdf: Option<&PdfOptions>,
) -> anyhow::Result<(Rendered, Option<usize>)> {
    let cfg = &project.config;
    let master = sheets::master_sheet(&project.catalogue, &cfg.project.title);
    let mut out = Rendered::default();
    let stem = Path::new(MASTER_STEM);
    let pdf = pdf.map(|o| (o, None));
    let pages = sheet_files(
        cfg,
        plan.today,
        pdf,
        &master,
        stem,
        "",
        "责任分解总表",
        &mut out,
    )?;
    Ok((out, pages))
}

/// 并行渲染总表和全部单位；结果按计划顺序排列，与线程数无关。生成全部单位且出 PDF 时，
/// 最后并成全区打印合订本。
pub fn render_all(
    project: &Project,
    plan: &BuildPlan,
    pdf: Option<&PdfOptions>,
    on_unit_done: &(dyn Fn() + Sync),
) -> anyhow::Result<Rendered> {
    let (mut all, master) = render_master_printed(project, plan, pdf)?;
    let parts: Vec<anyhow::Result<(Rendered, Vec<Printed>)>> = plan
        .units
        .par_iter()
        .map(|up| {
            let r = render_unit_printed(project, plan, up, pdf);
            on_unit_done();
            r
        })
        .collect();
    let mut printed = Vec::with_capacity(parts.len());
    for p in parts {
        let (p, docs) = p?;
        all.files.extend(p.files);
        all.warnings.extend(p.warnings);
        printed.push(docs);
    }
    if let (true, Some(opts), Some(master)) = (plan.district, pdf, master) {
        all.files
            .push(district_bundle(project, plan, opts, master, &printed)?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::Style;

    #[test]
    fn missing_glyphs_reported_once_per_char_with_placeholder_case() {
        let m = |ch, style, face: Option<&str>| MissingChar {
            ch,
            style,
            served_by: face.map(String::from),
        };
        let missing = [
            m('\u{20000}', Style::Body, None),
            m('\u{20000}', Style::Title, None),
            m('鿋', Style::Body, Some("Noto Serif CJK SC")),
            m('鿋', Style::Title, None),
            m('㐀', Style::Body, Some("Noto Serif CJK SC")),
        ];
        let w = missing_glyph_warnings(Path::new("区甲局/01-任务清单.pdf"), "区甲局", &missing);
        assert_eq!(w.len(), 3, "{w:#?}");
        assert_eq!(
            w[0],
            "区甲局/01-任务清单.pdf（区甲局）：所有字体都缺字“\u{20000}”（U+20000），已用“〓”占位（复制文字仍得原字；请核对打印件或换用含此字的字体）"
        );
        assert!(
            w[1].contains("“鿋”（U+9FCB）") && w[1].contains("〓"),
            "{}",
            w[1]
        );
        assert!(
            w[2].contains("（U+3400），已改用Noto Serif CJK SC") && !w[2].contains("〓"),
            "{}",
            w[2]
        );
        let w = missing_glyph_warnings(Path::new("00-总表.pdf"), "", &missing[..1]);
        assert!(w[0].starts_with("00-总表.pdf：所有字体都缺字"), "{}", w[0]);
    }
}
