//! 横排页在屏幕上横着显示：给这些页加 `/Rotate 90`。
//!
//! GB/T 9704 的横排表格印在竖放的 A4 上（表头朝订口，页码与竖排页同位），所以页面本身、
//! 页码和内容的位置都不变；`/Rotate 90` 只告诉阅读器“顺时针转 90° 显示”，屏幕上表格是正的。
//! 打印时阅读器按页面本身（竖放 A4）或按横向惯例（内容逆时针转回）输出，结果都与 GB/T 9704 一致。
//!
//! krilla 0.8 不能设页面的 `/Rotate`，所以在它写好的 PDF 上补：在页对象字典里插入键，
//! 再按插入的字节数改写交叉引用表（krilla 只写一张传统 xref 表）。结构与预期不符时报错，不出坏文件。

use super::error::TypesetError;

fn err(what: &str) -> TypesetError {
    TypesetError::Layout(format!("设置横排页显示方向失败：{what}"))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn number(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let start = from
        + bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let v = std::str::from_utf8(&bytes[start..start + len])
        .ok()?
        .parse()
        .ok()?;
    Some((v, start + len))
}

/// 传统 xref 表：起点、各条目（在用对象的字节偏移；空闲项为 `None`，连同原条目）。
struct Xref {
    at: usize,
    offsets: Vec<(Option<usize>, [u8; 20])>,
}

impl Xref {
    /// 对象 `id` 的字典内容起点（“<<”之后）。
    fn dict(&self, pdf: &[u8], id: usize) -> Option<usize> {
        let obj = self.offsets.get(id)?.0?;
        let dict = find(pdf, b"<<", obj)?;
        find(&pdf[obj..dict], b"obj", 0)?;
        Some(dict + 2)
    }
}

/// 字典里 `key` 之后的间接引用“N 0 R”的对象号。
fn reference(pdf: &[u8], from: usize, key: &[u8]) -> Option<usize> {
    let at = find(pdf, key, from)?;
    number(pdf, at + key.len()).map(|(v, _)| v)
}

fn read_xref(pdf: &[u8]) -> Option<Xref> {
    let sx = rfind(pdf, b"startxref")?;
    let (at, _) = number(pdf, sx + 9)?;
    if !pdf[at..].starts_with(b"xref") {
        return None;
    }
    let (first, p) = number(pdf, at + 4)?;
    let (count, p) = number(pdf, p)?;
    if first != 0 {
        return None;
    }
    let mut p = p + pdf[p..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let mut offsets = Vec::with_capacity(count);
    for _ in 0..count {
        let entry: [u8; 20] = pdf.get(p..p + 20)?.try_into().ok()?;
        let off: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
        offsets.push(((entry[17] == b'n').then_some(off), entry));
        p += 20;
    }
    Some(Xref { at, offsets })
}

/// 页树里按顺序的页对象号：trailer 的 /Root → 目录的 /Pages → 一层 `/Kids`（krilla 的写法）。
fn page_ids(pdf: &[u8], xref: &Xref) -> Option<Vec<usize>> {
    let trailer = find(pdf, b"trailer", xref.at)?;
    let root = reference(pdf, trailer, b"/Root")?;
    let catalog = xref.dict(pdf, root)?;
    let pages = xref.dict(pdf, reference(pdf, catalog, b"/Pages")?)?;
    if !pdf[pages..].starts_with(b"/Type/Pages") {
        return None;
    }
    let kids = find(pdf, b"/Kids[", pages)? + 6;
    let end = find(pdf, b"]", kids)?;
    let list = std::str::from_utf8(&pdf[kids..end]).ok()?;
    let nums: Vec<usize> = list
        .split_whitespace()
        .filter(|t| *t != "R")
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    // “12 0 R 13 0 R”：对象号与代号交替。
    Some(nums.chunks(2).map(|c| c[0]).collect())
}

/// 给第 `pages` 页（从 0 起）加 `/Rotate 90`，改写交叉引用表。没有要转的页时原样返回。
/// 就地插入（几十 MB 的全区合订本不另复制一份）。
pub(crate) fn rotate_pages(mut pdf: Vec<u8>, pages: &[usize]) -> Result<Vec<u8>, TypesetError> {
    if pages.is_empty() {
        return Ok(pdf);
    }
    let xref = read_xref(&pdf).ok_or_else(|| err("找不到交叉引用表"))?;
    let ids = page_ids(&pdf, &xref).ok_or_else(|| err("找不到页树"))?;
    // 每处插入的字节位置，按位置排序。
    let mut inserts: Vec<usize> = Vec::new();
    for &p in pages {
        let id = *ids.get(p).ok_or_else(|| err("页号超出页数"))?;
        let dict = xref
            .dict(&pdf, id)
            .ok_or_else(|| err("页对象不在交叉引用表中"))?;
        if !pdf[dict..].starts_with(b"/Type/Page/") {
            return Err(err("页对象格式与预期不符"));
        }
        inserts.push(dict);
    }
    inserts.sort_unstable();
    inserts.dedup();
    const KEY: &[u8] = b"/Rotate 90";
    // 偏移 off 处的字节前面插入了几处（插入点恰在 off 的也算：对象在插入点之前开始）。
    let shift = |off: usize| off + KEY.len() * inserts.partition_point(|&i| i <= off);
    // 新的 xref 表（条目定长 20 字节）、trailer 原样、startxref 指向新位置。
    let new_at = xref.at + KEY.len() * inserts.len();
    let mut tail = format!("xref\n0 {}\n", xref.offsets.len()).into_bytes();
    for (off, raw) in &xref.offsets {
        match off {
            Some(o) => {
                tail.extend_from_slice(format!("{:010}", shift(*o)).as_bytes());
                tail.extend_from_slice(&raw[10..]);
            }
            None => tail.extend_from_slice(raw),
        }
    }
    let trailer = find(&pdf, b"trailer", xref.at).ok_or_else(|| err("找不到 trailer"))?;
    let sx = rfind(&pdf, b"startxref").ok_or_else(|| err("找不到 startxref"))?;
    tail.extend_from_slice(&pdf[trailer..sx]);
    tail.extend_from_slice(format!("startxref\n{new_at}\n%%EOF").as_bytes());
    // 从后往前挪：第 k 处插入点之后的一段右移 (k+1) 个键长，再把键写进空出来的位置。
    pdf.truncate(xref.at);
    pdf.resize(new_at, 0);
    let mut end = xref.at;
    for (k, &i) in inserts.iter().enumerate().rev() {
        let to = i + (k + 1) * KEY.len();
        pdf.copy_within(i..end, to);
        pdf[to - KEY.len()..to].copy_from_slice(KEY);
        end = i;
    }
    pdf.extend_from_slice(&tail);
    Ok(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_errors_are_reported_not_written() {
        let e = rotate_pages(b"%PDF-1.7\nnot a pdf".to_vec(), &[0]).unwrap_err();
        assert!(e.to_string().contains("交叉引用表"), "{e}");
        assert_eq!(rotate_pages(b"x".to_vec(), &[]).unwrap(), b"x");
    }

    #[test]
    fn landscape_pages_get_rotate_and_xref_stays_consistent() {
        use crate::typeset::doc::{Block, Document, Meta, Orientation, Section, Span};
        use crate::typeset::{render_pdf, FontSet, PdfOptions};
        let p = |t: &str| Block::Paragraph {
            content: vec![Span::body(t)],
            align: crate::typeset::Align::Justify,
            indent: true,
        };
        let section = |o, t| Section {
            orientation: o,
            blocks: vec![p(t)],
        };
        let doc = Document {
            meta: Meta {
                created: Some((2023, 2, 8)),
                ..Default::default()
            },
            sections: vec![
                section(Orientation::Portrait, "甲"),
                section(Orientation::Landscape, "乙"),
                section(Orientation::Portrait, "丙"),
                section(Orientation::Landscape, "丁"),
            ],
        };
        let pdf = render_pdf(&doc, &PdfOptions::new(FontSet::shared_builtin()))
            .unwrap()
            .bytes;
        let xref = read_xref(&pdf).unwrap();
        // 每个在用对象的偏移都正好指向“N 0 obj”。
        for (id, (off, _)) in xref.offsets.iter().enumerate() {
            if let Some(o) = off {
                assert!(
                    pdf[*o..].starts_with(format!("{id} 0 obj").as_bytes()),
                    "对象 {id}"
                );
            }
        }
        let ids = page_ids(&pdf, &xref).unwrap();
        let rotated: Vec<bool> = ids
            .iter()
            .map(|&id| pdf[xref.dict(&pdf, id).unwrap()..].starts_with(b"/Rotate 90/Type/Page/"))
            .collect();
        assert_eq!(rotated, [false, true, false, true]);
    }
}
