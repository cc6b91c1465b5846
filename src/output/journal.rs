//! 提交日志 `.duban-journal`：一次生成的提交点。
//!
//! 日志在全部新文件写进暂存文件夹之后原子地写下（临时文件 + 落盘 + 改名）。它在，就说明本次生成
//! 完整、已提交；按它做（改名到位、删过期文件、换索引和清单）可以重复执行，中途崩溃下次接着做。

use super::fsops;
use super::manifest::ManifestEntry;
use anyhow::{bail, Context};
use std::path::Path;

/// 日志文件名（输出目录根下）。
pub const JOURNAL: &str = ".duban-journal";

const HEADER: &str =
    "# duban 提交日志：存在即表示一次生成已完整写入暂存文件夹，下次运行会把它做完（请勿手改）。";

/// 一次已提交的生成。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// 暂存文件夹名（输出目录根下）。
    pub staging: String,
    /// 新文件（按相对路径排序）。
    pub new: Vec<ManifestEntry>,
    /// 要删除的过期文件（相对路径）。
    pub stale: Vec<String>,
}

impl Journal {
    fn text(&self) -> String {
        let mut s = format!("{HEADER}\nstaging\t{}\n", self.staging);
        for e in &self.new {
            s.push_str(&format!("new\t{}\n", e.line()));
        }
        for r in &self.stale {
            s.push_str(&format!("stale\t{r}\n"));
        }
        s.push_str("end\n");
        s
    }

    /// 写下日志（提交点）。
    pub fn write(&self, root: &Path) -> anyhow::Result<()> {
        fsops::write_atomic(&root.join(JOURNAL), self.text().as_bytes(), true)
            .context("无法写入提交日志（磁盘满？）；本次未发布，输出目录保持上次的结果")
    }

    /// 读日志；没有日志为 `None`。
    pub fn read(root: &Path) -> anyhow::Result<Option<Journal>> {
        let path = root.join(JOURNAL);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("无法读取提交日志 {}", path.display()))
            }
        };
        match Self::parse(&text) {
            Some(j) => Ok(Some(j)),
            None => bail!(
                "提交日志 {} 内容不完整或被改动过，无法据以补完上次的生成\n  提示：删除该文件后重新运行 duban build（会重新生成全部材料）",
                path.display()
            ),
        }
    }

    fn parse(text: &str) -> Option<Journal> {
        let mut j = Journal {
            staging: String::new(),
            new: Vec::new(),
            stale: Vec::new(),
        };
        let mut ended = false;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            match line.split_once('\t') {
                Some(("staging", s)) => j.staging = s.to_string(),
                Some(("new", e)) => j.new.push(ManifestEntry::parse_line(e)?),
                Some(("stale", r)) => j.stale.push(r.to_string()),
                None if line == "end" => ended = true,
                _ => return None,
            }
        }
        let safe = j.staging.starts_with(".duban-staging-")
            && !j.staging.contains(['/', '\\'])
            && j.new.iter().all(|e| e.rel_path().is_some());
        (ended && safe).then_some(j)
    }

    /// 做完后删日志。
    pub fn remove(root: &Path) -> anyhow::Result<()> {
        match std::fs::remove_file(root.join(JOURNAL)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).context("无法删除提交日志")
            }
            _ => {
                fsops::sync_dir(root);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation_is_rejected() {
        let j = Journal {
            staging: ".duban-staging-abc".into(),
            new: vec![ManifestEntry {
                rel: "区发改局/01-任务清单.pdf".into(),
                unit: "区发改局".into(),
                kind: "任务清单".into(),
                pages: 2,
                source: "build".into(),
            }],
            stale: vec!["区发改局/06-催报通知.pdf".into()],
        };
        let text = j.text();
        assert_eq!(Journal::parse(&text), Some(j));
        assert_eq!(Journal::parse(text.trim_end_matches("end\n")), None);
        assert_eq!(
            Journal::parse(&text.replace(".duban-staging-abc", "../x")),
            None
        );
    }
}
