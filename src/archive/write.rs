//! 写归档包：条目按路径顺序，时间戳一律取归档日期 0 时，权限一律 0644，文件名按 UTF-8 标记；
//! 已压缩过的（PDF、XLSX、DOCX）原样存，文字类 deflate。同样的条目得到同样的字节。

use super::{root_dir, ArchivePlan, Manifest, ManifestEntry, Source, MANIFEST, TOC};
use crate::output::{copy_hashed, sha256_hex};
use anyhow::Context;
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// 写出整个包到 `w`，交回写好的 `w` 与清单。文件条目边读边写（内存不随包变大）。
/// `toc` 拿到除目录与清单以外全部条目的清单，交回目录 PDF 的字节与页数。
pub fn write_zip<W: Write + Seek>(
    plan: &ArchivePlan,
    w: W,
    toc: impl FnOnce(&Manifest) -> anyhow::Result<(Vec<u8>, usize)>,
) -> anyhow::Result<(W, Manifest)> {
    let root = root_dir(plan.quarter);
    let d = plan.as_of;
    let time = zip::DateTime::from_date_and_time(d.year as u16, d.month, d.day, 0, 0, 0)
        .unwrap_or_default();
    let mut zip = ZipWriter::new(w);
    let mut entries = Vec::with_capacity(plan.items.len() + 1);
    for item in &plan.items {
        zip.start_file(format!("{root}/{}", item.path), options(&item.path, time))
            .with_context(|| format!("写归档条目 {} 失败", item.path))?;
        let (size, sha256) = match &item.source {
            Source::Bytes(b) => copy_hashed(&mut &b[..], &mut zip),
            Source::File(p) => {
                let mut f =
                    std::fs::File::open(p).with_context(|| format!("无法读取 {}", p.display()))?;
                copy_hashed(&mut f, &mut zip)
            }
        }
        .with_context(|| format!("写归档条目 {} 失败", item.path))?;
        entries.push(ManifestEntry {
            path: item.path.clone(),
            kind: item.kind.clone(),
            size,
            sha256,
            pages: item.pages,
        });
    }
    let (bytes, pages) = toc(&plan.manifest(entries.clone()))?;
    zip.start_file(format!("{root}/{TOC}"), options(TOC, time))?;
    zip.write_all(&bytes).context("写归档目录失败")?;
    entries.push(ManifestEntry {
        path: TOC.into(),
        kind: "归档目录".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
        pages,
    });
    let manifest = plan.manifest(entries);
    let mut json = serde_json::to_vec_pretty(&manifest).context("清单序列化失败")?;
    json.push(b'\n');
    zip.start_file(format!("{root}/{MANIFEST}"), options(MANIFEST, time))?;
    zip.write_all(&json).context("写归档清单失败")?;
    let w = zip.finish().context("写归档包目录区失败")?;
    Ok((w, manifest))
}

/// 条目的写法：已压缩的格式原样存（再压缩只费时间），其余 deflate。
fn options(path: &str, time: zip::DateTime) -> SimpleFileOptions {
    let lower = path.to_ascii_lowercase();
    let stored = [".pdf", ".xlsx", ".docx", ".zip", ".png", ".jpg"]
        .iter()
        .any(|e| lower.ends_with(e));
    let o = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644);
    if stored {
        o.compression_method(CompressionMethod::Stored)
    } else {
        o.compression_method(CompressionMethod::Deflated)
            .compression_level(Some(6))
    }
}
