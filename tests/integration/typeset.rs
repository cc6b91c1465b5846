//! 排版：在生成的 PDF 上用 pdftotext / pdffonts 检查文字、字体、页码位置、版心边距、PDF/A 元数据和确定性。

use crate::support::{pdftotext, squash};
use duban::templates::Templates;
use duban::typeset::{
    markdown_to_document, render_pdf, Block, Cell, Document, FontSet, Meta, Orientation,
    PdfOptions, Row, Section, Span, Style, Table, Width,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// 字体每个测试进程只解析一次。
fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::builtin().unwrap())
}

fn meta() -> Meta {
    Meta {
        title: "排版测试".into(),
        author: "区人民政府办公室".into(),
        subject: String::new(),
        language: "zh-CN".into(),
        created: Some((2023, 2, 7)),
    }
}

fn mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

/// 渲染并写到临时文件，返回路径和页数。
fn render_to_file(doc: &Document, name: &str, page_numbers: bool) -> (PathBuf, usize) {
    let opts = PdfOptions {
        page_numbers,
        ..PdfOptions::new(fonts())
    };
    let out = render_pdf(doc, &opts).unwrap();
    assert!(out.missing.is_empty(), "缺字：{:?}", out.missing);
    let path =
        std::env::temp_dir().join(format!("duban-typeset-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, &out.bytes).unwrap();
    (path, out.pages)
}

fn page_text(path: &Path, page: usize) -> String {
    let p = page.to_string();
    pdftotext(path, &["-f", &p, "-l", &p])
}

/// pdftotext -bbox 的词：(页号, xMin, yMin, xMax, yMax, 文字)，单位磅。
fn words(path: &Path) -> Vec<(usize, f32, f32, f32, f32, String)> {
    let html = pdftotext(path, &["-bbox"]);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        }
        if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |k: &str| -> f32 {
                let i = rest.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                rest[i..rest[i..].find('"').unwrap() + i].parse().unwrap()
            };
            let text =
                rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
            out.push((
                page,
                attr("xMin"),
                attr("yMin"),
                attr("xMax"),
                attr("yMax"),
                text,
            ));
        }
    }
    out
}

fn notice_doc() -> Document {
    let t = Templates::load(None).unwrap();
    let md = t.render("notice.md.tera", &serde_json::json!({})).unwrap();
    markdown_to_document(&md, meta())
}

/// 文档中全部文字，按阅读顺序（列表编号、合并单元格“（续）”除外）。
fn doc_text(doc: &Document) -> String {
    let mut s = String::new();
    let spans = |v: &[Span]| v.iter().map(|x| x.text.clone()).collect::<String>();
    for sec in &doc.sections {
        for b in &sec.blocks {
            match b {
                Block::Title(v) => s += &spans(v),
                Block::Heading { content, .. } => s += &spans(content),
                Block::Paragraph { content, .. } => s += &spans(content),
                Block::List { ordered, items } => {
                    for (i, it) in items.iter().enumerate() {
                        s += &if *ordered {
                            format!("{}.", i + 1)
                        } else {
                            "•".into()
                        };
                        s += &spans(it);
                    }
                }
                Block::Signature { issuer, date } => {
                    s += issuer;
                    s += date;
                }
                _ => {}
            }
        }
    }
    squash(&s)
}

#[test]
fn notice_text_round_trips_exactly() {
    let doc = notice_doc();
    let (path, pages) = render_to_file(&doc, "roundtrip", false);
    assert!(pages >= 1);
    let text = squash(&pdftotext(&path, &[]));
    assert_eq!(text, doc_text(&doc));
}

#[test]
fn rare_and_mixed_text_round_trips() {
    let para = "“放管服”改革——优化营商环境……PM2.5年均浓度下降到35μg/m³以下，①完成率≥95%，气温-3℃；邮箱zfducha@163.com。（续）《通知》【附件】〔2023〕№1";
    let doc = Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks: vec![Block::Paragraph {
                content: vec![
                    Span::body(para),
                    Span::styled("黑体强调", Style::Hei),
                    Span::styled("楷体文字", Style::Kai),
                ],
                align: duban::typeset::Align::Justify,
                indent: true,
            }],
        }],
    };
    let (path, _) = render_to_file(&doc, "mixed", false);
    assert_eq!(squash(&pdftotext(&path, &[])), squash(&doc_text(&doc)));
}

#[test]
fn missing_glyph_is_reported_and_still_extractable() {
    let doc = Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks: vec![Block::Paragraph {
                content: vec![Span::body("姓名：王\u{2A6D6}明")],
                align: duban::typeset::Align::Left,
                indent: false,
            }],
        }],
    };
    let out = render_pdf(&doc, &PdfOptions::new(fonts())).unwrap();
    assert_eq!(out.missing.len(), 1);
    assert_eq!(out.missing[0].ch, '\u{2A6D6}');
    assert!(out.missing[0].to_string().contains("U+2A6D6"));
    let path =
        std::env::temp_dir().join(format!("duban-typeset-{}-missing.pdf", std::process::id()));
    std::fs::write(&path, &out.bytes).unwrap();
    // 画的是“〓”，复制出来仍是原字。
    assert!(squash(&pdftotext(&path, &[])).contains("姓名：王\u{2A6D6}明"));
}

#[test]
fn fonts_are_embedded_subset_and_mapped() {
    let (path, _) = render_to_file(&notice_doc(), "fonts", true);
    let out = crate::support::run_tool(Command::new("pdffonts").arg(&path));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{text}"); // 小标宋、正文、黑体、楷体中至少三种出现在通知里
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // … emb sub uni object ID
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
        assert_eq!(
            cols[0].find('+'),
            Some(6),
            "子集字体名应有 6 字母前缀：{row}"
        );
    }
    // 子集后整份通知远小于一款完整中文字体（> 2 MB）。
    assert!(std::fs::metadata(&path).unwrap().len() < 400_000);
}

#[test]
fn page_numbers_and_margins_follow_gbt9704() {
    // 足够三页的正文。
    let mut blocks = vec![Block::Title(vec![Span::body("关于页码与版心的测试通知")])];
    for i in 0..30 {
        blocks.push(Block::Paragraph {
            content: vec![Span::body(format!(
                "第{i}段：各单位要按照责任分工抓好落实，确保各项目标任务按期完成，并按时报送完成情况。"
            ))],
            align: duban::typeset::Align::Justify,
            indent: true,
        });
    }
    let doc = Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks,
        }],
    };
    let (path, pages) = render_to_file(&doc, "pageno", true);
    assert!(pages >= 3, "{pages}");
    let ws = words(&path);
    for p in 1..=pages {
        let text = page_text(&path, p);
        assert!(squash(&text).contains(&format!("—{p}—")), "第{p}页：{text}");
        // 页码的一字线：4 号字，顶端在版心下缘（37+225 mm）下 7 mm。
        let dashes: Vec<_> = ws.iter().filter(|w| w.0 == p && w.5 == "—").collect();
        assert_eq!(dashes.len(), 2, "第{p}页");
        let top = mm(dashes[0].2);
        assert!((top - 269.0).abs() < 1.0, "第{p}页页码顶 {top} mm");
        assert!((dashes[0].4 - dashes[0].2 - 14.0).abs() < 0.5);
        if p % 2 == 1 {
            // 单页码居右，右空一字（14 pt）。
            let right = mm(dashes[1].3);
            assert!((right - (184.0 - mm(14.0))).abs() < 1.0, "第{p}页 {right}");
        } else {
            let left = mm(dashes[0].1);
            assert!((left - (28.0 + mm(14.0))).abs() < 1.0, "第{p}页 {left}");
        }
        // 版心：正文行左缘 28 mm，两端对齐的整行右缘 184 mm，首行顶 37 mm，末行不越过 262 mm。
        let body: Vec<_> = ws
            .iter()
            .filter(|w| w.0 == p && w.5 != "—" && w.5.parse::<u32>().is_err())
            .collect();
        let left = body.iter().map(|w| mm(w.1)).fold(f32::MAX, f32::min);
        let right = body.iter().map(|w| mm(w.3)).fold(0.0, f32::max);
        let top = body.iter().map(|w| mm(w.2)).fold(f32::MAX, f32::min);
        let bottom = body.iter().map(|w| mm(w.4)).fold(0.0, f32::max);
        assert!((left - 28.0).abs() < 1.0, "第{p}页左边距 {left}");
        assert!((right - 184.0).abs() < 1.0, "第{p}页右缘 {right}");
        assert!((top - 37.0).abs() < 1.0, "第{p}页天头 {top}");
        assert!(bottom <= 262.0 + 1.0, "第{p}页末行 {bottom}");
    }
    // 满页是 22 行：第 2 页（全是正文）每行一个“词”。
    let lines_p2 = ws
        .iter()
        .filter(|w| w.0 == 2 && w.5 != "—" && w.5.parse::<u32>().is_err());
    let mut ys: Vec<i32> = lines_p2.map(|w| w.2.round() as i32).collect();
    ys.dedup();
    assert_eq!(ys.len(), 22, "{ys:?}");
}

/// 附表1 式表格：序号、责任事项纵向合并 4 行。
fn form_table(tasks: usize) -> Table {
    form_table_rows(&vec![4; tasks])
}

/// 附表1 式表格，第 n 项任务有 `per_task[n-1]` 行具体工作内容（序号、责任事项纵向合并）。
fn form_table_rows(per_task: &[usize]) -> Table {
    let mut rows = Vec::new();
    for (n, &m) in (1..).zip(per_task) {
        for k in 1..=m {
            let mut cells = Vec::new();
            if k == 1 {
                cells.push(Cell::new(n.to_string()).center().rows(m as u16));
                cells.push(
                    Cell::new(format!(
                        "任务{n}：加快推进重点项目建设，全年完成固定资产投资增长10%以上"
                    ))
                    .rows(m as u16),
                );
            }
            cells.push(Cell::new(format!("{k}.任务{n}第{k}项")));
            cells.push(Cell::new(format!("{}月", k * 3)).center());
            cells.push(Cell::new("分管副区长"));
            cells.push(Cell::new("发改局"));
            rows.push(Row { cells });
        }
    }
    let head = |t: &str| Cell::new(t).center().style(Style::Hei);
    Table {
        columns: vec![
            Width::Mm(12.0),
            Width::Weight(3.0),
            Width::Weight(4.0),
            Width::Mm(22.0),
            Width::Mm(24.0),
            Width::Mm(24.0),
        ],
        header: vec![Row {
            cells: vec![
                head("序号"),
                head("责任事项"),
                head("具体工作内容"),
                head("完成时间（按月）"),
                head("分管领导"),
                head("责任部门"),
            ],
        }],
        rows,
        font_size: 12.0,
    }
}

/// 三页表：第 6 项任务有 30 行具体工作内容，整页放不下，合并单元格必须跨页续排。
const TABLE3: [usize; 10] = [4, 4, 4, 4, 4, 30, 4, 4, 4, 4];

#[test]
fn three_page_table_repeats_header_and_continues_spans() {
    let doc = Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks: vec![Block::Table(form_table_rows(&TABLE3))],
        }],
    };
    let (path, pages) = render_to_file(&doc, "table3", true);
    assert_eq!(pages, 3, "应正好三页");
    let mut continued = 0;
    let mut all = String::new();
    for p in 1..=pages {
        let t = squash(&page_text(&path, p));
        for h in [
            "序号",
            "责任事项",
            "具体工作内容",
            "完成时间（按月）",
            "分管领导",
            "责任部门",
        ] {
            assert!(t.contains(h), "第{p}页缺表头“{h}”：{t}");
        }
        if p > 1 {
            // 续页上的合并单元格：原文重复并标“（续）”。
            // 序号格“4（续）”，责任事项格“……增长10%以上（续）”。
            if t.contains("以上（续）") {
                continued += 1;
                let n = (1..=TABLE3.len())
                    .find(|n| t.contains(&format!("{n}（续）")))
                    .unwrap_or_else(|| panic!("第{p}页序号没有续：{t}"));
                assert!(t.contains(&format!("任务{n}：加快推")), "第{p}页：{t}");
            }
        }
        all += &t;
    }
    assert!(continued >= 1, "没有跨页的合并单元格");
    // 每个具体工作内容恰好出现一次，且按顺序。
    let mut pos = 0;
    for (n, &m) in (1..).zip(&TABLE3) {
        for k in 1..=m {
            let s = format!("{k}.任务{n}第{k}项");
            assert_eq!(all.matches(&s).count(), 1, "{s}");
            let i = all.find(&s).unwrap();
            assert!(i > pos, "{s} 顺序不对");
            pos = i;
        }
    }
}

#[test]
fn long_cell_is_split_across_pages_without_loss() {
    let long = "很长的单元格内容需要跨页拆分。".repeat(80);
    let table = Table {
        columns: vec![Width::Mm(20.0), Width::Weight(1.0)],
        header: vec![Row {
            cells: vec![Cell::new("编号"), Cell::new("说明")],
        }],
        rows: vec![Row {
            cells: vec![Cell::new("1"), Cell::new(long.clone())],
        }],
        font_size: 14.0,
    };
    let doc = Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks: vec![Block::Table(table)],
        }],
    };
    let (path, pages) = render_to_file(&doc, "split", false);
    assert!(pages >= 2);
    let t = squash(&pdftotext(&path, &[]));
    // 表头每页一次，拆开的行文字一字不丢、按顺序接续。
    assert_eq!(t.matches("编号说明").count(), pages, "{t}");
    assert_eq!(t.replace("编号说明", ""), format!("1{long}"));
}

#[test]
fn landscape_table_keeps_page_number_in_portrait_position() {
    let doc = Document {
        meta: meta(),
        sections: vec![
            Section {
                orientation: Orientation::Portrait,
                blocks: vec![Block::Paragraph {
                    content: vec![Span::body("附表1见下页。")],
                    align: duban::typeset::Align::Left,
                    indent: true,
                }],
            },
            Section {
                orientation: Orientation::Landscape,
                blocks: vec![
                    Block::Title(vec![Span::body("办理方案")]),
                    Block::Table(form_table(3)),
                ],
            },
        ],
    };
    let (path, pages) = render_to_file(&doc, "landscape", true);
    assert!(pages >= 2);
    let t = squash(&page_text(&path, 2));
    assert!(t.contains("办理方案"), "{t}");
    assert!(t.contains("1.任务1第1项"), "{t}");
    // 横排页带 /Rotate 90（阅读器顺时针转 90° 显示，屏幕上是正的），竖排页不转。
    let info = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "2"])
        .arg(&path)
        .output()
        .unwrap();
    let rot: Vec<String> = String::from_utf8_lossy(&info.stdout)
        .lines()
        .filter(|l| l.contains(" rot:"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rot, ["Page 1 rot: 0", "Page 2 rot: 90"]);
    // pdftotext -bbox 按显示方向给坐标（宽 842、高 595 磅）：横排页上表格文字是横的（词框宽大于高）。
    let ws = words(&path);
    let body: Vec<_> = ws
        .iter()
        .filter(|w| w.0 == 2 && w.5.contains("任务"))
        .collect();
    assert!(!body.is_empty());
    assert!(
        body.iter().any(|w| (w.3 - w.1) > 3.0 * (w.4 - w.2)),
        "{body:?}"
    );
    // 转回纸面坐标（顺时针转 90° 的逆变换：纸面 x = 显示 y，纸面 y = 842 − 显示 x），页码和版心
    // 都在竖放纸张上 GB/T 9704 规定的位置。
    let h = 841.89;
    let paper = |w: &(usize, f32, f32, f32, f32, String)| (w.2, h - w.3, w.4, h - w.1);
    let dashes: Vec<_> = ws
        .iter()
        .filter(|w| w.0 == 2 && w.5 == "—")
        .map(paper)
        .collect();
    assert_eq!(dashes.len(), 2);
    // 双页码：居左空一字，在竖放纸张的下方，与竖排页相同。
    let (x0, y0, _, _) = dashes.iter().fold((f32::MAX, f32::MAX, 0.0, 0.0), |a, d| {
        (a.0.min(d.0), a.1.min(d.1), 0.0, 0.0)
    });
    assert!((mm(x0) - (28.0 + mm(14.0))).abs() < 1.0, "{dashes:?}");
    assert!((mm(y0) - 269.0).abs() < 1.0, "{dashes:?}");
    // 表格文字在版心（28–184 mm × 37–262 mm）内。
    for w in body.iter().map(|w| paper(w)) {
        assert!(
            mm(w.0) >= 27.0 && mm(w.2) <= 185.0 && mm(w.1) >= 36.0 && mm(w.3) <= 263.0,
            "{w:?}"
        );
    }
}

#[test]
fn pdfa_metadata_and_determinism() {
    let doc = notice_doc();
    let opts = PdfOptions::new(fonts());
    let a = render_pdf(&doc, &opts).unwrap().bytes;
    // 另一个线程里再排一次：同输入同字节。
    let b = std::thread::scope(|s| {
        s.spawn(|| render_pdf(&doc, &opts).unwrap().bytes)
            .join()
            .unwrap()
    });
    assert!(a == b, "两次输出不同");
    let raw = String::from_utf8_lossy(&a);
    assert!(
        raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""),
        "缺 PDF/A 标识"
    );
    assert!(raw.contains("pdfaid:conformance>B<") || raw.contains("pdfaid:conformance=\"B\""));
    assert!(raw.contains("zh-CN"));
    assert!(raw.contains("2023-02-07"), "创建日期应来自 Meta.created");
    let path = std::env::temp_dir().join(format!("duban-typeset-{}-meta.pdf", std::process::id()));
    std::fs::write(&path, &a).unwrap();
    let info = crate::support::run_tool(Command::new("pdfinfo").arg(&path));
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("排版测试"), "{info}");
    assert!(info.contains("区人民政府办公室"), "{info}");
    assert!(info.contains("Metadata Stream: yes"), "{info}");
}

#[test]
fn render_command_uses_template_and_data() {
    let dir = std::env::temp_dir().join(format!("duban-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typeset");
    let run = |out: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_duban"))
            .current_dir(&dir)
            .arg("render")
            .arg(fixtures.join("list.md.tera"))
            .arg("--data")
            .arg(fixtures.join("list.toml"))
            .arg("-o")
            .arg(dir.join(out))
            .arg("--today")
            .arg("2023-02-07")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(o.status.success(), "{err}");
        err
    };
    let err = run("a.pdf");
    assert!(err.contains("正文（仿宋）"), "应报告各角色字体：{err}");
    run("b.pdf");
    let a = std::fs::read(dir.join("a.pdf")).unwrap();
    assert_eq!(a, std::fs::read(dir.join("b.pdf")).unwrap());
    let t = squash(&pdftotext(&dir.join("a.pdf"), &[]));
    assert!(t.contains("区发改局任务清单"), "{t}");
    assert!(t.contains("加快推进重点项目建设"), "{t}");
    assert!(t.contains("2023年2月15日"), "{t}");
    // 坏数据：中文错误、带文件和行号。
    std::fs::write(dir.join("bad.toml"), "unit = \"x\"\ntasks = [\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_duban"))
        .current_dir(&dir)
        .args([
            "render",
            "notice.md.tera",
            "--data",
            "bad.toml",
            "-o",
            "c.pdf",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("bad.toml:2:10：") && err.contains("提示"),
        "{err}"
    );
    assert!(!dir.join("c.pdf").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn table_doc(table: Table) -> Document {
    Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Portrait,
            blocks: vec![Block::Table(table)],
        }],
    }
}

/// 每页第二列（x ≥ `split` 磅）的文字，按行自上而下拼接。
fn column_text_per_page(path: &Path, pages: usize, split: f32) -> Vec<String> {
    let ws = words(path);
    (1..=pages)
        .map(|p| {
            let mut col: Vec<_> = ws.iter().filter(|w| w.0 == p && w.1 >= split).collect();
            col.sort_by(|a, b| {
                (a.2.round() as i32, a.1.round() as i32)
                    .cmp(&(b.2.round() as i32, b.1.round() as i32))
            });
            squash(&col.iter().map(|w| w.5.as_str()).collect::<String>())
        })
        .collect()
}

#[test]
fn row_that_fits_a_page_moves_whole_instead_of_splitting() {
    // 每行约 4 行字高，必有行落在页底：放得进整页的行整行移到下页，不在格中间断开。
    let rows: Vec<String> = (1..=40)
        .map(|i| {
            format!("第{i:02}项报送内容：")
                + &"按季度报送完成情况和下一步工作打算，逾期未报的予以通报。".repeat(3)
        })
        .collect();
    let table = Table {
        columns: vec![Width::Mm(30.0), Width::Weight(1.0)],
        header: vec![Row {
            cells: vec![Cell::new("序号"), Cell::new("报送内容")],
        }],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, t)| Row {
                cells: vec![Cell::new(format!("{}号", i + 1)), Cell::new(t.clone())],
            })
            .collect(),
        font_size: 14.0,
    };
    let (path, pages) = render_to_file(&table_doc(table), "rowmove", false);
    assert!(pages >= 3, "{pages}");
    // 第二列左缘：版心左 28 mm + 30 mm。
    let split = (28.0 + 30.0 - 0.5) * 72.0 / 25.4;
    let cols = column_text_per_page(&path, pages, split);
    let ws = words(&path);
    for (i, t) in rows.iter().enumerate() {
        let on: Vec<usize> = (0..pages).filter(|&p| cols[p].contains(t)).collect();
        assert_eq!(on.len(), 1, "第{}行的内容格被拆开或丢失：{cols:?}", i + 1);
        let p = on[0] + 1;
        let mark = format!("{}号", i + 1);
        let marks: Vec<usize> = ws.iter().filter(|w| w.5 == mark).map(|w| w.0).collect();
        assert_eq!(marks, vec![p], "第{}行的序号格应与内容格同页", i + 1);
    }
    // 每页都有表头，且表头下至少有一行正文。
    for (p, c) in cols.iter().enumerate() {
        assert!(c.starts_with("报送内容第"), "第{}页：{c}", p + 1);
    }
}

#[test]
fn rowspan_group_that_fits_a_page_is_kept_together() {
    let (path, pages) = render_to_file(&table_doc(form_table(16)), "groupkeep", false);
    assert!(pages >= 2, "{pages}");
    let texts: Vec<String> = (1..=pages).map(|p| squash(&page_text(&path, p))).collect();
    for n in 1..=16 {
        let on: Vec<usize> = (0..pages)
            .filter(|&p| texts[p].contains(&format!("任务{n}：")))
            .collect();
        assert_eq!(on.len(), 1, "任务{n}的责任事项应只在一页");
        for k in 1..=4 {
            let s = format!("{k}.任务{n}第{k}项");
            assert!(texts[on[0]].contains(&s), "{s} 不与任务{n}同页");
        }
    }
    assert!(texts.iter().all(|t| !t.contains("（续）")), "{texts:?}");
}
