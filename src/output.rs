//! 写文件：唯一与文件系统打交道的输出模块。
//!
//! - 文件名安全：去掉路径分隔符、控制字符和 Windows 保留字符，不允许“..”，无论单位叫什么。
//! - 原子写入：先写同目录下的临时文件，再改名（不 fsync，输出可随时重新生成）。
//! - 不覆盖用户数据：只写进输出目录；输出目录已存在且不是 duban 建的（没有标记文件）则拒绝。
//! - 不留过期文件：标记文件同时是清单，记着上次生成的每个文件；本次不再生成的（如已报送单位的
//!   旧催报通知）删除，清单外的文件（用户自己放进去的）一概不动。

use crate::render::{OutFile, Rendered};
use anyhow::{bail, Context};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// 索引文件名（输出目录根下）。
pub const INDEX_FILE: &str = "文件清单.csv";

/// 输出目录中的标记文件：有它才说明目录归 duban 管理，可以覆盖其中的文件。
/// 内容是上次生成的文件清单（见 [`ManifestEntry`]）。
pub const MARKER: &str = ".duban-out";

const MARKER_HEADER: &str =
    "# 本目录由 duban build 生成，其中文件会被重新生成覆盖；下面是生成的文件清单（请勿手改）。\n";

/// 清单中的一个已生成文件。
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ManifestEntry {
    /// 相对输出目录的路径，用“/”分隔。
    pub rel: String,
    /// 所属单位（总表为空）。
    pub unit: String,
    /// 文档名。
    pub kind: String,
    /// PDF 页数；XLSX 为 0。
    pub pages: usize,
}

impl ManifestEntry {
    fn from_file(f: &OutFile) -> Self {
        ManifestEntry {
            rel: f.rel.to_string_lossy().replace('\\', "/"),
            unit: f.unit.clone(),
            kind: f.kind.clone(),
            pages: f.pages,
        }
    }

    /// 清单里的路径只有是输出目录内的普通相对路径才认（防止被改过的清单删到目录外）。
    fn safe_path(&self, out_dir: &Path) -> Option<PathBuf> {
        let p = Path::new(&self.rel);
        let ok = !self.rel.is_empty()
            && p.components().all(|c| matches!(c, Component::Normal(_)))
            && p.file_name().is_some_and(|f| f != MARKER);
        ok.then(|| out_dir.join(p))
    }
}

/// 本次构建覆盖的范围：范围内上次生成而本次没有生成的文件才删除。
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// 只生成了这些单位（`--unit`）；空表示全部单位。
    pub units: BTreeSet<String>,
    /// 本次是否生成 PDF（`--no-pdf` 时不删旧 PDF 与 Word 副本）。
    pub pdf: bool,
}

impl Scope {
    fn covers(&self, e: &ManifestEntry) -> bool {
        let unit_ok = self.units.is_empty() || e.unit.is_empty() || self.units.contains(&e.unit);
        // 文书的 Word 副本与 PDF 一起生成：不出 PDF 时也不删旧的。
        unit_ok && (self.pdf || !(e.rel.ends_with(".pdf") || e.rel.ends_with(".docx")))
    }
}

/// 写文件阶段的结果。
#[derive(Debug, Default)]
pub struct Written {
    /// 删除的过期文件（相对路径）。
    pub removed: Vec<String>,
    /// 清单中的文件总数（含本次未涉及、保留下来的）。
    pub listed: usize,
}

fn field(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn manifest_text(entries: &[ManifestEntry]) -> String {
    let mut s = String::from(MARKER_HEADER);
    for e in entries {
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            field(&e.rel),
            field(&e.unit),
            field(&e.kind),
            e.pages
        ));
    }
    s
}

/// 读上次的清单；旧格式或读不懂的行忽略（那些文件就不会被当作过期文件删除）。
fn read_manifest(out_dir: &Path) -> Vec<ManifestEntry> {
    let Ok(text) = std::fs::read_to_string(out_dir.join(MARKER)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split('\t');
            let (rel, unit, kind, pages) = (it.next()?, it.next()?, it.next()?, it.next()?);
            Some(ManifestEntry {
                rel: rel.into(),
                unit: unit.into(),
                kind: kind.into(),
                pages: pages.parse().ok()?,
            })
        })
        .collect()
}

/// 索引文件（UTF-8 带 BOM，Excel 可直接打开）：单位、文件、文档、页数。
pub fn index_csv(entries: &[ManifestEntry]) -> Vec<u8> {
    let mut s = String::from("\u{feff}单位,文件,文档,页数\n");
    let q = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
    for e in entries {
        let pages = if e.pages > 0 {
            e.pages.to_string()
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{},{},{},{}\n",
            q(&e.unit),
            q(&e.rel),
            q(&e.kind),
            pages
        ));
    }
    s.into_bytes()
}

/// 准备输出目录：不存在则创建并放标记；存在而无标记且非空则拒绝（避免覆盖用户文件）。
pub fn prepare_out_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("输出路径 {} 已存在且不是目录", dir.display());
        }
        let marker = dir.join(MARKER);
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("无法读取输出目录 {}", dir.display()))?
            .next()
            .is_none();
        if !marker.exists() && !empty {
            bail!(
                "输出目录 {} 不是 duban 生成的（缺少 {MARKER}），为避免覆盖其中的文件，已停止。\n  提示：换一个 --out 目录，或确认无用后清空该目录",
                dir.display()
            );
        }
    } else {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    }
    if !dir.join(MARKER).exists() {
        write_atomic(&dir.join(MARKER), MARKER_HEADER.as_bytes())?;
    }
    Ok(())
}

/// 原子写入：同目录临时文件 + 改名。
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        // 不逐个 fsync：输出随时可重新生成，而逐个 fsync 让写文件阶段慢数倍（见基准）；
        // 改名保证读者看到的要么是旧文件、要么是完整的新文件。
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("无法写入 {}", path.display()));
    }
    Ok(())
}

/// 写出全部文件（原子写入），删除范围内的过期文件，更新清单和索引。
pub fn write_all(out_dir: &Path, rendered: &Rendered, scope: &Scope) -> anyhow::Result<Written> {
    prepare_out_dir(out_dir)?;
    let previous = read_manifest(out_dir);
    for f in &rendered.files {
        write_atomic(&out_dir.join(&f.rel), &f.bytes)?;
    }
    let new: Vec<ManifestEntry> = rendered
        .files
        .iter()
        .map(ManifestEntry::from_file)
        .collect();
    let new_paths: BTreeSet<&str> = new.iter().map(|e| e.rel.as_str()).collect();
    let mut written = Written::default();
    let mut kept = Vec::new();
    for e in previous {
        if new_paths.contains(e.rel.as_str()) {
            continue;
        }
        if !scope.covers(&e) {
            kept.push(e);
            continue;
        }
        let Some(path) = e.safe_path(out_dir) else {
            continue;
        };
        match std::fs::remove_file(&path) {
            Ok(()) => {
                // 单位目录删空了（单位已不在任务目录中）就一并删掉；非空（有用户文件）则保留。
                if let Some(parent) = path.parent().filter(|p| *p != out_dir) {
                    let _ = std::fs::remove_dir(parent);
                }
                written.removed.push(e.rel);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(err).with_context(|| format!("无法删除过期文件 {}", path.display()))
            }
        }
    }
    let mut all: Vec<ManifestEntry> = kept.into_iter().chain(new).collect();
    all.sort();
    all.dedup_by(|a, b| a.rel == b.rel);
    write_atomic(&out_dir.join(INDEX_FILE), &index_csv(&all))?;
    write_atomic(&out_dir.join(MARKER), manifest_text(&all).as_bytes())?;
    written.listed = all.len();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_dir_and_writes_atomically() {
        let base = std::env::temp_dir().join(format!("duban-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("用户文件.docx"), b"x").unwrap();
        assert!(prepare_out_dir(&base).is_err());
        assert_eq!(std::fs::read(base.join("用户文件.docx")).unwrap(), b"x");
        let out = base.join("out");
        prepare_out_dir(&out).unwrap();
        prepare_out_dir(&out).unwrap();
        write_atomic(&out.join("a").join("b.txt"), b"hello").unwrap();
        write_atomic(&out.join("a").join("b.txt"), b"world").unwrap();
        assert_eq!(std::fs::read(out.join("a/b.txt")).unwrap(), b"world");
        let leftovers: Vec<_> = std::fs::read_dir(out.join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "无临时文件残留");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
