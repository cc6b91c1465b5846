//! 排版基准：一份通知、一张 5 页的附表1 式表格，字体只解析一次。
//! 运行：`cargo bench --bench typeset`（只用 std::time）。

use duban::templates::Templates;
use duban::typeset::{
    markdown_to_document, render_pdf, Block, Cell, Document, FontSet, Meta, Orientation,
    PdfOptions, Row, Section, Style, Table, Width,
};
use std::time::{Duration, Instant};

fn meta() -> Meta {
    Meta {
        title: "基准".into(),
        author: "区人民政府办公室".into(),
        subject: String::new(),
        language: "zh-CN".into(),
        created: Some((2023, 2, 7)),
    }
}

fn table_doc(tasks: usize) -> Document {
    let mut rows = Vec::new();
    for n in 1..=tasks {
        for k in 1..=4 {
            let mut cells = Vec::new();
            if k == 1 {
                cells.push(Cell::new(n.to_string()).center().rows(4));
                cells.push(
                    Cell::new(format!("任务{n}：加快推进重点项目建设，全年完成固定资产投资增长10%以上，确保“十四五”规划重大工程按期开工")).rows(4),
                );
            }
            cells.push(Cell::new(format!(
                "{k}.完成第{k}阶段工作：制定方案、明确责任、按月调度、跟踪问效"
            )));
            cells.push(Cell::new(format!("{}月", k * 3)).center());
            cells.push(Cell::new("分管副区长"));
            cells.push(Cell::new("区发展和改革局"));
            rows.push(Row { cells });
        }
    }
    let head = |t: &str| Cell::new(t).center().style(Style::Hei);
    let table = Table {
        columns: vec![
            Width::Mm(12.0),
            Width::Weight(3.0),
            Width::Weight(4.0),
            Width::Mm(22.0),
            Width::Mm(24.0),
            Width::Mm(26.0),
        ],
        header: vec![Row {
            cells: [
                "序号",
                "责任事项",
                "具体工作内容",
                "完成时间（按月）",
                "分管领导",
                "责任部门",
            ]
            .iter()
            .map(|t| head(t))
            .collect(),
        }],
        rows,
        font_size: 12.0,
    };
    Document {
        meta: meta(),
        sections: vec![Section {
            orientation: Orientation::Landscape,
            blocks: vec![
                Block::Title(vec![duban::typeset::Span::body("办理方案")]),
                Block::Table(table),
            ],
        }],
    }
}

fn bench(name: &str, doc: &Document, opts: &PdfOptions, iters: u32) {
    let first = render_pdf(doc, opts).unwrap();
    let start = Instant::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let t = Instant::now();
        let out = render_pdf(doc, opts).unwrap();
        total += t.elapsed();
        assert_eq!(out.bytes.len(), first.bytes.len());
    }
    let _ = start;
    let per_doc = total.as_secs_f64() * 1000.0 / iters as f64;
    println!(
        "{name}: {} 页, {:.1} KB, {:.2} ms/份, {:.2} ms/页（{iters} 次平均）",
        first.pages,
        first.bytes.len() as f64 / 1024.0,
        per_doc,
        per_doc / first.pages as f64
    );
}

fn main() {
    let t = Instant::now();
    let fonts = FontSet::builtin().unwrap();
    println!(
        "字体加载（4 款内置子集，一次）: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let opts = PdfOptions::new(&fonts);

    let md = Templates::load(None)
        .unwrap()
        .render("notice.md.tera", &serde_json::json!({}))
        .unwrap();
    let notice = markdown_to_document(&md, meta());
    bench("通知", &notice, &opts, 50);

    // 找到正好 5 页的任务数。
    let mut tasks = 10;
    while render_pdf(&table_doc(tasks), &opts).unwrap().pages < 5 {
        tasks += 1;
    }
    bench(
        &format!("附表1（{tasks} 项任务）"),
        &table_doc(tasks),
        &opts,
        20,
    );

    // 规模：一张表 1000 项与 4000 项（都是纵向合并的任务块），每页用时应基本相同；
    // 表格排版若退回按行扫描全部单元格（平方级），4000 项的每页用时会是 1000 项的数倍。
    let per_page = |n: usize| {
        let doc = table_doc(n);
        let t = Instant::now();
        let out = render_pdf(&doc, &opts).unwrap();
        (
            t.elapsed().as_secs_f64() * 1000.0 / out.pages as f64,
            out.pages,
        )
    };
    let (small, p1) = per_page(1000);
    let (large, p4) = per_page(4000);
    println!(
        "规模：1000 项 {p1} 页 {small:.2} ms/页；4000 项 {p4} 页 {large:.2} ms/页；比值 {:.2}（线性约为 1）",
        large / small
    );
}
