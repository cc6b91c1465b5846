//! 打印合订本：每个单位一本、全区一本。
//!
//! 单位的合订本与本单位各份 PDF 同时写（`BundleWriter::add_rendered`：每页排好后画进两份 PDF）。
//! 全区合订本要等全部单位排完、知道各份页数，才能排封面目录（它在最前面）。各份文件的排版结果
//! 若一直留到那时，内存随单位数和页数增长（30 倍规模的通知要几百 MB）；所以渲染时只记下每份的页数
//! （[`Printed`]），并全区本时再逐份重新组成、排版：排版是纯函数，两次结果相同，合订本逐字节不变。
//! 重新排版在另一个线程上做，排好的页经有界通道交给写 PDF 的线程（PDF 只能按页序写）。

use super::{compose, meta, Content, OutFile};
use crate::forms::cover::{cover_document, CoverRow};
use crate::forms::sheets;
use crate::plan::{BuildPlan, DocKind, UnitPlan, DISTRICT_STEM, MASTER_STEM, PRINT_DIR};
use crate::project::Project;
use crate::typeset::{bundle_starts, layout, BundleWriter, Document, LaidOut, Meta, PdfOptions};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// 出了 PDF 的一份文件：在本单位计划（`UnitPlan::docs`）中的下标与页数。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printed {
    pub doc: usize,
    pub pages: usize,
}

/// 一个单位的打印合订本（计划里有它时）：本单位的 PDF 按计划顺序，每份一个书签；
/// 各份渲染时逐页并入，最后由 [`finish_unit_bundle`] 写完。
pub(super) fn unit_bundle_writer<'f>(
    project: &Project,
    plan: &BuildPlan,
    up: &UnitPlan,
    opts: &PdfOptions<'f>,
) -> anyhow::Result<Option<BundleWriter<'f>>> {
    if !up.docs.iter().any(|d| d.kind == DocKind::Bundle) {
        return Ok(None);
    }
    let cfg = &project.config;
    let title = format!("{}督办材料（打印合订本）", up.unit);
    let meta = meta(cfg, &title, Some(plan.today));
    let b = BundleWriter::new(&meta, opts, cfg.pdf.duplex)
        .with_context(|| format!("{} 的打印合订本生成失败", up.unit))?;
    Ok(Some(b))
}

/// 写完一个单位的打印合订本。
pub(super) fn finish_unit_bundle(
    b: BundleWriter,
    up: &UnitPlan,
    stem: PathBuf,
) -> anyhow::Result<OutFile> {
    let pdf = b
        .finish()
        .with_context(|| format!("{} 的打印合订本生成失败", up.unit))?;
    Ok(OutFile {
        rel: stem.with_extension("pdf"),
        bytes: pdf.bytes,
        pages: pdf.pages,
        unit: up.unit.clone(),
        kind: DocKind::Bundle.name(),
    })
}

/// 计划中一份文件的 PDF 排版文档（与单独出 PDF 时完全相同）；不出 PDF 的返回 `None`。
fn printed_document(
    project: &Project,
    plan: &BuildPlan,
    up: &UnitPlan,
    doc: usize,
) -> anyhow::Result<Option<Document>> {
    Ok(match compose(project, plan, up, &up.docs[doc], true)? {
        None => None,
        Some(Content::Letter(d)) => Some(d),
        Some(Content::Sheet(s)) => {
            Some(s.to_document(meta(&project.config, &s.title, Some(plan.today))))
        }
    })
}

/// 全区打印合订本：封面目录、各单位的材料（单位名下分文件的书签）、最后是责任分解总表。
/// `units` 与 `plan.units` 一一对应，是各单位出了 PDF 的文件；`master_pages` 是总表的页数。
/// 封面目录里的起止页取决于目录自己有几页：排到页数不再变为止（通常两轮）。
pub fn district_bundle(
    project: &Project,
    plan: &BuildPlan,
    opts: &PdfOptions,
    master_pages: usize,
    units: &[Vec<Printed>],
) -> anyhow::Result<OutFile> {
    let cfg = &project.config;
    let bundle_meta = meta(cfg, "督办材料打印合订本", Some(plan.today));
    let (cover, total) = cover(project, plan, opts, &bundle_meta, master_pages, units);
    let mut b =
        BundleWriter::new(&bundle_meta, opts, cfg.pdf.duplex).context("全区打印合订本生成失败")?;
    b.add(None, "封面目录".into(), &cover);
    drop(cover);
    type Item = anyhow::Result<(Option<String>, String, Document)>;
    let docs = plan.units.iter().zip(units).flat_map(|(up, printed)| {
        printed.iter().map(move |p| -> Item {
            let doc = printed_document(project, plan, up, p.doc)?;
            let doc =
                doc.with_context(|| format!("{} 的 {} 没有 PDF", up.unit, up.docs[p.doc].stem))?;
            Ok((Some(up.unit.clone()), up.docs[p.doc].stem.clone(), doc))
        })
    });
    let master = std::iter::once_with(|| -> Item {
        let sheet = sheets::master_sheet(&project.catalogue, &cfg.project.title);
        let doc = sheet.to_document(meta(cfg, &sheet.title, Some(plan.today)));
        Ok((None, MASTER_STEM.to_string(), doc))
    });
    b.add_concurrently(docs.chain(master))?;
    // 两次排版必须一致，否则封面目录的起止页就错了。
    anyhow::ensure!(
        b.pages() == total,
        "全区打印合订本重新排版后页数不同（封面目录按 {total} 页编排，实得 {} 页）",
        b.pages()
    );
    let pdf = b.finish().context("全区打印合订本生成失败")?;
    Ok(OutFile {
        rel: Path::new(PRINT_DIR).join(format!("{DISTRICT_STEM}.pdf")),
        bytes: pdf.bytes,
        pages: pdf.pages,
        unit: String::new(),
        kind: "全区打印合订本".into(),
    })
}

/// 排封面目录，直到它的页数不再变（起止页取决于目录自己有几页）。
/// 交回封面目录的排版结果与合订本的总页数。
fn cover(
    project: &Project,
    plan: &BuildPlan,
    opts: &PdfOptions,
    meta: &Meta,
    master_pages: usize,
    units: &[Vec<Printed>],
) -> (LaidOut, usize) {
    let cfg = &project.config;
    let duplex = cfg.pdf.duplex;
    let counts: Vec<usize> = units
        .iter()
        .flatten()
        .map(|p| p.pages)
        .chain([master_pages])
        .collect();
    let mut cover_pages = 1;
    let mut cover = layout(&Document::default(), opts.fonts);
    for _ in 0..4 {
        let all: Vec<usize> = std::iter::once(cover_pages)
            .chain(counts.iter().copied())
            .collect();
        let (starts, total) = bundle_starts(&all, duplex);
        let rows = cover_rows(plan, units, master_pages, &starts[1..], &counts);
        let doc = cover_document(&cfg.project.title, &rows, duplex, total, meta.clone());
        cover = layout(&doc, opts.fonts);
        if cover.pages() == cover_pages {
            break;
        }
        cover_pages = cover.pages();
    }
    let all: Vec<usize> = std::iter::once(cover.pages()).chain(counts).collect();
    let total = bundle_starts(&all, duplex).1;
    (cover, total)
}

/// 封面目录各行：`starts`、`counts` 是各份文件（单位的材料依次，最后是总表）的起始页与页数。
fn cover_rows(
    plan: &BuildPlan,
    units: &[Vec<Printed>],
    master_pages: usize,
    starts: &[usize],
    counts: &[usize],
) -> Vec<CoverRow> {
    let mut rows = Vec::new();
    let mut k = 0;
    for (up, docs) in plan.units.iter().zip(units).filter(|(_, d)| !d.is_empty()) {
        let n = docs.len();
        rows.push(CoverRow {
            name: up.unit.clone(),
            docs: n,
            pages: counts[k..k + n].iter().sum(),
            start: starts[k],
            end: starts[k + n - 1] + counts[k + n - 1] - 1,
        });
        k += n;
    }
    rows.push(CoverRow {
        name: "责任分解总表".into(),
        docs: 1,
        pages: master_pages,
        start: starts[k],
        end: starts[k] + master_pages - 1,
    });
    rows
}
