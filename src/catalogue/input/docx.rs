//! Word 文档（.docx）→ 逐行文字：每段一行（段内的手动换行另起一行），Word 自动编号的编号文字
//! 补在段首，表格交给 `table`。删除的修订、域代码、脚注引用、隐藏文字不读；插入的修订照读。

use super::numbering::Numbering;
use super::table::{table_lines, Cell};
use super::xml::{self, Child, Node};
use super::Note;
use std::io::Read;

/// 单个部件的大小上限：防止压缩炸弹把内存撑满。
const PART_LIMIT: u64 = 256 << 20;

type Zip<'b> = zip::ZipArchive<std::io::Cursor<&'b [u8]>>;

fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, String> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("读不出其中的 {name}：{}", zip_reason(&e))),
    };
    if f.size() > PART_LIMIT {
        return Err(format!("其中的 {name} 大得不正常（{} 字节）", f.size()));
    }
    let mut s = String::new();
    f.read_to_string(&mut s)
        .map_err(|_| format!("其中的 {name} 解压失败或不是 UTF-8 文字，文件可能已损坏"))?;
    Ok(Some(s))
}

/// zip 的错误 → 中文。
fn zip_reason(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError::*;
    match e {
        InvalidArchive(_) => "zip 容器不完整或已损坏".into(),
        UnsupportedArchive(_) => "用了不支持的压缩或加密方式（加了密码的文档请先去掉密码）".into(),
        FileNotFound => "缺少必需的部件".into(),
        Io(_) => "读取时出错，文件可能已损坏".into(),
        _ => "zip 容器有误".into(),
    }
}

/// 正文部件的路径：按 [Content_Types].xml，找不到时取惯用的 word/document.xml。
fn main_part(zip: &mut Zip<'_>) -> String {
    let found = part(zip, "[Content_Types].xml")
        .ok()
        .flatten()
        .and_then(|ct| {
            let root = xml::parse(&ct).ok()?;
            let name = root
                .nodes()
                .find(|n| {
                    n.attr("ContentType")
                        .is_some_and(|t| t.contains("wordprocessingml.document.main"))
                })
                .and_then(|n| n.attr("PartName"))
                .map(|p| p.trim_start_matches('/').to_string());
            name
        });
    found.unwrap_or_else(|| "word/document.xml".into())
}

/// 正文部件引用的编号、样式部件（按关系文件；缺省为同目录下的惯用名）。
fn related(zip: &mut Zip<'_>, main: &str, kind: &str, default: &str) -> String {
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main));
    let rels = format!("{dir}/_rels/{file}.rels");
    let target = part(zip, &rels).ok().flatten().and_then(|r| {
        let root = xml::parse(&r).ok()?;
        let target = root
            .nodes()
            .find(|n| n.attr("Type").is_some_and(|t| t.ends_with(kind)))
            .and_then(|n| n.attr("Target"))
            .map(str::to_string);
        target
    });
    let t = target.unwrap_or_else(|| default.into());
    match t.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => t,
        None => format!("{dir}/{t}"),
    }
}

/// 读 .docx：返回逐行文字与转换说明；文件坏了时返回中文原因。
pub(super) fn read(bytes: &[u8]) -> Result<(String, Vec<Note>), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| zip_reason(&e))?;
    let main = main_part(&mut zip);
    let doc = part(&mut zip, &main)?.ok_or_else(|| format!("缺少正文部件 {main}"))?;
    let num_path = related(&mut zip, &main, "/numbering", "numbering.xml");
    let style_path = related(&mut zip, &main, "/styles", "styles.xml");
    let parse = |s: String| xml::parse(&s).map_err(|e| format!("编号或样式部件有误：{e}"));
    let numbering = part(&mut zip, &num_path)?.map(parse).transpose()?;
    let styles = part(&mut zip, &style_path)?.map(parse).transpose()?;
    let root = xml::parse(&doc).map_err(|e| format!("正文 {main} 有误：{e}"))?;
    let body = root.child("body").ok_or("正文里没有 body 元素")?;
    let mut w = Writer {
        lines: Vec::new(),
        notes: Vec::new(),
        numbering: Numbering::new(numbering.as_ref(), styles.as_ref()),
    };
    w.blocks(body);
    let mut text = w.lines.join("\n");
    text.push('\n');
    Ok((text, w.notes))
}

struct Writer {
    lines: Vec<String>,
    notes: Vec<Note>,
    numbering: Numbering,
}

impl Writer {
    /// 块级内容：段落、表格，以及包着它们的内容控件、自定义 XML。
    fn blocks(&mut self, parent: &Node) {
        for n in parent.nodes() {
            match n.name.as_str() {
                "p" => {
                    let t = self.paragraph(n);
                    self.lines.extend(t.split('\n').map(str::to_string));
                }
                "tbl" => {
                    let rows = self.table(n);
                    let first = self.lines.len() + 1;
                    let lines = table_lines(&rows, first, &mut self.notes);
                    self.lines.extend(lines);
                }
                "sdt" | "sdtContent" | "customXml" | "ins" | "smartTag" => self.blocks(n),
                _ => {}
            }
        }
    }

    /// 一段：编号文字 + 各文字块；手动换行记作 `\n`。
    fn paragraph(&mut self, p: &Node) -> String {
        let mut s = self.numbering.label(p);
        inline(p, &mut s);
        s
    }

    fn table(&mut self, t: &Node) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for tr in rows_of(t) {
            let mut row = Vec::new();
            let before: usize = tr
                .val(&["trPr", "gridBefore"])
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if before > 0 {
                row.push(Cell {
                    colspan: before,
                    rowspan: 1,
                    ..Cell::default()
                });
            }
            for tc in cells_of(tr) {
                let span = tc
                    .val(&["tcPr", "gridSpan"])
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                let vmerge = tc
                    .path(&["tcPr", "vMerge"])
                    .map(|v| v.attr("val") == Some("restart"));
                let mut paras = Vec::new();
                self.cell_paragraphs(tc, &mut paras);
                row.push(Cell {
                    paras,
                    colspan: span,
                    vmerge,
                    rowspan: 1,
                });
            }
            rows.push(row);
        }
        rows
    }

    /// 格里的各段（嵌套表格的各格也按段读出）。
    fn cell_paragraphs(&mut self, parent: &Node, out: &mut Vec<String>) {
        for n in parent.nodes() {
            match n.name.as_str() {
                "p" => out.extend(self.paragraph(n).split('\n').map(str::to_string)),
                "tbl" => {
                    for tr in rows_of(n) {
                        for tc in cells_of(tr) {
                            self.cell_paragraphs(tc, out);
                        }
                    }
                }
                "sdt" | "sdtContent" | "customXml" => self.cell_paragraphs(n, out),
                _ => {}
            }
        }
    }
}

fn rows_of(t: &Node) -> Vec<&Node> {
    let mut v = Vec::new();
    for n in t.nodes() {
        match n.name.as_str() {
            "tr" => v.push(n),
            "sdt" | "sdtContent" | "customXml" => v.extend(rows_of(n)),
            _ => {}
        }
    }
    v
}

fn cells_of(tr: &Node) -> Vec<&Node> {
    let mut v = Vec::new();
    for n in tr.nodes() {
        match n.name.as_str() {
            "tc" => v.push(n),
            "sdt" | "sdtContent" | "customXml" => v.extend(cells_of(n)),
            _ => {}
        }
    }
    v
}

/// 段内的文字。
fn inline(n: &Node, out: &mut String) {
    for c in &n.children {
        let Child::Node(e) = c else { continue };
        match e.name.as_str() {
            "r" => {
                let hidden = e
                    .path(&["rPr", "vanish"])
                    .is_some_and(|v| v.attr("val") != Some("0") && v.attr("val") != Some("false"));
                if !hidden {
                    run(e, out);
                }
            }
            // 删除的修订、域代码结果以外的东西、批注与书签标记：不读。
            "del" | "pPr" | "rPr" | "commentRangeStart" | "commentRangeEnd" | "bookmarkStart"
            | "bookmarkEnd" | "proofErr" | "moveFrom" => {}
            // 版本兼容块：只读 Choice，避免 Fallback 里同样的内容读两遍。
            "AlternateContent" => {
                if let Some(ch) = e.child("Choice") {
                    inline(ch, out);
                }
            }
            _ => inline(e, out),
        }
    }
}

/// 一个文字块（run）。
fn run(r: &Node, out: &mut String) {
    for c in r.nodes() {
        match c.name.as_str() {
            "t" => {
                for t in &c.children {
                    if let Child::Text(s) = t {
                        out.push_str(s);
                    }
                }
            }
            "tab" | "ptab" => out.push('\t'),
            "br" if c.attr("type").is_none_or(|t| t == "textWrapping") => out.push('\n'),
            "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "sym" => {
                let ch = c
                    .attr("char")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    // 符号字体的私用区字符（Wingdings 等）没有意义，不读。
                    .filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch));
                out.extend(ch);
            }
            "AlternateContent" => {
                if let Some(ch) = c.child("Choice") {
                    run(ch, out);
                }
            }
            _ => {}
        }
    }
}
