//! 清单 `.duban-out`（duban 生成了哪些文件）与它的表格版索引 `文件清单.csv`。

use crate::render::OutFile;
use std::path::{Path, PathBuf};

/// 输出目录中的标记文件：有它才说明目录归 duban 管理，可以覆盖其中的文件。
/// 内容是上次生成的文件清单（见 [`ManifestEntry`]）。
pub const MARKER: &str = ".duban-out";

/// 索引文件名（输出目录根下）。
pub const INDEX_FILE: &str = "文件清单.csv";

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
    /// 哪个命令生成的（[`BUILD`]、`report`、`remind`……）：各命令只删自己以前生成、本次不再生成的文件。
    pub source: String,
}

/// `duban build` 生成的文件的来源标记（清单中省略不写，与旧清单兼容）。
pub const BUILD: &str = "build";

impl ManifestEntry {
    pub fn from_file(f: &OutFile, source: &str) -> Self {
        ManifestEntry {
            rel: f.rel.to_string_lossy().replace('\\', "/"),
            unit: f.unit.clone(),
            kind: f.kind.clone(),
            pages: f.pages,
            source: source.into(),
        }
    }

    /// 清单里的路径只有是输出目录内的普通相对路径、且不是 duban 的内部文件时才认
    /// （防止被改过的清单删到目录外，或删掉清单自己）。
    pub fn rel_path(&self) -> Option<PathBuf> {
        let p = Path::new(&self.rel);
        let ok = super::fsops::is_plain_relative(p)
            && !p
                .components()
                .next()
                .is_some_and(|c| super::is_internal(&c.as_os_str().to_string_lossy()));
        ok.then(|| p.to_path_buf())
    }

    /// 清单（和日志）里的一行：制表符分隔，字段里的控制字符换成空格。
    pub fn line(&self) -> String {
        let mut l = format!(
            "{}\t{}\t{}\t{}",
            field(&self.rel),
            field(&self.unit),
            field(&self.kind),
            self.pages
        );
        if self.source != BUILD {
            l.push('\t');
            l.push_str(&field(&self.source));
        }
        l
    }

    /// 解析 [`ManifestEntry::line`] 写出的一行；读不懂时为 `None`。
    pub fn parse_line(l: &str) -> Option<Self> {
        let mut it = l.split('\t');
        let (rel, unit, kind, pages) = (it.next()?, it.next()?, it.next()?, it.next()?);
        Some(ManifestEntry {
            rel: rel.into(),
            unit: unit.into(),
            kind: kind.into(),
            pages: pages.parse().ok()?,
            source: it.next().unwrap_or(BUILD).into(),
        })
    }
}

fn field(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// 清单文件的全文。
pub fn manifest_text(entries: &[ManifestEntry]) -> String {
    let mut s = String::from(MARKER_HEADER);
    for e in entries {
        s.push_str(&e.line());
        s.push('\n');
    }
    s
}

/// 读清单；旧格式或读不懂的行忽略（那些文件就不会被当作过期文件删除）。
pub fn read_manifest(out_dir: &Path) -> Vec<ManifestEntry> {
    let Ok(text) = std::fs::read_to_string(out_dir.join(MARKER)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(ManifestEntry::parse_line)
        .collect()
}

/// CSV 单元格：加引号；以 = + - @ 制表符 回车开头的前面加一个单引号，电子表格打开时
/// 不会被当作公式执行（OWASP“CSV 注入”的建议做法）。
pub fn csv_cell(v: &str) -> String {
    let neutral = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    format!("\"{}\"", neutral.replace('"', "\"\""))
}

/// 索引文件（UTF-8 带 BOM，Excel 可直接打开）：单位、文件、文档、页数。
pub fn index_csv(entries: &[ManifestEntry]) -> Vec<u8> {
    let mut s = String::from("\u{feff}单位,文件,文档,页数\n");
    for e in entries {
        let pages = if e.pages > 0 {
            e.pages.to_string()
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{},{},{},{}\n",
            csv_cell(&e.unit),
            csv_cell(&e.rel),
            csv_cell(&e.kind),
            pages
        ));
    }
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        assert_eq!(csv_cell("=1+2"), "\"'=1+2\"");
        assert_eq!(csv_cell("+86"), "\"'+86\"");
        assert_eq!(csv_cell("-x"), "\"'-x\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("\tx"), "\"'\tx\"");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_cell("区发改局"), "\"区发改局\"");
        assert_eq!(csv_cell("区=局"), "\"区=局\"");
    }

    #[test]
    fn manifest_lines_round_trip() {
        let e = ManifestEntry {
            rel: "区发改局/01-任务清单.pdf".into(),
            unit: "区发改局".into(),
            kind: "任务清单".into(),
            pages: 3,
            source: BUILD.into(),
        };
        assert_eq!(ManifestEntry::parse_line(&e.line()), Some(e.clone()));
        assert_eq!(
            e.line().matches('\t').count(),
            3,
            "build 的清单行与旧格式相同"
        );
        let r = ManifestEntry {
            source: "report".into(),
            ..e.clone()
        };
        assert_eq!(ManifestEntry::parse_line(&r.line()), Some(r));
        let text = manifest_text(std::slice::from_ref(&e));
        assert!(text.starts_with('#'));
        assert_eq!(text.lines().nth(1), Some(e.line().as_str()));
    }
}
