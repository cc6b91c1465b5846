//! 选出一个季度要归档的条目：只读，不写任何东西。

use super::{ArchivePlan, Counts, Item, Source};
use crate::date::{Date, Quarter};
use crate::output::{read_manifest, BUILD};
use crate::plan::{DocKind, PRINT_DIR};
use crate::project::Project;
use crate::status::{self, StatusOptions};
use crate::submissions::received::{self as store, Outcome};
use crate::typeset::PdfOptions;
use anyhow::{bail, Context};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// 归档选项。
pub struct ArchiveOptions<'a> {
    pub quarter: Quarter,
    /// 归档日期：督办情况与汇总按这一天算，只收这一天及以前收到的报回件与催报。
    pub as_of: Date,
    /// 分发材料与催报通知所在的输出目录（`duban build`、`duban remind` 写的地方）。
    pub out_dir: PathBuf,
    pub pdf: &'a PdfOptions<'a>,
    /// 实际用的字体（每种角色一行），写进清单。
    pub fonts: Vec<String>,
}

/// 选出季度 `opts.quarter` 的全部条目，按路径排序。
pub fn collect(project: &Project, opts: &ArchiveOptions) -> anyhow::Result<ArchivePlan> {
    let q = opts.quarter;
    let quarters = &project.schedule.quarters;
    let Some(pos) = quarters.iter().position(|(x, _)| *x == q) else {
        let qs: Vec<String> = quarters.iter().map(|(q, _)| q.to_string()).collect();
        bail!(
            "{q} 不是需报完成情况的季度，没有可归档的材料\n  提示：需报季度为 {}（duban.toml [deadlines] quarterly_from）",
            qs.join("、")
        );
    };
    let due = quarters[pos].1;
    let period_from = pos.checked_sub(1).map(|p| quarters[p].1.add_days(1));
    let cfg = &project.config;
    let mut plan = ArchivePlan {
        quarter: q,
        as_of: opts.as_of,
        period_from,
        due,
        title: cfg.project.title.clone(),
        issuer: cfg.project.issuer.clone(),
        fonts: opts.fonts.clone(),
        items: Vec::new(),
        counts: Counts::default(),
        missing: Vec::new(),
    };
    packets(&opts.out_dir, q, &mut plan)?;
    generated(project, opts, &mut plan)?;
    reminders(project, &opts.out_dir, &mut plan)?;
    received(project, &mut plan)?;
    manual_data(project, &mut plan)?;
    plan.items.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(w) = plan.items.windows(2).find(|w| w[0].path == w[1].path) {
        bail!("归档条目重名：{}（内部错误，请报告）", w[0].path);
    }
    Ok(plan)
}

/// 分发材料：输出目录清单里 `duban build` 生成的文件（打印合订本是同样内容的拼合，不重复归档）。
/// 输出目录必须是按本季度生成的：附表3 的季度不对就拒绝，免得归档了别的季度的表。
fn packets(out_dir: &Path, q: Quarter, plan: &mut ArchivePlan) -> anyhow::Result<()> {
    let hint = format!(
        "提示：out/ 已换成别的季度时，用 duban build --quarter {q} --out out-{q} 另生成一份当季材料，\n  再加 --from out-{q} 归档（不动 out/ 里现行的材料）"
    );
    let entries: Vec<_> = read_manifest(out_dir)
        .into_iter()
        .filter(|e| e.source == BUILD && !e.rel.starts_with(&format!("{PRINT_DIR}/")))
        .collect();
    if entries.is_empty() {
        bail!(
            "输出目录 {} 中没有 duban build 生成的分发材料\n  {hint}",
            out_dir.display()
        );
    }
    let want = DocKind::Quarterly(q).name();
    let quarterly: BTreeSet<&str> = entries
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("附表3-"))
        .collect();
    if !quarterly.contains(want.as_str()) {
        let found: Vec<&str> = quarterly.into_iter().collect();
        let found = if found.is_empty() {
            "没有附表3".to_string()
        } else {
            found.join("、")
        };
        bail!(
            "输出目录 {} 中的分发材料不是 {} 的（{found}）\n  {hint}",
            out_dir.display(),
            q.chinese()
        );
    }
    let mut units = BTreeSet::new();
    for e in entries {
        let Some(rel) = e.rel_path() else { continue };
        let path = out_dir.join(&rel);
        if !path.is_file() {
            bail!(
                "输出目录清单里有 {}，但文件不在了\n  {hint}",
                path.display()
            );
        }
        if !e.unit.is_empty() {
            units.insert(e.unit.clone());
        }
        plan.items.push(Item {
            path: format!("分发材料/{}", e.rel),
            kind: format!("分发材料：{}", e.kind),
            pages: e.pages,
            source: Source::File(path),
        });
        plan.counts.packets += 1;
    }
    plan.counts.units = units.len();
    Ok(())
}

/// 按归档日期现做的：汇总表（PDF、XLSX）与督办情况（JSON、XLSX、HTML、通报 PDF）。
fn generated(
    project: &Project,
    opts: &ArchiveOptions,
    plan: &mut ArchivePlan,
) -> anyhow::Result<()> {
    let cfg = &project.config;
    let q = opts.quarter;
    let report =
        crate::report::build(project, q, opts.as_of).context("汇总表：不是需报季度（内部错误）")?;
    plan.counts.report_tasks = report.total.tasks;
    plan.counts.report_done = report.total.reported;
    plan.counts.report_partial = report.total.partial;
    plan.counts.report_missing = report.total.missing;
    let files = crate::report::render::files(&report, cfg, opts.pdf, Path::new("汇总表"))?;
    for f in files.files {
        plan.items.push(Item {
            path: f.rel.to_string_lossy().replace('\\', "/"),
            kind: "完成情况汇总表".into(),
            pages: f.pages,
            source: Source::Bytes(f.bytes),
        });
    }
    let st = status::status(
        project,
        &StatusOptions {
            as_of: opts.as_of,
            due_soon_days: cfg.status.due_soon_days,
            only: Vec::new(),
        },
    );
    let day = opts.as_of;
    let bulletin = status::bulletin::pdf(project, &st, opts.pdf)?;
    let snapshot = [
        (format!("督办情况-{day}.json"), st.to_json().into_bytes(), 0),
        (
            format!("督办情况-{day}.xlsx"),
            status::xlsx::workbook(&st, &cfg.project.issuer).context("督办情况 XLSX")?,
            0,
        ),
        (
            format!("督办情况-{day}.html"),
            status::html::page(&st, &cfg.project.issuer).into_bytes(),
            0,
        ),
        (
            format!("督办情况通报-{day}.pdf"),
            bulletin.bytes,
            bulletin.pages,
        ),
    ];
    for (name, bytes, pages) in snapshot {
        plan.items.push(Item {
            path: format!("督办情况/{name}"),
            kind: format!("督办情况（截至{}）", day.chinese()),
            pages,
            source: Source::Bytes(bytes),
        });
    }
    Ok(())
}

/// 是否在本归档周期内（起始日可空；止于归档日期）。日期写成 "YYYY-MM-DD"，按字符串比较即按日期比较。
fn in_period(plan: &ArchivePlan, day: &str) -> bool {
    let from = plan.period_from.map(|d| d.to_string()).unwrap_or_default();
    day >= from.as_str() && day <= plan.as_of.to_string().as_str()
}

/// 催报：登记里本周期（不含作废）的催报通知 PDF（取自输出目录）、催办登记原文件、截至归档日期的登记簿。
fn reminders(project: &Project, out_dir: &Path, plan: &mut ArchivePlan) -> anyhow::Result<()> {
    let path = project.path(&project.config.paths.reminder_log);
    let ledger = crate::remind::read_ledger(&path)?;
    if path.is_file() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        plan.items.push(Item {
            path: format!("催报/{name}"),
            kind: "催办登记（原文件）".into(),
            pages: 0,
            source: Source::File(path.clone()),
        });
    }
    for e in ledger.entries.iter().filter(|e| !e.cancelled) {
        if !in_period(plan, &e.date) {
            continue;
        }
        plan.counts.reminders += 1;
        let Ok(date) = Date::parse(&e.date) else {
            plan.missing.push(format!(
                "催报通知 {}（{}）：催办登记里的日期“{}”读不懂，找不到通知文件",
                e.number, e.unit, e.date
            ));
            continue;
        };
        let rel = crate::remind::day_dir(date).join(crate::remind::letter_file(e.seq, &e.unit));
        let file = out_dir.join(&rel);
        let rel = rel.to_string_lossy().replace('\\', "/");
        if file.is_file() {
            plan.counts.reminder_letters += 1;
            let docx = file.with_extension("docx");
            if docx.is_file() {
                plan.items.push(Item {
                    path: format!("催报/{}", rel.replace(".pdf", ".docx")),
                    kind: format!("催报通知 {}（Word 副本）", e.number),
                    pages: 0,
                    source: Source::File(docx),
                });
            }
            plan.items.push(Item {
                path: format!("催报/{rel}"),
                kind: format!("催报通知 {}", e.number),
                pages: 0,
                source: Source::File(file),
            });
        } else {
            plan.missing.push(format!(
                "催报通知 {}（{}，{}）：输出目录中没有 {rel}",
                e.number, e.unit, e.date
            ));
        }
    }
    let bytes = crate::remind::register_workbook(project, &ledger, plan.as_of)
        .context("生成催办登记簿失败")?;
    plan.items.push(Item {
        path: format!("催报/{}", crate::remind::REGISTER),
        kind: format!("催办登记簿（截至{}）", plan.as_of.chinese()),
        pages: 0,
        source: Source::Bytes(bytes),
    });
    Ok(())
}

/// 报回件：登记簿原文件，以及本周期收到的、与本季度有关（本季度的附表3，或不分季度的表）的
/// 每份原件、整理后的数据和退回说明。同一原件只收一次。
fn received(project: &Project, plan: &mut ArchivePlan) -> anyhow::Result<()> {
    let dir = project.path(&project.config.paths.received);
    let ledger = store::Ledger::read(&dir)?;
    for name in [store::LEDGER_FILE, store::LEDGER_CSV] {
        let p = dir.join(name);
        if p.is_file() {
            plan.items.push(Item {
                path: format!("报回件/{name}"),
                kind: "报回登记簿（原文件）".into(),
                pages: 0,
                source: Source::File(p),
            });
        }
    }
    let q = plan.quarter.to_string();
    let mut seen = BTreeSet::new();
    for e in &ledger.entry {
        let this_quarter = e.quarter.is_empty() || e.quarter == q;
        if !this_quarter || !in_period(plan, &e.received) {
            continue;
        }
        plan.counts.received += 1;
        if e.result == Outcome::Accepted {
            plan.counts.accepted += 1;
        }
        let mut files = vec![(e.original.as_str(), "报回原件")];
        if !e.data.is_empty() {
            files.push((e.data.as_str(), "整理后的报送数据"));
        }
        files.extend(e.letters.iter().map(|l| (l.as_str(), "退回说明")));
        for (rel, kind) in files {
            let Some(p) = store_file(&dir, rel) else {
                plan.missing.push(format!(
                    "报回件库第 {} 号（{}，{}）：缺少 {rel}",
                    e.seq, e.unit, e.file
                ));
                continue;
            };
            if seen.insert(rel.to_string()) {
                if kind == "报回原件" {
                    plan.counts.originals += 1;
                }
                plan.items.push(Item {
                    path: format!("报回件/{rel}"),
                    kind: format!(
                        "{kind}：{} {}（第 {} 号，{} 收到）",
                        e.unit, e.form, e.seq, e.received
                    ),
                    pages: 0,
                    source: Source::File(p),
                });
            }
        }
    }
    Ok(())
}

/// 报回件库中的文件（只认库内的普通相对路径）。
fn store_file(dir: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let plain = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let full = dir.join(p);
    (plain && full.is_file()).then_some(full)
}

/// 手工录入的报送数据（`content/submissions/` 下的 .toml，原文件）。
fn manual_data(project: &Project, plan: &mut ArchivePlan) -> anyhow::Result<()> {
    let dir = project.path(&project.config.paths.submissions);
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("无法读取目录 {}", dir.display()))?;
        let p = entry.path();
        if !entry.file_type().is_file() || p.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let rel = p.strip_prefix(&dir).unwrap_or(p);
        plan.items.push(Item {
            path: format!("报送数据/{}", rel.to_string_lossy().replace('\\', "/")),
            kind: "手工录入的报送数据（原文件）".into(),
            pages: 0,
            source: Source::File(p.to_path_buf()),
        });
    }
    Ok(())
}
