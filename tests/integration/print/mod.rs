//! 打印：印刷细节（标点、落款、标题断行、字距、短标签）、打印合订本（书签、双面、封面目录、
//! 横排页显示方向）、Word 副本（LibreOffice 打开、与 PDF 同文）。
//!
//! 检查都在随附项目的一次构建上做（与 `shipped` 共用，见 [`crate::shipped::shipped`]）；
//! 全区合订本收了全部 PDF，所以大多数检查只需读它一个文件。

mod bundles;
mod polish;
mod word;

use crate::support::pdftotext;
use std::path::{Path, PathBuf};

/// 随附项目的输出目录。
fn out() -> &'static Path {
    &crate::shipped::shipped().out
}

/// 全区打印合订本。
fn district() -> PathBuf {
    out().join("打印/00-全区合订本.pdf")
}

/// pdftotext -bbox 的一个词（坐标按显示方向，单位磅）。
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

impl Word {
    fn height(&self) -> f32 {
        self.y1 - self.y0
    }
}

fn words(pdf: &Path) -> Vec<Word> {
    let html = pdftotext(pdf, &["-bbox"]);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |k: &str| -> f32 {
            let i = rest.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            rest[i..rest[i..].find('"').unwrap() + i].parse().unwrap()
        };
        let text = rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()]
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        out.push(Word {
            page,
            x0: attr("xMin"),
            y0: attr("yMin"),
            x1: attr("xMax"),
            y1: attr("yMax"),
            text,
        });
    }
    out
}

/// 同一页、同一基线（顶边相差不到 2 磅）的词归成一行，行内按横坐标排好。
fn lines(ws: &[Word]) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    for w in ws {
        match out
            .iter_mut()
            .find(|l| l[0].page == w.page && (l[0].y0 - w.y0).abs() < 2.0)
        {
            Some(l) => l.push(w.clone()),
            None => out.push(vec![w.clone()]),
        }
    }
    for l in &mut out {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

/// 汉字或全角标点（中文语境）。
fn cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF01..=0xFF60)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…')
}

/// 去掉页码“—N—”（去空白后的文字里）。
fn without_page_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '—' {
            let j = i
                + 1
                + chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            if j > i + 1 && chars.get(j) == Some(&'—') {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
