//! 读取整个报送目录：逐个文件解析，再查同单位同表的重复报送。

use super::{parse_str, Submissions};
use crate::catalogue::Catalogue;
use crate::diag::{Diagnostic, Diagnostics};
use crate::registry::Registry;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// 读取目录下全部 `*.toml` 报送文件（按路径排序）。目录不存在视为没有报送。
pub fn load_dir(
    dir: &Path,
    reg: &Registry,
    cat: &Catalogue,
) -> anyhow::Result<(Submissions, Diagnostics)> {
    let mut diags = Diagnostics::new();
    let mut subs = Submissions::default();
    if !dir.exists() {
        return Ok((subs, diags));
    }
    for p in toml_paths(dir)? {
        let shown = p.display().to_string();
        // 读不出（编码不对、没有权限）只是这一份报送的问题：报告后跳过，其余单位照常生成。
        let text = match crate::textfile::read(&p) {
            Ok(t) => t,
            Err(e) => {
                let d = e.diagnostic("报送文件");
                let hint = d.hint.clone().unwrap_or_default();
                diags.push(d.with_hint(format!("{hint}；本文件的数据未使用")));
                subs.unreadable += 1;
                continue;
            }
        };
        match parse_str(&text, &shown, reg, cat, &mut diags) {
            Some(s) => subs.files.push(s),
            None => subs.unreadable += 1,
        }
    }
    warn_duplicates(&subs, &mut diags);
    Ok((subs, diags))
}

/// 目录下（含子目录）全部 `*.toml` 文件，按文件名排序遍历。
fn toml_paths(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("无法读取报送目录 {}", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            paths.push(entry.into_path());
        }
    }
    Ok(paths)
}

/// 重复报送：同单位、同表（同季度）多于一份，后面的每一份都警告。
fn warn_duplicates(subs: &Submissions, diags: &mut Diagnostics) {
    for (i, a) in subs.files.iter().enumerate() {
        if let Some(first) = subs.files[..i].iter().find(|b| {
            b.unit_known && b.unit == a.unit && b.form == a.form && b.quarter == a.quarter
        }) {
            diags.push(
                Diagnostic::warning(
                    &a.file,
                    1,
                    0,
                    format!("{} 的同一张表已在 {} 中报送", a.unit, first.file),
                )
                .with_hint("表格按路径排序最前的一份填写；请删除或合并重复的文件"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{parse, PLAN};
    use super::super::{FormKind, Submission};
    use super::*;
    use crate::duties::tests::sample;

    /// GBK 编码的报送文件：报错（文件、行、另存为 UTF-8 的提示）并跳过，其余报送照常读入。
    #[test]
    fn gbk_submission_is_reported_and_skipped() {
        let (cat, reg) = sample();
        let dir = std::env::temp_dir().join(format!("duban-subs-gbk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a-正常.toml"), PLAN).unwrap();
        // unit = "区商务局" 的 GBK 编码写在第 2 行。
        std::fs::write(
            dir.join("b-GBK.toml"),
            b"# x\nunit = \"\xc7\xf8\xc9\xcc\xce\xf1\xbe\xd6\"\n",
        )
        .unwrap();
        let (subs, d) = load_dir(&dir, &reg, &cat).unwrap();
        assert_eq!(subs.files.len(), 1);
        assert_eq!(subs.unreadable, 1);
        let e: Vec<_> = d
            .sorted()
            .into_iter()
            .filter(|e| e.file.ends_with("b-GBK.toml"))
            .collect();
        assert_eq!(e.len(), 1, "{:?}", d.sorted());
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("不是 UTF-8 编码"), "{}", e[0]);
        assert!(e[0].hint.as_deref().unwrap().contains("未使用"));
        assert!(e[0].hint.as_deref().unwrap().contains("UTF-8"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// 同单位同表的第二份起警告并指向最前的一份；同单位不同表不算重复。
    #[test]
    fn duplicate_is_warned_against_first_file() {
        let s = parse(PLAN).0.unwrap();
        let mut subs = Submissions::default();
        for (file, form) in [
            ("a.toml", FormKind::Plan),
            ("b.toml", FormKind::OverallPlan),
            ("c.toml", FormKind::Plan),
        ] {
            subs.files.push(Submission {
                file: file.into(),
                form,
                ..s.clone()
            });
        }
        let mut d = Diagnostics::new();
        warn_duplicates(&subs, &mut d);
        let v = d.sorted();
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].file.as_str(), v[0].line), ("c.toml", 1));
        assert_eq!(v[0].message, "区商务局 的同一张表已在 a.toml 中报送");
    }
}
