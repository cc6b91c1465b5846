//! 写输出目录：唯一写 `out/` 的模块。一次生成是一个事务。
//!
//! - **事务**：新文件先全部写进输出目录里的暂存文件夹 `.duban-staging-<随机>`（与 `out/` 同一文件系统）；
//!   写完、核对无误后原子地写下提交日志 `.duban-journal`，再按日志把文件改名到位、删掉过期文件、
//!   换上新的索引和清单。日志写下之前崩溃：暂存文件夹在下次运行时删掉，`out/` 仍是上次的完整结果；
//!   日志写下之后崩溃：下次运行（[`OutDir::open`]）按日志做完，得到本次的完整结果。
//! - **锁**：同一输出目录同时只允许一个 duban 写（[`lock`]）。
//! - **不经符号链接**：不跟随 `out/` 内的符号链接写入或删除；临时文件名随机、独占创建（[`fsops`]）。
//! - **不覆盖用户数据**：输出目录已存在、非空而不是 duban 建的（没有标记文件）则拒绝；清单以外的
//!   同名文件不覆盖；清单以外的文件一概不删。
//! - **文件名安全**：单位名经 `plan::safe_name` 变成安全的目录名，清单中的路径只认普通相对路径。

mod fsops;
mod hash;
mod journal;
mod lock;
mod manifest;

pub use hash::{copy_hashed, hash_file, sha256_hex};
pub use lock::{LockError, HOLDER_FILE, LOCK_FILE};
pub use manifest::{csv_cell, index_csv, read_manifest, ManifestEntry, BUILD, INDEX_FILE, MARKER};

use crate::render::{OutFile, Rendered};
use anyhow::{bail, Context};
use journal::Journal;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// 暂存文件夹名前缀。
const STAGING_PREFIX: &str = ".duban-staging-";

/// 输出目录根下 duban 自己的文件（清单、锁、日志、暂存、临时文件、索引）：不算生成的文件，不会被当作用户文件。
pub fn is_internal(name: &str) -> bool {
    name.starts_with(".duban-") || name == INDEX_FILE
}

/// 本次生成覆盖的范围：范围内上次生成而本次没有生成的文件才删除。默认：`duban build`、全部单位，含 PDF。
#[derive(Debug, Clone)]
pub struct Scope {
    /// 哪个命令（见 [`ManifestEntry::source`]）：只删同一命令以前生成的文件。
    pub source: String,
    /// 只生成了这些单位（`--unit`）；空表示全部单位。
    pub units: BTreeSet<String>,
    /// 本次是否生成 PDF（`--no-pdf` 时不删旧 PDF 与 Word 副本）。
    pub pdf: bool,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            source: BUILD.into(),
            units: BTreeSet::new(),
            pdf: true,
        }
    }
}

impl Scope {
    fn covers(&self, e: &ManifestEntry) -> bool {
        let unit_ok = self.units.is_empty() || e.unit.is_empty() || self.units.contains(&e.unit);
        // 文书的 Word 副本与 PDF 一起生成：不出 PDF 时也不删旧的。
        let printed = e.rel.ends_with(".pdf") || e.rel.ends_with(".docx");
        e.source == self.source && unit_ok && (self.pdf || !printed)
    }
}

/// 提交的结果。
#[derive(Debug, Default)]
pub struct Written {
    /// 删除的过期文件（相对路径）。
    pub removed: Vec<String>,
    /// 清单中的文件总数（含本次未涉及、保留下来的）。
    pub listed: usize,
}

/// 打开输出目录时顺带做的恢复。
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// 上次生成在提交后中断，这次按日志做完了。
    pub completed: bool,
    /// 删掉的未提交暂存文件夹数（上次生成在提交前中断）。
    pub staging_removed: usize,
    /// 删掉的残留临时文件数。
    pub temp_removed: usize,
}

impl Recovery {
    /// 给用户看的一句话；什么都没做时为 `None`。
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.completed {
            parts.push("上次生成在写入过程中中断，已按提交日志补完".to_string());
        }
        if self.staging_removed > 0 {
            parts.push(format!(
                "上次生成在写完前中断，已删除未提交的暂存文件夹 {} 个（上次之前的材料完好）",
                self.staging_removed
            ));
        }
        if self.temp_removed > 0 {
            parts.push(format!("已清理残留的临时文件 {} 个", self.temp_removed));
        }
        (!parts.is_empty()).then(|| parts.join("；"))
    }
}

/// 已锁定、已恢复的输出目录。
#[derive(Debug)]
pub struct OutDir {
    root: PathBuf,
    _lock: lock::Lock,
    recovery: Recovery,
    ops: AtomicUsize,
    /// 测试用：第 N 次文件操作时中止进程（模拟崩溃），见 [`OutDir::abort_after`]。
    abort_at: Option<usize>,
}

impl OutDir {
    /// 打开（必要时创建）输出目录：拒绝不是 duban 建的非空目录，加锁，完成或清理上次中断的生成。
    /// `holder` 说明本进程（写进持有者文件，另一个进程撞锁时显示）。
    pub fn open(root: &Path, holder: &str) -> anyhow::Result<OutDir> {
        prepare_out_dir(root)?;
        let lock = lock::Lock::acquire(root, holder)?;
        let mut dir = OutDir {
            root: root.to_path_buf(),
            _lock: lock,
            recovery: Recovery::default(),
            ops: AtomicUsize::new(0),
            abort_at: None,
        };
        dir.recover()?;
        Ok(dir)
    }

    /// 输出目录路径。
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// 打开时做的恢复。
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// 测试钩子：第 `n` 次文件操作（暂存写入、日志、改名、删除）时立即中止进程，不做任何清理，
    /// 与断电、`kill -9` 同样的效果。只供崩溃测试使用。
    pub fn abort_after(&mut self, n: usize) {
        self.abort_at = Some(n);
    }

    fn tick(&self) {
        let n = self.ops.fetch_add(1, Ordering::SeqCst) + 1;
        if self.abort_at == Some(n) {
            std::process::abort();
        }
    }

    fn recover(&mut self) -> anyhow::Result<()> {
        if let Some(j) = Journal::read(&self.root)? {
            self.apply(&j)
                .context("补完上次中断的生成失败（提交日志 .duban-journal 保留，下次运行再试）")?;
            self.recovery.completed = true;
        }
        for entry in std::fs::read_dir(&self.root)
            .with_context(|| format!("无法读取输出目录 {}", self.root.display()))?
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with(STAGING_PREFIX) {
                remove_tree(&entry.path())?;
                self.recovery.staging_removed += 1;
            }
        }
        self.recovery.temp_removed = remove_temp_files(&self.root);
        Ok(())
    }

    /// 开始一次生成：建立空的暂存文件夹。`source` 标明是哪个命令生成的（见 [`Scope::source`]）。
    pub fn begin(&self, source: &str) -> anyhow::Result<Transaction<'_>> {
        let name = format!("{STAGING_PREFIX}{}", fsops::random_hex());
        let staging = self.root.join(&name);
        std::fs::create_dir(&staging)
            .with_context(|| format!("无法在输出目录中建立暂存文件夹 {}", staging.display()))?;
        Ok(Transaction {
            out: self,
            name,
            staging,
            source: source.into(),
            files: Mutex::new(Vec::new()),
            done: false,
        })
    }

    /// 按日志把暂存的文件改名到位、删除过期文件、换上索引和清单，最后删日志（可重复执行）。
    fn apply(&self, j: &Journal) -> anyhow::Result<()> {
        let staging = self.root.join(&j.staging);
        for rel in j.new.iter().map(|e| PathBuf::from(&e.rel)) {
            let from = staging.join(&rel);
            if std::fs::symlink_metadata(&from).is_err() {
                continue; // 已经改名到位
            }
            let to = fsops::ensure_parent_dirs(&self.root, &rel)
                .with_context(|| format!("无法放置 {}", rel.display()))?;
            self.tick();
            std::fs::rename(&from, &to)
                .with_context(|| format!("无法把新文件改名为 {}", to.display()))?;
        }
        for rel in &j.stale {
            self.tick();
            let rel = Path::new(rel);
            if fsops::remove_file_in(&self.root, rel)
                .with_context(|| format!("无法删除过期文件 {}", rel.display()))?
            {
                // 单位目录删空了（单位已不在任务目录中）就一并删掉；非空（有用户文件）则保留。
                if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    let _ = std::fs::remove_dir(self.root.join(parent));
                }
            }
        }
        for name in [INDEX_FILE, MARKER] {
            let from = staging.join(name);
            if from.exists() {
                self.tick();
                std::fs::rename(&from, self.root.join(name))
                    .with_context(|| format!("无法更新 {name}"))?;
            }
        }
        fsops::sync_dir(&self.root);
        if staging.exists() {
            remove_tree(&staging)?;
        }
        self.tick();
        Journal::remove(&self.root)?;
        Ok(())
    }
}

/// 一次生成：文件随渲染随写进暂存文件夹，[`Transaction::commit`] 时一次发布。
/// 不提交就丢弃（出错、有错误诊断）：暂存文件夹删掉，输出目录不变。
pub struct Transaction<'a> {
    out: &'a OutDir,
    name: String,
    staging: PathBuf,
    source: String,
    files: Mutex<Vec<ManifestEntry>>,
    done: bool,
}

impl Transaction<'_> {
    /// 写入一个新文件（可从多个线程同时调用）。
    pub fn add(&self, f: &OutFile) -> anyhow::Result<()> {
        let entry = ManifestEntry::from_file(f, &self.source);
        let Some(rel) = entry.rel_path() else {
            bail!("内部错误：不安全的输出路径 {}", entry.rel);
        };
        let path = fsops::ensure_parent_dirs(&self.staging, &rel)
            .with_context(|| format!("无法写入暂存文件 {}", rel.display()))?;
        self.out.tick();
        fsops::create_new(&path, &f.bytes).with_context(|| {
            format!(
                "无法写入 {}（磁盘满或没有写权限？输出目录保持上次的结果）",
                rel.display()
            )
        })?;
        self.files.lock().unwrap().push(entry);
        Ok(())
    }

    /// 发布：核对 → 写提交日志（提交点）→ 按日志改名到位、删除范围内的过期文件、更新索引和清单。
    pub fn commit(mut self, scope: &Scope) -> anyhow::Result<Written> {
        let (journal, written) = self.write_journal(scope)?;
        self.out.apply(&journal)?;
        Ok(written)
    }

    /// 提交的前一半：核对、暂存索引与清单、写下日志。
    fn write_journal(&mut self, scope: &Scope) -> anyhow::Result<(Journal, Written)> {
        let root = &self.out.root;
        let mut new = std::mem::take(&mut *self.files.lock().unwrap());
        new.sort();
        if let Some(w) = new.windows(2).find(|w| w[0].rel == w[1].rel) {
            bail!("内部错误：同一次生成两次写 {}", w[0].rel);
        }
        let previous = read_manifest(root);
        check_targets(root, &new, &previous)?;
        let new_paths: BTreeSet<&str> = new.iter().map(|e| e.rel.as_str()).collect();
        let (mut kept, mut stale) = (Vec::new(), Vec::new());
        for e in previous {
            if new_paths.contains(e.rel.as_str()) {
                continue;
            }
            if scope.covers(&e) && e.rel_path().is_some() {
                stale.push(e.rel);
            } else {
                kept.push(e);
            }
        }
        let mut all: Vec<ManifestEntry> = kept.into_iter().chain(new.iter().cloned()).collect();
        all.sort();
        all.dedup_by(|a, b| a.rel == b.rel);
        // 索引和清单也先暂存：提交后的改名阶段不再需要新的磁盘空间。
        fsops::create_new(&self.staging.join(INDEX_FILE), &index_csv(&all))
            .context("无法写入索引")?;
        fsops::create_new(
            &self.staging.join(MARKER),
            manifest::manifest_text(&all).as_bytes(),
        )
        .context("无法写入清单")?;
        let journal = Journal {
            staging: self.name.clone(),
            new,
            stale: stale.clone(),
        };
        self.out.tick();
        journal.write(root)?;
        self.done = true;
        let written = Written {
            removed: stale,
            listed: all.len(),
        };
        Ok((journal, written))
    }

    /// 测试用：写下提交日志后就停（如同刚提交就崩溃）。
    #[cfg(test)]
    fn commit_journal_only(mut self, scope: &Scope) -> anyhow::Result<()> {
        self.write_journal(scope).map(|_| ())
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// 提交前核对每个新文件的去处：上级目录不能是符号链接；已有同名文件而不在上次的清单里
/// （用户自己放的）不覆盖。
fn check_targets(
    root: &Path,
    new: &[ManifestEntry],
    previous: &[ManifestEntry],
) -> anyhow::Result<()> {
    let ours: BTreeSet<&str> = previous.iter().map(|e| e.rel.as_str()).collect();
    let mut problems = Vec::new();
    for e in new {
        let rel = Path::new(&e.rel);
        if let Some(link) = fsops::has_linked_parent(root, rel) {
            problems.push(format!(
                "{} 是符号链接或不是文件夹：duban 不经符号链接写入（{} 未写）",
                link.display(),
                e.rel
            ));
            continue;
        }
        match std::fs::symlink_metadata(root.join(rel)) {
            Ok(m) if m.is_dir() => problems.push(format!("{} 是一个文件夹，无法写成文件", e.rel)),
            Ok(_) if !ours.contains(e.rel.as_str()) => problems.push(format!(
                "{} 已存在但不是 duban 生成的（不在 {MARKER} 清单中），为免覆盖用户文件未写",
                e.rel
            )),
            _ => {}
        }
    }
    if !problems.is_empty() {
        bail!(
            "{}：输出目录中有 {} 处不能安全写入，本次未发布任何文件（上次的材料保持不变）：\n  {}\n  提示：把这些文件或链接移出输出目录后重新运行",
            root.display(),
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(())
}

/// 删除一个 duban 自己的文件夹（不跟随其中的符号链接）。
fn remove_tree(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("无法删除暂存文件夹 {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// 删掉输出目录里崩溃留下的临时文件：本版的 `.duban-tmp-*`，以及旧版的 `.文件名.进程号.tmp`。
/// 不进入符号链接指向的目录。返回删除个数。
fn remove_temp_files(root: &Path) -> usize {
    let is_temp = |name: &str| {
        name.starts_with(fsops::TEMP_PREFIX)
            || (name.starts_with('.')
                && name.ends_with(".tmp")
                && name
                    .trim_end_matches(".tmp")
                    .rsplit('.')
                    .next()
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())))
    };
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(3)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && is_temp(&e.file_name().to_string_lossy()))
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// 输出目录：不存在则创建并放标记；存在而无标记且非空则拒绝（避免覆盖用户文件）。
pub fn prepare_out_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!(
                "{}：输出位置是一个文件，不是文件夹\n  提示：换一个 --out 目录，或改 duban.toml 的 [paths] out",
                dir.display()
            );
        }
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("无法读取输出目录 {}", dir.display()))?
            .next()
            .is_none();
        if !dir.join(MARKER).exists() && !empty {
            bail!(
                "{}：输出目录不是 duban 生成的（缺少 {MARKER}），为避免覆盖其中的文件，已停止\n  提示：换一个 --out 目录，或确认无用后清空该目录",
                dir.display()
            );
        }
    } else {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    }
    if !dir.join(MARKER).exists() {
        write_atomic(&dir.join(MARKER), manifest::manifest_text(&[]).as_bytes())?;
    }
    Ok(())
}

/// 原子写入一个文件（同目录随机名临时文件独占创建，写完改名）：模板导出、单份 PDF 等。
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    fsops::write_atomic(path, bytes, false).with_context(|| format!("无法写入 {}", path.display()))
}

/// 流式写出一个独立的新文件（如归档包）：同目录随机名临时文件独占创建，`write` 写完、落盘后才放到位。
/// `replace` 为假时目标已存在就报错、什么都不动（用硬链接放到位，不会在检查与改名之间被别人抢先）；
/// 为真时原子替换。失败时删掉临时文件，目标保持原样。
pub fn publish_streamed(
    path: &Path,
    replace: bool,
    write: impl FnOnce(std::fs::File) -> anyhow::Result<std::fs::File>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let tmp = dir.join(format!("{}{}", fsops::TEMP_PREFIX, fsops::random_hex()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .read(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    let result = write(file)
        .and_then(|f| f.sync_all().context("写入磁盘失败"))
        .and_then(|()| place(&tmp, path, replace));
    let _ = std::fs::remove_file(&tmp);
    if result.is_ok() {
        fsops::sync_dir(dir);
    }
    result
}

/// 把写好的临时文件放到目标位置（见 [`publish_streamed`]）。
fn place(tmp: &Path, path: &Path, replace: bool) -> anyhow::Result<()> {
    let exists = || {
        anyhow::anyhow!(
            "{} 已存在，不覆盖\n  提示：要替换它请加 --force，或用 --out 另存为别的文件名",
            path.display()
        )
    };
    if replace {
        return std::fs::rename(tmp, path).with_context(|| format!("无法写入 {}", path.display()));
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        // 不支持硬链接的文件系统（如 U 盘的 FAT32）：先查再改名。
        Err(_) if path.exists() || path.is_symlink() => Err(exists()),
        Err(_) => {
            std::fs::rename(tmp, path).with_context(|| format!("无法写入 {}", path.display()))
        }
    }
}

/// 一次写出全部文件并发布（测试与简单调用方用；`duban build` 边渲染边写，见 `build.rs`）。
pub fn write_all(out_dir: &Path, rendered: &Rendered, scope: &Scope) -> anyhow::Result<Written> {
    let out = OutDir::open(out_dir, &format!("进程 {}", std::process::id()))?;
    let tx = out.begin(&scope.source)?;
    for f in &rendered.files {
        tx.add(f)?;
    }
    tx.commit(scope)
}

#[cfg(test)]
mod tests;
