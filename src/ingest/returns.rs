//! 退回给单位的东西：标注表（按下发版式重排、原样填入单位所填的内容，有问题的格子标红加批注）
//! 与每个单位一份退回说明 PDF。
//!
//! 标注表用 duban 自己的写表程序重新生成，而不是改单位发来的文件：单位的文件可能来自 Excel、
//! WPS 或 LibreOffice，改它的 XML 容易弄出打不开的文件；重新生成的表带着隐藏键和保护，
//! 单位改好直接报回就能再次读回。

use super::extract::Block;
use super::fields::strip_ordinal;
use super::identify::{col_of, squash, Col, Identified};
use super::{Evaluation, Problem};
use crate::forms::{sheets, Sheet};
use crate::project::Project;
use crate::submissions::{FormKind, Person, PlanRow, PlanTask, Status, Submission, Submissions};
use crate::xlsx::CellMark;
use std::collections::BTreeMap;

/// 块中的一行在标注表里的隐藏键。
fn key_of(form: FormKind, b: &Block, lead: &str, i: usize) -> String {
    match form {
        FormKind::Plan => format!("task={};row={}", b.task, i + 1),
        FormKind::OverallPlan => format!("task={};lead={lead};row={}", b.task, i + 1),
        FormKind::Quarterly => format!("task={}", b.task),
        FormKind::Contacts => format!("person={}", b.person.as_deref().unwrap_or("")),
    }
}

/// 用单位所填的原文组成报送数据，让写表程序排出同样多的行。
fn raw_submissions(project: &Project, ident: &Identified, blocks: &[Block]) -> Submissions {
    let reg = &project.registry;
    let canon = |l: &str| {
        reg.unit(l)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| l.to_string())
    };
    let mut by_unit: BTreeMap<String, Submission> = BTreeMap::new();
    for b in blocks {
        let unit = match ident.form {
            FormKind::OverallPlan => canon(b.lead.as_deref().unwrap_or("")),
            _ => ident.unit.clone(),
        };
        let form = match ident.form {
            FormKind::OverallPlan => FormKind::Plan,
            f => f,
        };
        let sub = by_unit
            .entry(unit.clone())
            .or_insert_with(|| Submission::new(&unit, form));
        sub.quarter = ident.quarter;
        let r0 = &b.rows[0];
        match ident.form {
            FormKind::Plan | FormKind::OverallPlan => sub.plan.push(PlanTask {
                id: b.task.clone(),
                known: true,
                rows: b
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| PlanRow {
                        content: strip_ordinal(r.text(Col::Content), i + 1),
                        month: None,
                        leader: r.text(Col::Leader).into(),
                        department: r.text(Col::Department).into(),
                        lead: String::new(),
                        line: 0,
                    })
                    .collect(),
                line: 0,
            }),
            FormKind::Quarterly => sub.statuses.push(Status {
                id: b.task.clone(),
                known: true,
                text: b
                    .rows
                    .iter()
                    .map(|r| r.text(Col::Status))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
                line: 0,
            }),
            FormKind::Contacts => {
                let p = Some(Person {
                    name: r0.text(Col::Name).into(),
                    title: r0.text(Col::Title).into(),
                    office_phone: r0.text(Col::OfficePhone).into(),
                    mobile: r0.text(Col::Mobile).into(),
                });
                match b.person.as_deref() {
                    Some("leader") => sub.leader = p,
                    Some("office_head") => sub.office_head = p,
                    _ => sub.clerk = p,
                }
            }
        }
    }
    Submissions {
        files: by_unit.into_values().collect(),
        ..Default::default()
    }
}

/// 标注表与要标红的格子。完成时间照单位写的原文显示（哪怕不是月份）。
/// 单位没有这种表的分工时为 `None`（只出退回说明）。
pub fn marked_sheet(
    project: &Project,
    ident: &Identified,
    blocks: &[Block],
    problems: &[Problem],
) -> Option<(Sheet, Vec<CellMark>)> {
    let subs = raw_submissions(project, ident, blocks);
    let cat = &project.catalogue;
    let duties = project.duties.get(&ident.unit);
    let mut sheet = match (ident.form, duties) {
        (FormKind::Plan, Some(d)) => sheets::plan_sheet(cat, d, &subs),
        (FormKind::OverallPlan, Some(d)) => {
            sheets::overall_plan_sheet(cat, d, &subs, &project.registry)
        }
        (FormKind::Quarterly, Some(d)) => sheets::quarterly_sheet(cat, d, &subs, ident.quarter?),
        (FormKind::Contacts, _) => sheets::contacts_sheet(&ident.unit, &subs),
        // 单位没有这种表的分工：没有可照排的版式，只出退回说明。
        _ => return None,
    };
    // 标注表上的列：按表头认（与读回时同一套认法）。
    let sheet_col: BTreeMap<Col, usize> = sheet
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| col_of(&c.header).map(|k| (k, i)))
        .collect();
    let file_col: BTreeMap<u32, Col> = ident.layout.cols.iter().map(|(c, n)| (*n, *c)).collect();
    let row_ix: BTreeMap<String, usize> = sheet
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (squash(&r.key), i))
        .collect();
    // 单位文件中的行 → 标注表的行。
    let mut where_: BTreeMap<u32, usize> = BTreeMap::new();
    let canon = |l: &str| {
        project
            .registry
            .unit(l)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| l.to_string())
    };
    for b in blocks {
        let lead = canon(b.lead.as_deref().unwrap_or(""));
        for (i, r) in b.rows.iter().enumerate() {
            if let Some(&ix) = row_ix.get(&squash(&key_of(ident.form, b, &lead, i))) {
                where_.insert(r.at, ix);
                if let (Some(&mc), Some(g)) = (sheet_col.get(&Col::Month), r.cells.get(&Col::Month))
                {
                    set_text(&mut sheet, ix, mc, &g.text);
                }
            }
        }
    }
    let marks = problems
        .iter()
        .filter(|p| p.error)
        .filter_map(|p| {
            let (r, c) = p.at?;
            let col = *sheet_col.get(file_col.get(&c)?)?;
            Some(CellMark {
                row: *where_.get(&r)?,
                col,
                note: format!("{}\n{}", p.message, p.hint),
            })
        })
        .collect();
    Some((sheet, marks))
}

fn set_text(sheet: &mut Sheet, row: usize, col: usize, text: &str) {
    if let Some(c) = sheet.rows[row].cells.iter_mut().find(|c| c.col == col) {
        c.text = text.trim().to_string();
    }
}

/// 一个退回的文件。
pub struct ReturnInput<'a> {
    /// 登记序号。
    pub seq: u32,
    /// 原文件名。
    pub name: &'a str,
    pub eval: &'a Evaluation,
}

/// 一个单位的退回材料（已排好，未写出）：（相对报回件库的路径, 字节, 所属登记序号；说明 PDF 为 `None`）。
pub struct UnitReturn {
    pub files: Vec<(String, Vec<u8>, Option<u32>)>,
    /// 本单位这一批退回的登记序号。
    pub seqs: Vec<u32>,
}

/// 排出每个单位的退回说明与标注表：单位之间并行，结果按单位名排序（与线程数无关）。
/// 目录为 `退回/<收到日期>/<单位>/`。返回值另带字体报告。
pub fn render_returns(
    project: &Project,
    inputs: &[ReturnInput],
    received: crate::date::Date,
) -> anyhow::Result<(Vec<UnitReturn>, Vec<String>)> {
    use rayon::prelude::*;
    let mut by_unit: BTreeMap<&str, Vec<&ReturnInput>> = BTreeMap::new();
    for i in inputs {
        by_unit.entry(i.eval.unit.as_str()).or_default().push(i);
    }
    if by_unit.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let cfg = &project.config;
    let (fonts, report) = crate::typeset::FontSet::load(&cfg.fonts, &project.root)?;
    let pdf = crate::typeset::PdfOptions {
        fonts: &fonts,
        pdfa: cfg.pdf.pdfa,
        page_numbers: true,
    };
    let units: Vec<(&str, Vec<&ReturnInput>)> = by_unit.into_iter().collect();
    let out = units
        .par_iter()
        .map(|(unit, its)| unit_return(project, unit, its, received, &pdf))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((out, report.lines))
}

/// 一个单位：每个退回文件一份标注表，再一份退回说明。
fn unit_return(
    project: &Project,
    unit: &str,
    its: &[&ReturnInput],
    received: crate::date::Date,
    pdf: &crate::typeset::PdfOptions,
) -> anyhow::Result<UnitReturn> {
    use crate::submissions::received::{form_label, RETURNS_DIR};
    let folder = format!("{RETURNS_DIR}/{received}/{}", crate::plan::safe_name(unit));
    let xlsx_opts = crate::xlsx::XlsxOptions {
        created: received,
        author: project.config.project.issuer.clone(),
        password: None,
    };
    let mut files = Vec::new();
    let mut sources = Vec::new();
    for it in its {
        let stem = std::path::Path::new(it.name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut marked = String::new();
        if let Some((sheet, marks)) = &it.eval.marked {
            marked = crate::plan::safe_name(&format!("{stem}-标注（第{}号）.xlsx", it.seq));
            let bytes = crate::xlsx::write_sheet_marked(sheet, &xlsx_opts, marks)
                .map_err(|e| anyhow::anyhow!("{unit} 的标注表生成失败：{e}"))?;
            files.push((format!("{folder}/{marked}"), bytes, Some(it.seq)));
        }
        sources.push(crate::forms::returns::ReturnSource {
            file: it.name.to_string(),
            form: it.eval.form.map(form_label).unwrap_or_default().into(),
            received,
            seq: it.seq,
            marked,
            problems: it
                .eval
                .problems
                .iter()
                .filter(|p| p.error)
                .map(|p| (p.place(), p.message.clone(), p.hint.clone()))
                .collect(),
        });
    }
    let seqs: Vec<u32> = its.iter().map(|i| i.seq).collect();
    let list: Vec<String> = seqs.iter().map(u32::to_string).collect();
    let letter = format!("{folder}/退回说明（第{}号）.pdf", list.join("、"));
    let bytes = letter_pdf(project, unit, &sources, received, pdf)?;
    files.insert(0, (letter, bytes, None));
    Ok(UnitReturn { files, seqs })
}

/// 一个单位的退回说明 PDF（日期为收到日期，同输入同字节）。
fn letter_pdf(
    project: &Project,
    unit: &str,
    files: &[crate::forms::returns::ReturnSource],
    date: crate::date::Date,
    pdf: &crate::typeset::PdfOptions,
) -> anyhow::Result<Vec<u8>> {
    use crate::forms::returns::{return_view, RETURN_TEMPLATE};
    let cfg = &project.config;
    let view = return_view(
        unit,
        &project.catalogue.title,
        files,
        &project.schedule.office,
        &project.schedule.office_email,
        &cfg.project.issuer,
        date,
    );
    let meta = crate::render::meta(cfg, &format!("{unit}报送材料退回说明"), Some(date));
    let (_, doc) =
        crate::forms::letters::to_document(&project.templates, RETURN_TEMPLATE, &view, meta)?;
    let out = crate::typeset::render_pdf(&doc, pdf)?;
    Ok(out.bytes)
}
