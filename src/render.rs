//! 渲染阶段：把规划好的输出（[`BuildPlan`]）变成文件字节。
//!
//! 纯函数，无 I/O：每个单位的 PDF 与 XLSX 并行生成，结果按计划顺序收集，与线程数无关，
//! 同输入同字节。写文件由 [`crate::output`] 负责。

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::date::Date;
use crate::forms::{letters, sheets, Sheet};
use crate::plan::{self, BuildPlan, DocKind, Schedule};
use crate::duties::Duties;
use crate::submissions::Submissions;
use crate::templates::Templates;
use crate::typeset::{render_pdf, Document, Meta, MissingChar, PdfOptions};
use crate::registry::Registry;
use crate::xlsx::{self, XlsxOptions};
use anyhow::Context;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// 渲染阶段的全部输入（只读，线程间共享）。
pub struct BuildInput<'a> {
    pub config: &'a Config,
    pub catalogue: &'a Catalogue,
    pub registry: &'a Registry,
    pub duties: &'a Duties,
    pub submissions: &'a Submissions,
    pub schedule: &'a Schedule,
    pub plan: &'a BuildPlan,
}

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

/// 渲染器：PDF 可关闭（`--no-pdf`，或测试中没有字体时）。
pub struct Renderers<'a> {
    pub pdf: Option<&'a PdfOptions<'a>>,
    pub templates: &'a Templates,
}

fn meta(cfg: &Config, title: &str, today: Date) -> Meta {
    Meta {
        title: title.into(),
        author: cfg.project.issuer.clone(),
        subject: cfg.project.title.clone(),
        language: "zh-CN".into(),
        created: Some((today.year, today.month, today.day)),
    }
}

fn xlsx_opts(cfg: &Config, today: Date) -> XlsxOptions {
    XlsxOptions {
        created: today,
        author: cfg.project.issuer.clone(),
        password: None,
    }
}

fn pdf_file(
    r: &Renderers,
    doc: &Document,
    rel: PathBuf,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    let Some(opts) = r.pdf else { return Ok(()) };
    let pdf = render_pdf(doc, opts).with_context(|| format!("{unit} 的 {kind} 排版失败"))?;
    out.warnings
        .extend(missing_glyph_warnings(&rel, unit, &pdf.missing));
    out.files.push(OutFile {
        rel,
        bytes: pdf.bytes,
        pages: pdf.pages,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(())
}

/// 缺字警告：每份文档中每个字只报一次，写明文档、单位、字与码位。
///
/// 排版器按（字, 字体样式）各报一次；同一个字在正文和标题里都缺时在这里合并。
/// 任何字体都没有的字（画成“〓”，文本层仍是原字）优先于“改用其他字体”报告。
fn missing_glyph_warnings(rel: &Path, unit: &str, missing: &[MissingChar]) -> Vec<String> {
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

fn sheet_files(
    input: &BuildInput,
    r: &Renderers,
    sheet: &Sheet,
    stem: &Path,
    unit: &str,
    kind: &str,
    out: &mut Rendered,
) -> anyhow::Result<()> {
    let today = input.plan.today;
    let doc = sheet.to_document(meta(input.config, &sheet.title, today));
    pdf_file(r, &doc, stem.with_extension("pdf"), unit, kind, out)?;
    let bytes = xlsx::write_sheet(sheet, &xlsx_opts(input.config, today))
        .with_context(|| format!("{unit} 的 {kind} 生成 XLSX 失败"))?;
    out.files.push(OutFile {
        rel: stem.with_extension("xlsx"),
        bytes,
        pages: 0,
        unit: unit.into(),
        kind: kind.into(),
    });
    Ok(())
}

/// 渲染一个单位的全部文件（纯函数，无 I/O）。
pub fn render_unit(
    input: &BuildInput,
    r: &Renderers,
    up: &plan::UnitPlan,
) -> anyhow::Result<Rendered> {
    let mut out = Rendered::default();
    let d = &input.duties.units[up.duties];
    let cat = input.catalogue;
    let subs = input.submissions;
    let today = input.plan.today;
    let dir = PathBuf::from(&up.dir);
    // 文书（任务清单、催报通知）只出 PDF；表单出 PDF 与 XLSX。
    enum Built {
        Text(Document),
        Sheet(Sheet),
    }
    for doc in &up.docs {
        let kind = doc.kind.name();
        let issuer = &input.config.project.issuer;
        let built = match doc.kind {
            DocKind::TaskList | DocKind::Reminder if r.pdf.is_none() => continue,
            DocKind::TaskList => {
                let items = plan::due_items(cat, d, subs, input.schedule);
                let view = letters::tasklist_view(cat, d, &items, input.schedule, issuer, today);
                let title = format!("{}任务清单", up.unit);
                let meta = meta(input.config, &title, today);
                Built::Text(letters::to_document(r.templates, letters::TASKLIST_TEMPLATE, &view, meta)?.1)
            }
            DocKind::Reminder => {
                let view = letters::reminder_view(
                    cat,
                    &up.unit,
                    &up.reminders,
                    input.schedule,
                    issuer,
                    today,
                );
                let title = format!("{}催报通知", up.unit);
                let meta = meta(input.config, &title, today);
                Built::Text(letters::to_document(r.templates, letters::REMINDER_TEMPLATE, &view, meta)?.1)
            }
            DocKind::Plan => Built::Sheet(sheets::plan_sheet(cat, d, subs)),
            DocKind::OverallPlan => {
                Built::Sheet(sheets::overall_plan_sheet(cat, d, subs, input.registry))
            }
            DocKind::Contacts => Built::Sheet(sheets::contacts_sheet(&up.unit, subs)),
            DocKind::Quarterly(q) => Built::Sheet(sheets::quarterly_sheet(cat, d, subs, q)),
        };
        match built {
            Built::Text(document) => {
                let rel = dir.join(format!("{}.pdf", doc.stem));
                pdf_file(r, &document, rel, &up.unit, &kind, &mut out)?;
            }
            Built::Sheet(s) => {
                let stem = dir.join(&doc.stem);
                sheet_files(input, r, &s, &stem, &up.unit, &kind, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// 总表文件名（输出目录根下）。
pub const MASTER_STEM: &str = "00-责任分解总表";
/// 索引文件名。
pub const INDEX_FILE: &str = "文件清单.csv";

/// 并行渲染全部单位和总表；结果按计划顺序排列，与线程数无关。
pub fn render_all(
    input: &BuildInput,
    r: &Renderers,
    on_unit_done: &(dyn Fn() + Sync),
) -> anyhow::Result<Rendered> {
    let master = sheets::master_sheet(input.catalogue, &input.config.project.title);
    let mut all = Rendered::default();
    sheet_files(
        input,
        r,
        &master,
        Path::new(MASTER_STEM),
        "",
        "责任分解总表",
        &mut all,
    )?;
    let parts: Vec<anyhow::Result<Rendered>> = input
        .plan
        .units
        .par_iter()
        .map(|up| {
            let r = render_unit(input, r, up);
            on_unit_done();
            r
        })
        .collect();
    for p in parts {
        let p = p?;
        all.files.extend(p.files);
        all.warnings.extend(p.warnings);
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
