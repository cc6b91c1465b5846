//! 写报回件库（布局见 [`crate::submissions::received`]）：原件按 SHA-256 命名逐字节保存、
//! 整理后的数据、登记簿（TOML，只追加）与它的表格版（CSV）。全部原子写入；已有的原件不重写。

use crate::output::write_atomic;
use crate::project::Project;
use crate::submissions::received::{
    Entry, Ledger, Outcome, DATA_DIR, LEDGER_CSV, LEDGER_FILE, ORIGINALS_DIR,
};
use crate::submissions::{to_toml, Submission};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// 报回件库目录。
pub fn dir(project: &Project) -> PathBuf {
    project.path(&project.config.paths.received)
}

pub use crate::output::{hash_file, sha256_hex};

/// 原件在库中的相对路径：`originals/<sha256>.<扩展名>`（扩展名只留字母数字，小写）。
pub fn original_rel(sha: &str, file_name: &str) -> String {
    let ext: String = Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect();
    let ext = if ext.is_empty() { "bin".into() } else { ext };
    format!("{ORIGINALS_DIR}/{sha}.{ext}")
}

/// 整理后数据的相对路径。
pub fn data_rel(sha: &str) -> String {
    format!("{DATA_DIR}/{sha}.toml")
}

/// 保存原件：已有同名（同内容）文件时不动；`bytes` 为 `None` 时从 `src` 流式复制（过大的文件）。
pub fn save_original(
    dir: &Path,
    rel: &str,
    bytes: Option<&[u8]>,
    src: &Path,
) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if path.exists() {
        return Ok(());
    }
    match bytes {
        Some(b) => write_atomic(&path, b),
        None => {
            let parent = path.parent().unwrap_or(dir);
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建目录 {}", parent.display()))?;
            let tmp = parent.join(format!(
                ".{}.{}.tmp",
                rel.replace('/', "_"),
                std::process::id()
            ));
            let r = std::fs::copy(src, &tmp).and_then(|_| std::fs::rename(&tmp, &path));
            if r.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            r.with_context(|| format!("无法保存原件 {}", path.display()))
        }
    }
}

/// 整理后数据的文本：开头注明来源（原文件名、收到日期、SHA-256、登记序号）。
pub fn data_text(sub: &Submission, e: &Entry) -> String {
    to_toml(
        sub,
        &[
            format!("由 duban ingest 从报回件“{}”整理（收件第 {} 号，{} 收到）。", e.file, e.seq, e.received),
            format!("原件：{}（SHA-256 {}）", e.original, e.sha256),
            "请勿手改：要更正，请单位重新报送，或在 content/submissions/ 中写一份手工录入（手工录入优先）。".into(),
        ],
    )
}

/// 写登记簿（TOML）与表格版（CSV，UTF-8 带 BOM）。
pub fn write_ledger(dir: &Path, ledger: &Ledger) -> anyhow::Result<()> {
    write_atomic(&dir.join(LEDGER_FILE), ledger.to_text().as_bytes())?;
    write_atomic(&dir.join(LEDGER_CSV), &csv(ledger))
}

/// CSV 中以 = + - @ 开头的值前加 '，免得在 Excel 里成了公式（文件名来自外部）。
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\"").replace(['\n', '\r'], " "))
}

/// 登记簿的表格版：每条一行，“现用”列标出各单位各表当前用的一份。
pub fn csv(ledger: &Ledger) -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}序号,收到日期,单位,表种,季度,结果,现用,取代,错误数,原文件名,SHA-256\n",
    );
    let current: Vec<u32> = ledger.current().iter().map(|e| e.seq).collect();
    for e in &ledger.entry {
        let row = [
            e.seq.to_string(),
            e.received.clone(),
            e.unit.clone(),
            e.form.clone(),
            e.quarter.clone(),
            e.result.label().to_string(),
            if current.contains(&e.seq) {
                "是".into()
            } else {
                String::new()
            },
            e.supersedes.map(|s| s.to_string()).unwrap_or_default(),
            e.errors().to_string(),
            e.file.clone(),
            e.sha256.clone(),
        ];
        s.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push('\n');
    }
    s.into_bytes()
}

/// 收件历史的一行。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub entry: Entry,
    /// 是否为该单位该表现用的一份。
    pub current: bool,
    /// 被哪一条取代。
    pub superseded_by: Option<u32>,
    /// 原件核对：`Some(true)` 完好，`Some(false)` 缺失或被改动，`None` 未核对。
    pub intact: Option<bool>,
}

/// 全部收件记录（登记顺序）；`verify` 时逐个重算原件的 SHA-256。
pub fn history(project: &Project, verify: bool) -> anyhow::Result<Vec<HistoryRow>> {
    let dir = dir(project);
    let ledger = Ledger::read(&dir)?;
    let current: Vec<u32> = ledger.current().iter().map(|e| e.seq).collect();
    Ok(ledger
        .entry
        .iter()
        .map(|e| HistoryRow {
            entry: e.clone(),
            current: current.contains(&e.seq),
            superseded_by: ledger
                .entry
                .iter()
                .find(|x| x.supersedes == Some(e.seq))
                .map(|x| x.seq),
            intact: verify.then(|| {
                hash_file(&dir.join(&e.original)).is_ok_and(|(h, n)| h == e.sha256 && n == e.size)
            }),
        })
        .collect())
}

/// 已接收的一份是否还缺整理后的数据（被误删时重新导入原件即可补回）。
pub fn data_missing(dir: &Path, e: &Entry) -> bool {
    e.result == Outcome::Accepted && !e.data.is_empty() && !dir.join(&e.data).exists()
}
