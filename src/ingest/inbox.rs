//! 收件：把命令行给出的文件和文件夹展开成要导入的文件列表。

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// 文件夹中认作报送表的扩展名（旧格式也收，好报告“请另存为 .xlsx”）。
const SHEET_EXTS: [&str; 6] = ["xlsx", "xlsm", "xltx", "xls", "et", "ods"];

/// 收集要导入的文件：给出的文件照收；文件夹按名称排序遍历，只收表格文件，略过隐藏文件、
/// Excel 的“~$”锁文件和报回件库本身。
pub fn collect(paths: &[PathBuf], store: &Path) -> anyhow::Result<(Vec<PathBuf>, Vec<String>)> {
    let store = store.canonicalize().ok();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
            continue;
        }
        if !p.is_dir() {
            bail!(
                "找不到 {}\n  提示：写报回文件或所在文件夹的路径",
                p.display()
            );
        }
        let walk = walkdir::WalkDir::new(p).sort_by_file_name().into_iter();
        let walk =
            walk.filter_entry(|e| store.as_deref() != e.path().canonicalize().ok().as_deref());
        for e in walk {
            let e = e.with_context(|| format!("无法读取文件夹 {}", p.display()))?;
            if !e.file_type().is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy();
            let ext = e
                .path()
                .extension()
                .map(|x| x.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.starts_with("~$") || name.starts_with('.') {
                skipped.push(format!("{}（临时或隐藏文件）", e.path().display()));
            } else if SHEET_EXTS.contains(&ext.as_str()) {
                files.push(e.into_path());
            } else {
                skipped.push(format!("{}（不是表格文件）", e.path().display()));
            }
        }
    }
    Ok((files, skipped))
}
