//! `duban archive verify`：按包里的清单逐条核验——每个条目的大小与 SHA-256、缺的、多的、
//! 每个 PDF 的 PDF/A 标识（XMP 中的 pdfaid:part 与 pdfaid:conformance）。

use super::{Manifest, ManifestEntry, FORMAT, MANIFEST};
use crate::output::{copy_hashed, sha256_hex};
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// 一处问题：哪个条目，出了什么事。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub entry: String,
    pub what: String,
}

/// 核验结果。
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// 读到的清单（读不到时为 `None`，问题里写明原因）。
    pub manifest: Option<Manifest>,
    /// 核对过的条目数。
    pub checked: usize,
    /// 其中的 PDF 数与带 PDF/A 标识的数。
    pub pdfs: usize,
    pub pdfa: usize,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.manifest.is_some()
    }
    fn problem(&mut self, entry: &str, what: impl Into<String>) {
        self.problems.push(Problem {
            entry: entry.into(),
            what: what.into(),
        });
    }
}

/// 核验一个归档包。打不开（不是 zip）时返回错误；其余问题都记在报告里。
pub fn verify(path: &Path) -> anyhow::Result<VerifyReport> {
    let file = std::fs::File::open(path).with_context(|| format!("无法打开 {}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file).with_context(|| {
        format!(
            "{} 不是完好的 zip 包（目录区读不出）\n  提示：文件可能被截断或不是 duban archive 生成的",
            path.display()
        )
    })?;
    let mut report = VerifyReport::default();
    let names: Vec<String> = (0..zip.len())
        .map(|i| match zip.name_for_index(i) {
            Some(Ok(n)) => n.to_string(),
            // 名字读不出的条目照样核对：清单里不会有它，报为多出的条目。
            _ => format!("（第 {} 个条目，名字读不出）", i + 1),
        })
        .collect();
    let Some((root, manifest)) = read_manifest(&mut zip, &names, &mut report) else {
        return Ok(report);
    };
    let mut want: BTreeMap<&str, &ManifestEntry> = BTreeMap::new();
    for e in &manifest.entries {
        if want.insert(e.path.as_str(), e).is_some() {
            report.problem(&e.path, "清单里重复列出");
        }
    }
    let manifest_name = format!("{root}{MANIFEST}");
    let mut seen = BTreeSet::new();
    for (i, name) in names.iter().enumerate() {
        if *name == manifest_name || name.ends_with('/') {
            continue;
        }
        let Some(rel) = name.strip_prefix(&root) else {
            report.problem(name, "多出的条目：不在包的根文件夹里，清单里也没有");
            continue;
        };
        let Some(e) = want.get(rel) else {
            report.problem(rel, "多出的条目：清单里没有");
            continue;
        };
        if !seen.insert(rel.to_string()) {
            report.problem(rel, "包里有两个同名条目");
            continue;
        }
        check_entry(&mut zip, i, e, &mut report);
    }
    for e in &manifest.entries {
        if !seen.contains(&e.path) {
            report.problem(&e.path, "缺少条目：清单里有，包里没有");
        }
    }
    report.manifest = Some(manifest);
    Ok(report)
}

/// 找到并读出清单；找不到或读不懂时记下问题，返回 `None`。
fn read_manifest(
    zip: &mut zip::ZipArchive<std::fs::File>,
    names: &[String],
    report: &mut VerifyReport,
) -> Option<(String, Manifest)> {
    let found: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.strip_suffix(MANIFEST)
                .is_some_and(|p| p.is_empty() || (p.ends_with('/') && p.matches('/').count() == 1))
        })
        .collect();
    let [name] = found[..] else {
        let what = if found.is_empty() {
            "包里没有清单 manifest.json，无法核验".to_string()
        } else {
            format!("包里有 {} 份清单，无法判断以哪份为准", found.len())
        };
        report.problem(MANIFEST, what);
        return None;
    };
    let mut text = String::new();
    let read = zip
        .by_name(name)
        .map_err(|e| e.to_string())
        .and_then(|mut f| f.read_to_string(&mut text).map_err(|e| e.to_string()));
    if let Err(e) = read {
        report.problem(MANIFEST, format!("清单读不出：{e}"));
        return None;
    }
    match serde_json::from_str::<Manifest>(&text) {
        Ok(m) if m.format == FORMAT => {
            let root = name[..name.len() - MANIFEST.len()].to_string();
            Some((root, m))
        }
        Ok(m) => {
            report.problem(
                MANIFEST,
                format!("不是 duban 归档清单（格式为“{}”）", m.format),
            );
            None
        }
        Err(e) => {
            report.problem(MANIFEST, format!("清单不是有效的 JSON 或缺字段：{e}"));
            None
        }
    }
}

/// 核对一个条目：读得出（zip 自带的 CRC 也对）、大小与 SHA-256 同清单；PDF 还要有 PDF/A 标识。
fn check_entry(
    zip: &mut zip::ZipArchive<std::fs::File>,
    i: usize,
    e: &ManifestEntry,
    report: &mut VerifyReport,
) {
    report.checked += 1;
    let is_pdf = e.path.to_ascii_lowercase().ends_with(".pdf");
    let mut pdf = Vec::new();
    let read = zip
        .by_index(i)
        .map_err(|x| x.to_string())
        .and_then(|mut f| {
            if is_pdf {
                f.read_to_end(&mut pdf)
                    .map(|n| (n as u64, sha256_hex(&pdf)))
                    .map_err(|x| x.to_string())
            } else {
                copy_hashed(&mut f, &mut std::io::sink()).map_err(|x| x.to_string())
            }
        });
    let (size, sha) = match read {
        Ok(r) => r,
        Err(x) => {
            report.problem(&e.path, format!("内容读不出（已损坏）：{x}"));
            return;
        }
    };
    if size != e.size {
        report.problem(
            &e.path,
            format!("大小不符：清单 {} 字节，包里 {size} 字节", e.size),
        );
    } else if sha != e.sha256 {
        report.problem(&e.path, "内容被改动：SHA-256 与清单不符");
    }
    if is_pdf {
        report.pdfs += 1;
        match pdfa_identification(&pdf) {
            Ok(_) => report.pdfa += 1,
            Err(why) => report.problem(&e.path, why),
        }
    }
}

/// PDF/A 标识：文件头 `%PDF-`、XMP 元数据里的 pdfaid:part（1–4）与 pdfaid:conformance。
/// 交回“PDF/A-2B”这样的写法，或缺什么。
pub fn pdfa_identification(pdf: &[u8]) -> Result<String, String> {
    if !pdf.starts_with(b"%PDF-") {
        return Err("不是 PDF（文件头不是 %PDF-）".into());
    }
    let part = xmp_value(pdf, "pdfaid:part").ok_or("没有 PDF/A 标识（XMP 中无 pdfaid:part）")?;
    if !matches!(part.as_str(), "1" | "2" | "3" | "4") {
        return Err(format!("PDF/A 标识不对：pdfaid:part 为“{part}”"));
    }
    let conf = xmp_value(pdf, "pdfaid:conformance").unwrap_or_default();
    Ok(format!("PDF/A-{part}{}", conf.to_ascii_uppercase()))
}

/// XMP 中一个简单属性的值：`<key>值</key>` 或 `key="值"` 两种写法。
fn xmp_value(pdf: &[u8], key: &str) -> Option<String> {
    let find = |pat: &[u8]| pdf.windows(pat.len()).position(|w| w == pat);
    let elem = format!("<{key}>");
    if let Some(i) = find(elem.as_bytes()) {
        let rest = &pdf[i + elem.len()..];
        let end = rest.iter().position(|&b| b == b'<')?;
        return Some(String::from_utf8_lossy(&rest[..end]).trim().to_string());
    }
    let attr = format!("{key}=\"");
    let i = find(attr.as_bytes())?;
    let rest = &pdf[i + attr.len()..];
    let end = rest.iter().position(|&b| b == b'"')?;
    Some(String::from_utf8_lossy(&rest[..end]).trim().to_string())
}
