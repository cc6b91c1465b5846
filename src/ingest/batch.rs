//! 一批文件：收集（文件或文件夹，按名称排序）→ 逐个读回 → 查同批重复 → 定登记序号与取代关系 →
//! 写报回件库（原件、整理后的数据、退回说明、登记簿）。
//!
//! 规则：
//! - 同样的字节再导入一次，什么都不变（不加登记、不重写文件）；只有登记为退回、拒收、待定的文件，
//!   在项目改了（如登记册补了别名）之后再导入、结果不同时，才另加一条。
//! - 同一批里同一单位同一张表有两份内容不同的文件：哪份为准不猜，两份都记为“待定”，数据不用；
//!   单独再导入正确的一份即可。
//! - 已接收的一份取代同一单位、表种、季度现用的一份，除非它的收到日期更早（那它只留记录）。

use super::inbox::collect;
use super::returns::{render_returns, ReturnInput};
use super::store::{self, data_missing, data_rel, original_rel, save_original, sha256_hex};
use super::workbook::{ReadError, MAX_FILE_BYTES};
use super::{evaluate, Evaluation, Problem, Rejection};
use crate::date::Date;
use crate::output::write_atomic;
use crate::project::Project;
use crate::submissions::received::{form_label, Entry, Ledger, Outcome};
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 导入选项。
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// 收到日期（`--received`，默认今天）。
    pub received: Date,
    /// 只报告，不写任何文件。
    pub dry_run: bool,
}

/// 一个文件的处理情况。
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// 新登记。
    New,
    /// 同样的字节已登记过，未作改动。
    Unchanged,
    /// 本批中与前面的文件字节相同，只登记一次。
    Repeated { first: String },
}

/// 一个文件的报告。
#[derive(Debug, Clone)]
pub struct FileReport {
    /// 导入时给出（或在文件夹中找到）的路径。
    pub source: String,
    pub status: FileStatus,
    /// 登记序号（本批重复的为 0）。
    pub seq: u32,
    pub result: Outcome,
    pub unit: String,
    pub form: String,
    pub quarter: String,
    pub supersedes: Option<u32>,
    pub problems: Vec<Problem>,
    /// 其他说明（如“已补回整理后的数据”）。
    pub notes: Vec<String>,
}

/// 一批的报告。
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    pub files: Vec<FileReport>,
    /// 文件夹中略过的文件及原因。
    pub skipped: Vec<String>,
    /// 写出的退回说明与标注表（相对报回件库）。
    pub letters: Vec<String>,
    /// 退回说明用的字体。
    pub fonts: Vec<String>,
    pub store: PathBuf,
}

/// 一个待登记的新文件。
struct Item {
    report: usize,
    /// 登记序号（登记后才有）。
    seq: u32,
    src: PathBuf,
    name: String,
    sha: String,
    size: u64,
    bytes: Option<Vec<u8>>,
    eval: Evaluation,
}

fn lines(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(Problem::line).collect()
}

/// 导入一批文件。读不了的文件照样登记（拒收），其余照常处理。
pub fn ingest(
    project: &Project,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> anyhow::Result<IngestReport> {
    let dir = store::dir(project);
    let (files, skipped) = collect(paths, &dir)?;
    let mut b = Batch {
        project,
        opts,
        ledger: Ledger::read(&dir)?,
        report: IngestReport {
            skipped,
            store: dir.clone(),
            ..Default::default()
        },
        dir,
        items: Vec::new(),
        first_of: BTreeMap::new(),
    };
    for src in files {
        b.take(src)?;
    }
    mark_pending(&mut b.items);
    b.register_all();
    if !opts.dry_run && !b.items.is_empty() {
        b.write()?;
    }
    Ok(b.report)
}

/// 一批导入的进行中状态。
struct Batch<'a> {
    project: &'a Project,
    opts: &'a IngestOptions,
    dir: PathBuf,
    ledger: Ledger,
    report: IngestReport,
    /// 要新登记的文件。
    items: Vec<Item>,
    /// 本批中每种内容（SHA-256）第一次出现的路径。
    first_of: BTreeMap<String, String>,
}

impl Batch<'_> {
    /// 读一个文件：本批重复、已接收过（必要时补回整理数据）、与上次结果相同的都不再登记；
    /// 其余读回，留待登记。
    fn take(&mut self, src: PathBuf) -> anyhow::Result<()> {
        let source = src.display().to_string();
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let size = std::fs::metadata(&src)
            .with_context(|| format!("无法读取 {source}"))?
            .len();
        let (sha, bytes) = if size > MAX_FILE_BYTES {
            let (h, _) = store::hash_file(&src).with_context(|| format!("无法读取 {source}"))?;
            (h, None)
        } else {
            let b = std::fs::read(&src).with_context(|| format!("无法读取 {source}"))?;
            (sha256_hex(&b), Some(b))
        };
        if let Some(first) = self.first_of.get(&sha) {
            let status = FileStatus::Repeated {
                first: first.clone(),
            };
            self.report.files.push(plain(source, status, None));
            return Ok(());
        }
        self.first_of.insert(sha.clone(), source.clone());
        let accepted = self
            .ledger
            .entry
            .iter()
            .find(|e| e.sha256 == sha && e.result == Outcome::Accepted);
        if let Some(e) = accepted {
            let mut r = plain(source, FileStatus::Unchanged, Some(e));
            if data_missing(&self.dir, e) {
                r.notes.push(repair(
                    self.project,
                    &self.dir,
                    e,
                    bytes.as_deref(),
                    self.opts.dry_run,
                )?);
            }
            self.report.files.push(r);
            return Ok(());
        }
        let eval = match &bytes {
            Some(b) => evaluate(self.project, &name, b, self.opts.received),
            None => {
                let e = ReadError::TooLarge(size as f64 / 1048576.0);
                Evaluation::rejected(Rejection::new(e.to_string(), e.hint()), Vec::new())
            }
        };
        let prev = self.ledger.entry.iter().rev().find(|e| e.sha256 == sha);
        if prev.is_some_and(|p| p.result == eval.outcome && p.problems == lines(&eval.problems)) {
            self.report
                .files
                .push(plain(source, FileStatus::Unchanged, prev));
            return Ok(());
        }
        self.report.files.push(plain(source, FileStatus::New, None));
        let report = self.report.files.len() - 1;
        let item = Item {
            report,
            seq: 0,
            src,
            name,
            sha,
            size,
            bytes,
            eval,
        };
        self.items.push(item);
        Ok(())
    }

    /// 按处理顺序登记新文件：序号、取代关系；收到日期早于现用一份的只留记录并说明。
    fn register_all(&mut self) {
        for it in &mut self.items {
            let entry = register(&self.ledger, it, self.opts.received);
            it.seq = entry.seq;
            let r = &mut self.report.files[it.report];
            r.seq = entry.seq;
            r.result = entry.result;
            (r.unit, r.form, r.quarter) = (
                entry.unit.clone(),
                entry.form.clone(),
                entry.quarter.clone(),
            );
            r.supersedes = entry.supersedes;
            r.problems = it.eval.problems.clone();
            if entry.result == Outcome::Accepted && entry.supersedes.is_none() {
                if let Some(c) = self.ledger.current_for(entry.slot()) {
                    r.notes.push(format!(
                        "收到日期早于现用的第 {} 号（{} 收到），未取代它，只留记录",
                        c.seq, c.received
                    ));
                }
            }
            self.ledger.entry.push(entry);
        }
    }

    /// 写原件、整理后的数据、退回说明，最后写登记簿。
    fn write(&mut self) -> anyhow::Result<()> {
        for it in &self.items {
            let e = self
                .ledger
                .entry
                .iter()
                .find(|e| e.seq == it.seq)
                .cloned()
                .unwrap_or_else(|| unreachable!());
            save_original(&self.dir, &e.original, it.bytes.as_deref(), &it.src)?;
            if let (Outcome::Accepted, Some(sub)) = (e.result, &it.eval.submission) {
                write_atomic(
                    &self.dir.join(&e.data),
                    store::data_text(sub, &e).as_bytes(),
                )?;
            }
        }
        write_letters(
            self.project,
            &self.dir,
            &self.items,
            &mut self.ledger,
            self.opts.received,
            &mut self.report,
        )?;
        store::write_ledger(&self.dir, &self.ledger)
    }
}

/// 未登记新条目的文件的报告（本批重复、未改动）。
fn plain(source: String, status: FileStatus, e: Option<&Entry>) -> FileReport {
    FileReport {
        source,
        status,
        seq: e.map_or(0, |e| e.seq),
        result: e.map_or(Outcome::Rejected, |e| e.result),
        unit: e.map(|e| e.unit.clone()).unwrap_or_default(),
        form: e.map(|e| e.form.clone()).unwrap_or_default(),
        quarter: e.map(|e| e.quarter.clone()).unwrap_or_default(),
        supersedes: e.and_then(|e| e.supersedes),
        problems: Vec::new(),
        notes: Vec::new(),
    }
}

/// 已接收的一份整理后的数据被删了：按登记的收到日期重新整理写回。
fn repair(
    project: &Project,
    dir: &Path,
    e: &Entry,
    bytes: Option<&[u8]>,
    dry: bool,
) -> anyhow::Result<String> {
    let received = Date::parse(&e.received).context("登记簿中的收到日期有误")?;
    let eval = bytes.map(|b| evaluate(project, &e.file, b, received));
    match eval.as_ref().and_then(|v| {
        v.submission
            .as_ref()
            .filter(|_| v.outcome == Outcome::Accepted)
    }) {
        Some(sub) if !dry => {
            write_atomic(&dir.join(&e.data), store::data_text(sub, e).as_bytes())?;
            Ok("整理后的数据不见了，已从原件补回".into())
        }
        Some(_) => Ok("整理后的数据不见了，可从原件补回（试运行，未写入）".into()),
        None => Ok("整理后的数据不见了；原件按现行任务目录已不能通过校验，未补回".into()),
    }
}

/// 报送格子：（单位, 表种, 季度）。
fn slot(e: &Evaluation) -> (String, String, String) {
    (
        e.unit.clone(),
        e.form.map(form_label).unwrap_or_default().to_string(),
        e.quarter.map(|q| q.to_string()).unwrap_or_default(),
    )
}

/// 同一批中同一格有几份内容不同的文件：都记为待定。
fn mark_pending(items: &mut [Item]) {
    let mut by_slot: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if matches!(it.eval.outcome, Outcome::Accepted | Outcome::Returned) {
            by_slot.entry(slot(&it.eval)).or_default().push(i);
        }
    }
    for ((unit, form, quarter), ix) in by_slot.into_iter().filter(|(_, v)| v.len() > 1) {
        let names: Vec<String> = ix.iter().map(|&i| format!("“{}”", items[i].name)).collect();
        for &i in &ix {
            let it = &mut items[i];
            it.eval.outcome = Outcome::Pending;
            it.eval.problems.insert(
                0,
                Problem::error(
                    "",
                    None,
                    format!("同一批中{unit}的{form}{quarter}有 {} 份内容不同的文件（{}），无法判断哪份为准，都未使用", ix.len(), names.join("、")),
                    "与单位确认哪份是最新的，单独再导入那一份：duban ingest 文件路径",
                ),
            );
        }
    }
}

/// 登记一个新文件：序号、原件与数据的位置、取代关系。
fn register(ledger: &Ledger, it: &Item, received: Date) -> Entry {
    let ev = &it.eval;
    let (unit, form, quarter) = slot(ev);
    let mut e = Entry {
        seq: ledger.next_seq(),
        received: received.to_string(),
        file: it.name.clone(),
        source: it.src.display().to_string(),
        sha256: it.sha.clone(),
        size: it.size,
        original: original_rel(&it.sha, &it.name),
        unit,
        form,
        quarter,
        template_version: ev.version.clone(),
        result: ev.outcome,
        supersedes: None,
        data: String::new(),
        problems: lines(&ev.problems),
        letters: Vec::new(),
    };
    if e.result == Outcome::Accepted {
        e.data = data_rel(&it.sha);
        if let Some(c) = ledger.current_for(e.slot()) {
            if (c.received.as_str(), c.seq) < (e.received.as_str(), e.seq) {
                e.supersedes = Some(c.seq);
            }
        }
    }
    e
}

/// 每个有退回文件的单位：一份退回说明 PDF，每个退回文件一份标注表（并行排版，按单位顺序写出）。
fn write_letters(
    project: &Project,
    dir: &Path,
    items: &[Item],
    ledger: &mut Ledger,
    received: Date,
    report: &mut IngestReport,
) -> anyhow::Result<()> {
    let inputs: Vec<ReturnInput> = items
        .iter()
        .filter(|it| it.eval.outcome == Outcome::Returned)
        .map(|it| ReturnInput {
            seq: it.seq,
            name: &it.name,
            eval: &it.eval,
        })
        .collect();
    let (units, fonts) = render_returns(project, &inputs, received)?;
    report.fonts = fonts;
    for u in units {
        for (rel, bytes, seq) in &u.files {
            write_atomic(&dir.join(rel), bytes)?;
            for e in ledger.entry.iter_mut().filter(|e| u.seqs.contains(&e.seq)) {
                if seq.is_none_or(|s| s == e.seq) {
                    e.letters.push(rel.clone());
                }
            }
            report.letters.push(rel.clone());
        }
    }
    Ok(())
}
